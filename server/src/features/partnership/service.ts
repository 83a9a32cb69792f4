import { Types } from 'mongoose';
import { OBJECT_ID_PATTERN } from '@kneadback/shared/schemas/common';
import {
  createEndorsementBodySchema,
  createReferralBodySchema,
  REMINDER_DAYS_DEFAULT,
  rhythmSettingsSchema,
  type CreateEndorsementBody,
  type CreateReferralBody,
  type Endorsement,
  type Ledger,
  type Referral,
  type Rhythm,
  type RhythmSettings,
} from '@kneadback/shared/schemas/partnership';
import { AppError, notFound } from '../../http/errors.ts';
import type { AuthService } from '../auth/service.ts';
import type { CalendarEntry, ExchangeCalendar } from '../exchanges/calendar.ts';
import type { ExchangeService } from '../exchanges/service.ts';
import type { NewNotification } from '../notifications/service.ts';
import type { PartnershipStores, ReferralDoc } from './model.ts';

const DAY_MS = 24 * 3600 * 1000;

/** An exchange has taken place once it ended (a day-only invite-link exchange: once its day is over). */
function heldAt(entry: CalendarEntry): number {
  return entry.timed ? entry.endsAt.getTime() : entry.startsAt.getTime() + DAY_MS;
}

/**
 * What two partners build over time: the fairness ledger, referrals and endorsements, and each person's rhythm
 * (when they last received a massage). Everything is read from the person's own calendar and collections.
 */
export class PartnershipService {
  constructor(
    private readonly stores: PartnershipStores,
    private readonly calendar: ExchangeCalendar,
    private readonly exchanges: ExchangeService,
    private readonly auth: AuthService,
    private readonly notify: (n: NewNotification) => Promise<unknown>,
  ) {}

  async rhythm(userId: string, now = Date.now()): Promise<Rhythm> {
    const entries = await this.calendar.entries(userId);
    const held = entries.filter((e) => heldAt(e) <= now);
    const upcoming = entries.filter((e) => heldAt(e) > now);
    const received = held.filter((e) => e.receivedMinutes > 0).at(-1);
    const daysSinceReceived = received ? Math.floor((now - received.startsAt.getTime()) / DAY_MS) : null;
    const settings = await this.settings(userId);
    const due = daysSinceReceived === null || daysSinceReceived >= settings.reminderDays;
    const [next, last] = await Promise.all([
      this.exchangeFor(userId, upcoming[0]),
      this.exchangeFor(userId, held.at(-1)),
    ]);
    if (due) await this.remindOnce(userId, settings.remindedAt, received ? heldAt(received) : 0, daysSinceReceived);
    return {
      next,
      last,
      daysSinceReceived,
      reminderDays: settings.reminderDays,
      due,
      ledgers: await this.ledgers(userId, held),
    };
  }

  async updateSettings(userId: string, input: RhythmSettings): Promise<RhythmSettings> {
    const { reminderDays } = rhythmSettingsSchema.parse(input);
    await this.stores.settings.updateOne({ _id: userId }, { $set: { reminderDays } }, { upsert: true });
    return { reminderDays };
  }

  /** The ledger with one partner; 404 for someone the user has never booked an exchange with. */
  async ledger(userId: string, partnerId: string, now = Date.now()): Promise<Ledger> {
    const entries = await this.withPartner(userId, partnerId);
    const [ledger] = await this.ledgers(
      userId,
      entries.filter((e) => heldAt(e) <= now),
      partnerId,
    );
    return ledger!;
  }

  async referrals(userId: string, partnerId: string): Promise<Referral[]> {
    await this.withPartner(userId, partnerId);
    const partner = new Types.ObjectId(partnerId);
    const docs = await this.stores.referrals
      .of(userId)
      .find({ $or: [{ fromId: partner }, { toId: partner }] })
      .sort({ createdAt: -1 })
      .limit(500)
      .toArray();
    return docs.map((d) => presentReferral(d, userId));
  }

  /** The user sent one of their clients to the partner. Both see it. */
  async refer(userId: string, partnerId: string, input: CreateReferralBody): Promise<Referral> {
    const body = createReferralBodySchema.parse(input);
    if (body.date > new Date().toISOString().slice(0, 10)) {
      throw new AppError(400, 'future_date', 'a referral is recorded once it happened: pick today or earlier', 'date');
    }
    await this.requireCompletedExchange(userId, partnerId, 'record a referral');
    const doc: ReferralDoc = {
      _id: new Types.ObjectId(),
      fromId: new Types.ObjectId(userId),
      toId: new Types.ObjectId(partnerId),
      forWhat: body.forWhat,
      date: body.date,
      createdAt: new Date(),
    };
    for (const owner of [userId, partnerId]) {
      await this.stores.referrals.ensureIndexes(owner);
      await this.stores.referrals.of(owner).insertOne(doc);
    }
    return presentReferral(doc, userId);
  }

  async endorse(userId: string, partnerId: string, input: CreateEndorsementBody): Promise<Endorsement> {
    const body = createEndorsementBodySchema.parse(input);
    await this.requireCompletedExchange(userId, partnerId, 'endorse them');
    const doc = {
      _id: `${userId}:${body.modality}`,
      byId: new Types.ObjectId(userId),
      modality: body.modality,
      note: body.note,
      createdAt: new Date(),
    };
    await this.stores.endorsements.of(partnerId).replaceOne({ _id: doc._id }, doc, { upsert: true });
    const me = (await this.auth.publicUsers([userId])).get(userId);
    return {
      modality: doc.modality,
      note: doc.note,
      by: { id: userId, displayName: me?.displayName ?? '' },
      createdAt: doc.createdAt.toISOString(),
    };
  }

  /** Withdraws the user's own endorsement of a skill (doing it twice is fine). */
  async withdrawEndorsement(userId: string, partnerId: string, modality: string): Promise<void> {
    if (!OBJECT_ID_PATTERN.test(partnerId)) throw notFound('therapist');
    await this.stores.endorsements.of(partnerId).deleteOne({ _id: `${userId}:${modality}` });
  }

  /** A therapist's endorsements with who vouched, for their profile (any signed-in user may read them). */
  async endorsementsOf(userId: string): Promise<Endorsement[]> {
    if (!OBJECT_ID_PATTERN.test(userId)) throw notFound('therapist');
    const docs = await this.stores.endorsements.of(userId).find({}).sort({ createdAt: -1 }).limit(500).toArray();
    const names = await this.auth.publicUsers([...new Set(docs.map((d) => d.byId.toHexString()))]);
    return docs.flatMap((d) => {
      const by = names.get(d.byId.toHexString());
      return by
        ? [
            {
              modality: d.modality,
              note: d.note,
              by: { id: by.id, displayName: by.displayName },
              createdAt: d.createdAt.toISOString(),
            },
          ]
        : [];
    });
  }

  private async settings(userId: string): Promise<{ reminderDays: number; remindedAt: Date | null }> {
    const doc = await this.stores.settings.findOne({ _id: userId });
    return { reminderDays: doc?.reminderDays ?? REMINDER_DAYS_DEFAULT, remindedAt: doc?.remindedAt ?? null };
  }

  /** One reminder per gap: not again until a massage was received after the last reminder. */
  private async remindOnce(userId: string, remindedAt: Date | null, lastReceivedAt: number, days: number | null) {
    if (remindedAt && remindedAt.getTime() >= lastReceivedAt) return;
    await this.stores.settings.updateOne({ _id: userId }, { $set: { remindedAt: new Date() } }, { upsert: true });
    await this.notify({
      userId,
      kind: 'rhythm-reminder',
      actor: { id: userId, displayName: 'Kneadback' },
      exchangeId: null,
      text:
        days === null
          ? 'You have not received a massage through Kneadback yet: request an exchange with a partner'
          : `You last received a massage ${days} days ago: time to plan your next exchange`,
    });
  }

  private async ledgers(userId: string, held: CalendarEntry[], onlyPartner?: string): Promise<Ledger[]> {
    const byPartner = new Map<string, Ledger>();
    if (onlyPartner) byPartner.set(onlyPartner, emptyLedger(onlyPartner));
    for (const e of held) {
      const id = e.partnerId.toHexString();
      if (onlyPartner && id !== onlyPartner) continue;
      const l = byPartner.get(id) ?? emptyLedger(id);
      l.exchanges++;
      l.givenMinutes += e.givenMinutes;
      l.receivedMinutes += e.receivedMinutes;
      l.lastExchangeAt = e.startsAt.toISOString();
      byPartner.set(id, l);
    }
    const names = await this.auth.publicUsers([...byPartner.keys()]);
    return [...byPartner.values()].map((l) => ({
      ...l,
      partner: { id: l.partner.id, displayName: names.get(l.partner.id)?.displayName ?? 'A former member' },
    }));
  }

  private async exchangeFor(userId: string, entry: CalendarEntry | undefined) {
    if (!entry) return null;
    return (await this.exchanges.someFor(userId, [entry._id.toHexString()]))[0] ?? null;
  }

  /** The user's bookings with the partner; none at all is "not found" (ledgers and referrals are partners' own). */
  private async withPartner(userId: string, partnerId: string): Promise<CalendarEntry[]> {
    if (!OBJECT_ID_PATTERN.test(partnerId)) throw notFound('partner');
    const entries = (await this.calendar.entries(userId)).filter((e) => e.partnerId.toHexString() === partnerId);
    if (entries.length === 0) throw notFound('partner');
    return entries;
  }

  private async requireCompletedExchange(userId: string, partnerId: string, what: string): Promise<void> {
    if (partnerId === userId) throw new AppError(400, 'self', 'you cannot do this for yourself');
    const entries = OBJECT_ID_PATTERN.test(partnerId)
      ? (await this.calendar.entries(userId)).filter((e) => e.partnerId.toHexString() === partnerId)
      : [];
    if (!entries.some((e) => heldAt(e) <= Date.now())) {
      throw new AppError(
        409,
        'no_completed_exchange',
        `you can ${what} after your first exchange together has taken place`,
      );
    }
  }
}

function emptyLedger(partnerId: string): Ledger {
  return {
    partner: { id: partnerId, displayName: '' },
    exchanges: 0,
    givenMinutes: 0,
    receivedMinutes: 0,
    lastExchangeAt: null,
  };
}

function presentReferral(d: ReferralDoc, viewerId: string): Referral {
  return {
    id: d._id.toHexString(),
    direction: d.fromId.toHexString() === viewerId ? 'given' : 'received',
    forWhat: d.forWhat,
    date: d.date,
    createdAt: d.createdAt.toISOString(),
  };
}
