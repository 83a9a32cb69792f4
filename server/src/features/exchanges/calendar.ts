import type { Connection } from 'mongoose';
import { Types } from 'mongoose';
import { PerUserCollections } from '../../db/per-user-collections.ts';
import { runOnce } from '../../db/migrations.ts';

/**
 * One entry per booked exchange in each partner's own collection (`exchange_calendar_<userId>`), keyed by the
 * exchange id: double-booking checks, the home view and the fairness ledger read one person's entries only,
 * never a scan of every exchange (FerretDB v1 reads fast only by `_id`).
 */
export interface CalendarEntry {
  _id: Types.ObjectId;
  partnerId: Types.ObjectId;
  startsAt: Date;
  endsAt: Date;
  /** False for invite-link exchanges, which have a day but no time: they never count as double bookings. */
  timed: boolean;
  /** The round this person gives and the one they receive, in minutes (0 when they do not give/receive). */
  givenMinutes: number;
  receivedMinutes: number;
  cancelledAt: Date | null;
}

export interface Booking {
  exchangeId: string;
  /** The two partners and the minutes each gives. */
  a: { id: string; givesMinutes: number };
  b: { id: string; givesMinutes: number };
  startsAt: Date;
  timed: boolean;
}

export class ExchangeCalendar {
  private readonly collections: PerUserCollections<CalendarEntry>;

  constructor(connection: Connection) {
    this.collections = new PerUserCollections<CalendarEntry>(connection, 'exchange_calendar', [{ startsAt: 1 }]);
  }

  /** Writes (or rewrites: booking twice is harmless) the entry in both partners' calendars. */
  async book(b: Booking): Promise<void> {
    const length = (b.a.givesMinutes + b.b.givesMinutes) * 60_000;
    const endsAt = new Date(b.startsAt.getTime() + Math.max(length, 60_000));
    const entry = (me: Booking['a'], other: Booking['a']): CalendarEntry => ({
      _id: new Types.ObjectId(b.exchangeId),
      partnerId: new Types.ObjectId(other.id),
      startsAt: b.startsAt,
      endsAt,
      timed: b.timed,
      givenMinutes: me.givesMinutes,
      receivedMinutes: other.givesMinutes,
      cancelledAt: null,
    });
    await Promise.all([this.put(b.a.id, entry(b.a, b.b)), this.put(b.b.id, entry(b.b, b.a))]);
  }

  async cancel(userIds: string[], exchangeId: string, at = new Date()): Promise<void> {
    const _id = new Types.ObjectId(exchangeId);
    await Promise.all(userIds.map((u) => this.collections.of(u).updateOne({ _id }, { $set: { cancelledAt: at } })));
  }

  /** The person's timed, not cancelled bookings that overlap [start, end). */
  overlapping(userId: string, start: Date, end: Date): Promise<CalendarEntry[]> {
    return this.collections
      .of(userId)
      .find({ timed: true, cancelledAt: null, startsAt: { $lt: end }, endsAt: { $gt: start } })
      .toArray();
  }

  /** Every booking of the person, not cancelled, oldest first. */
  entries(userId: string): Promise<CalendarEntry[]> {
    return this.collections.of(userId).find({ cancelledAt: null }).sort({ startsAt: 1 }).toArray();
  }

  private async put(userId: string, entry: CalendarEntry): Promise<void> {
    await this.collections.ensureIndexes(userId);
    await this.collections.of(userId).replaceOne({ _id: entry._id }, entry, { upsert: true });
  }
}

/** An invite-link exchange's day as an instant: its start of day (UTC), so a day-only exchange sorts by its day. */
export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/**
 * Invite-link exchanges joined before calendars existed get their entries, once per database (re-running is
 * harmless: entries are written by `_id`). Exchanges with a start time were booked with their entries already.
 * One pass over the exchanges collection, in the background at start.
 */
export async function backfillCalendars(
  connection: Connection,
  calendar: ExchangeCalendar,
): Promise<{ booked: number } | null> {
  return runOnce(connection, 'exchange-calendars', async () => {
    let booked = 0;
    const cursor = connection.collection('exchanges').find({ partnerB: { $ne: null }, startsAt: null });
    for await (const e of cursor) {
      const minutes = Number(e.roundMinutes) || 60;
      await calendar.book({
        exchangeId: String(e._id),
        a: { id: String(e.partnerA), givesMinutes: minutes },
        b: { id: String(e.partnerB), givesMinutes: minutes },
        startsAt: dayStart(String(e.date)),
        timed: false,
      });
      booked++;
    }
    return { booked };
  });
}
