import {
  REMINDER_DAYS_DEFAULT,
  rhythmSettingsSchema,
  type Ledger,
  type Rhythm,
  type RhythmSettings,
} from '@kneadback/shared/schemas/partnership';
import type { AuthService } from '../auth/service.ts';
import type { CalendarEntry, ExchangeCalendar } from '../exchanges/calendar.ts';
import type { ExchangeService } from '../exchanges/service.ts';
import type { NewNotification } from '../notifications/service.ts';
import { DAY_MS, heldAt, partnerBookings } from './held.ts';
import type { PartnershipStores } from './model.ts';

/**
 * Each person's rhythm (the next exchange, when they last received a massage, a reminder past their chosen
 * number of days) and the fairness ledger with each partner, all from the person's own calendar.
 */
export class RhythmService {
  constructor(
    private readonly settingsStore: PartnershipStores['settings'],
    private readonly calendar: ExchangeCalendar,
    private readonly exchanges: ExchangeService,
    private readonly auth: AuthService,
    private readonly notify: (n: NewNotification) => Promise<unknown>,
  ) {}

  async rhythm(userId: string, now = Date.now()): Promise<Rhythm> {
    const { held, upcoming, received, daysSinceReceived, settings, due } = await this.gap(userId, now);
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

  /**
   * Reminds everyone whose last received massage is further back than their chosen number of
   * days, whether or not they open the app (the home view reminds too). Someone who never received
   * one is reminded only by the home view: a background sweep would greet every new account.
   * One pass over the users, then one small calendar read each: run it rarely.
   */
  async remindAllDue(now = Date.now()): Promise<number> {
    let reminded = 0;
    for (const user of await this.auth.allActiveUsers()) {
      const { received, daysSinceReceived, settings, due } = await this.gap(user.id, now);
      if (!due || !received) continue;
      if (await this.remindOnce(user.id, settings.remindedAt, heldAt(received), daysSinceReceived)) reminded++;
    }
    return reminded;
  }

  private async gap(userId: string, now: number) {
    const entries = await this.calendar.entries(userId);
    const held = entries.filter((e) => heldAt(e) <= now);
    const upcoming = entries.filter((e) => heldAt(e) > now);
    const received = held.filter((e) => e.receivedMinutes > 0).at(-1);
    const daysSinceReceived = received ? Math.floor((now - received.startsAt.getTime()) / DAY_MS) : null;
    const settings = await this.settings(userId);
    const due = daysSinceReceived === null || daysSinceReceived >= settings.reminderDays;
    return { held, upcoming, received, daysSinceReceived, settings, due };
  }

  async updateSettings(userId: string, input: RhythmSettings): Promise<RhythmSettings> {
    const { reminderDays } = rhythmSettingsSchema.parse(input);
    await this.settingsStore.updateOne({ _id: userId }, { $set: { reminderDays } }, { upsert: true });
    return { reminderDays };
  }

  /** The ledger with one partner; 404 for someone the user has never booked an exchange with. */
  async ledger(userId: string, partnerId: string, now = Date.now()): Promise<Ledger> {
    const entries = await partnerBookings(this.calendar, userId, partnerId);
    const [ledger] = await this.ledgers(
      userId,
      entries.filter((e) => heldAt(e) <= now),
      partnerId,
    );
    return ledger!;
  }

  private async settings(userId: string): Promise<{ reminderDays: number; remindedAt: Date | null }> {
    const doc = await this.settingsStore.findOne({ _id: userId });
    return { reminderDays: doc?.reminderDays ?? REMINDER_DAYS_DEFAULT, remindedAt: doc?.remindedAt ?? null };
  }

  /** One reminder per gap: not again until a massage was received after the last reminder. */
  private async remindOnce(
    userId: string,
    remindedAt: Date | null,
    lastReceivedAt: number,
    days: number | null,
  ): Promise<boolean> {
    if (remindedAt && remindedAt.getTime() >= lastReceivedAt) return false;
    await this.settingsStore.updateOne({ _id: userId }, { $set: { remindedAt: new Date() } }, { upsert: true });
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
    return true;
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
