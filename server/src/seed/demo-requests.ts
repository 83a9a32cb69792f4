import { RateLimits } from '../http/rate-limit.ts';
import { dayStart, ExchangeCalendar } from '../features/exchanges/calendar.ts';
import { exchangeModel, inviteClaimModel } from '../features/exchanges/model.ts';
import { ExchangeService } from '../features/exchanges/service.ts';
import { requestCollections, requestTransitions } from '../features/exchange-requests/model.ts';
import { ExchangeRequestService } from '../features/exchange-requests/service.ts';
import type { SeedContext } from './main.ts';
import { SettledParties } from '../features/exchanges/parties.ts';

const DAY_MS = 24 * 3600 * 1000;

/** A time `days` from now at `hour`:00 UTC, as a request takes it. */
function at(days: number, hour: number): string {
  const when = new Date(Date.now() + days * DAY_MS);
  when.setUTCHours(hour, 0, 0, 0);
  return when.toISOString();
}

/**
 * The demo pair's rhythm: their earlier debriefs in both calendars (so the ledger and "received N days ago"
 * count them), a past exchange booked through a request (Ana gave a 45-minute sports round only), an accepted
 * weekly series starting in a few days, and a request from Ben still waiting for Ana's answer.
 */
export async function seedDemoRequests(ctx: SeedContext): Promise<void> {
  const ana = ctx.users.get('ana@demo.kneadback.test');
  const ben = ctx.users.get('ben@demo.kneadback.test');
  if (!ana || !ben) return;
  const requests = requestCollections(ctx.connection);
  if ((await requests.of(ana.id).countDocuments({})) > 0) return;

  const Exchanges = exchangeModel(ctx.connection);
  const calendar = new ExchangeCalendar(ctx.connection);
  for (const e of await Exchanges.find({ partnerA: ana.id, partnerB: ben.id, requestId: null }).lean()) {
    const minutes = e.roundMinutes;
    await calendar.book({
      exchangeId: e._id.toHexString(),
      a: { id: ana.id, givesMinutes: minutes },
      b: { id: ben.id, givesMinutes: minutes },
      startsAt: dayStart(e.date),
      timed: false,
    });
  }
  // seeding is the operator's own act: no limits, nobody to notify live
  const limits = new RateLimits(false);
  const exchanges = new ExchangeService(
    Exchanges,
    inviteClaimModel(ctx.connection),
    ctx.auth,
    limits,
    calendar,
    new SettledParties(ctx.connection),
    // the demo pair book through requests; nobody joins by link here
    async () => true,
  );
  const service = new ExchangeRequestService({
    requests,
    transitions: requestTransitions(ctx.connection),
    exchanges,
    auth: ctx.auth,
    limits,
    notify: async () => undefined,
  });
  const sender = (userId: string) => ({ userId, address: 'seed' });

  const pastStart = new Date(at(-4, 9));
  await exchanges.book({
    requestId: null,
    a: { id: ana.id, givesMinutes: 45 },
    b: { id: ben.id, givesMinutes: 0 },
    roundMinutes: 45,
    occurrences: [{ startsAt: pastStart, day: pastStart.toISOString().slice(0, 10) }],
  });
  const weekly = await service.create(sender(ana.id), {
    toUserId: ben.id,
    startsAt: at(3, 17),
    place: 'mine',
    proposerGives: ['deep-tissue'],
    recipientGives: ['shiatsu'],
    roundMinutes: 60,
    message: 'Same time every week?',
    repeat: { everyWeeks: 1, occurrences: 4 },
  });
  await service.accept(ben.id, weekly.id);
  await service.create(sender(ben.id), {
    toUserId: ana.id,
    startsAt: at(10, 10),
    place: 'elsewhere',
    placeNote: 'the studio near Ribeira',
    proposerGives: ['swedish'],
    recipientGives: ['sports'],
    roundMinutes: 45,
    message: 'Could you show me your sports warm-up?',
  });
  ctx.logger.info('demo exchange requests created');
}
