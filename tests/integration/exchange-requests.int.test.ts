// Exchange requests: consent before two people become partners of an exchange, through the real server,
// database and Socket.IO.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { bookExchange, daysFromNow, moveIntoPast, requestBody } from '../helpers/exchange-requests.ts';
import { signUpUser, type SignedUpUser } from '../helpers/http-client.ts';
import { notificationFeed, type NotificationFeed } from '../helpers/notification-feed.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
const feeds: NotificationFeed[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const f of feeds) f.close();
  await server?.stop();
});

async function users<N extends string[]>(...names: N): Promise<{ [K in keyof N]: SignedUpUser }> {
  return (await Promise.all(names.map((n) => signUpUser(server, n)))) as { [K in keyof N]: SignedUpUser };
}

async function feedOf(user: SignedUpUser): Promise<NotificationFeed> {
  const feed = await notificationFeed(server.url, user.cookieHeader);
  feeds.push(feed);
  return feed;
}

const exchangeIds = async (u: SignedUpUser) =>
  ((await u.client.get('/api/exchanges')).body.exchanges as { id: string }[]).map((e) => e.id);

describe('a request from a profile', () => {
  it('books nothing until accepted; a counter-proposal goes back to the proposer; accepting books it for both', async () => {
    const [ana, ben, eve] = await users('Ana', 'Ben', 'Eve');
    const [anaFeed, benFeed] = await Promise.all([feedOf(ana), feedOf(ben)]);
    const sent = await ben.client.post('/api/exchange-requests', requestBody(ana, { startsAt: daysFromNow(3) }));
    expect(sent.status).toBe(201);
    const id = sent.body.request.id;
    expect(sent.body.request).toMatchObject({
      role: 'sent',
      other: { kind: 'user', id: ana.user.id, displayName: 'Ana' },
      status: 'pending',
      myTurn: false,
      iGive: ['deep-tissue'],
      theyGive: ['shiatsu'],
      place: 'mine',
      exchangeIds: [],
    });

    const requested = await eventually(() => {
      expect(anaFeed.notifications).toHaveLength(1);
      return anaFeed.notifications[0]!;
    });
    expect(requested).toMatchObject({ kind: 'exchange-requested', requestId: id, actor: { id: ben.user.id } });
    const inbox = await ana.client.get('/api/exchange-requests');
    expect(inbox.body.requests[0]).toMatchObject({
      id,
      role: 'received',
      myTurn: true,
      // "mine" from Ben's side is Ana's "yours"
      place: 'yours',
      iGive: ['shiatsu'],
      theyGive: ['deep-tissue'],
      message: 'Trade next week?',
    });
    expect(await exchangeIds(ana)).toEqual([]);
    expect(await exchangeIds(ben)).toEqual([]);

    // Ben cannot accept his own request; Ana proposes another time
    const early = await ben.client.post(`/api/exchange-requests/${id}/accept`);
    expect(early.status).toBe(403);
    const later = daysFromNow(4, 15);
    const countered = await ana.client.post(`/api/exchange-requests/${id}/counter`, {
      startsAt: later,
      place: 'mine',
    });
    expect(countered.status).toBe(200);
    expect(countered.body.request).toMatchObject({
      status: 'countered',
      myTurn: false,
      startsAt: later,
      place: 'mine',
    });
    await eventually(() =>
      expect(benFeed.notifications.at(-1)).toMatchObject({ kind: 'request-countered', requestId: id }),
    );
    const seenByBen = await ben.client.get(`/api/exchange-requests/${id}`);
    expect(seenByBen.body.request).toMatchObject({
      myTurn: true,
      place: 'yours',
      originalStartsAt: sent.body.request.startsAt,
    });
    // now Ana waits for Ben
    expect((await ana.client.post(`/api/exchange-requests/${id}/accept`)).status).toBe(403);

    const accepted = await ben.client.post(`/api/exchange-requests/${id}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.request.status).toBe('accepted');
    const [exchangeId] = accepted.body.request.exchangeIds;
    await eventually(() =>
      expect(anaFeed.notifications.at(-1)).toMatchObject({ kind: 'request-accepted', requestId: id, exchangeId }),
    );
    for (const partner of [ana, ben]) {
      const res = await partner.client.get(`/api/exchanges/${exchangeId}`);
      expect(res.status).toBe(200);
      // Ben gives round 1 (he proposed and gives), Ana round 2
      expect(res.body.exchange).toMatchObject({
        partnerA: { id: ben.user.id },
        partnerB: { id: ana.user.id },
        startsAt: later,
        requestId: id,
        cancelledAt: null,
      });
    }
    expect((await eve.client.get(`/api/exchanges/${exchangeId}`)).status).toBe(404);
    // answered once: answering again is a conflict
    const again = await ben.client.post(`/api/exchange-requests/${id}/decline`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('request_closed');
  });

  it('lets exactly one of two racing answers win', async () => {
    const [ana, ben] = await users('Ana', 'Ben');
    const sent = await ana.client.post('/api/exchange-requests', requestBody(ben));
    const id = sent.body.request.id;
    const [accept, decline] = await Promise.all([
      ben.client.post(`/api/exchange-requests/${id}/accept`),
      ben.client.post(`/api/exchange-requests/${id}/decline`),
    ]);
    expect([accept.status, decline.status].sort()).toEqual([200, 409]);
  });

  it('books one slot once when two requests for it are accepted at the same moment', async () => {
    const [ana, ben, cleo] = await users('Ana', 'Ben', 'Cleo');
    const startsAt = daysFromNow(4);
    const fromAna = await ana.client.post('/api/exchange-requests', requestBody(ben, { startsAt }));
    const fromCleo = await cleo.client.post('/api/exchange-requests', requestBody(ben, { startsAt }));
    const answers = await Promise.all(
      [fromAna, fromCleo].map((sent) => ben.client.post(`/api/exchange-requests/${sent.body.request.id}/accept`)),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error).toMatchObject({
      code: 'double_booking',
      field: 'startsAt',
    });
  });
});

describe('a request by email', () => {
  it('answers the same whether or not the address has an account, and tells the stranger only "declined"', async () => {
    const [ana, stranger] = await users('Ana', 'Stranger');
    const strangerFeed = await feedOf(stranger);
    const anaFeed = await feedOf(ana);
    const body = (toEmail: string) => ({ ...requestBody(stranger, { toUserId: undefined }), toEmail });
    const known = await ana.client.post('/api/exchange-requests', body(stranger.email));
    const unknown = await ana.client.post('/api/exchange-requests', body('nobody-at-all@test.kneadback.test'));
    expect(known.status).toBe(201);
    expect(unknown.status).toBe(201);
    const shape = (r: typeof known) => ({ ...r.body.request, id: '', createdAt: '', updatedAt: '', other: '' });
    expect(shape(known)).toEqual(shape(unknown));
    expect(known.body.request.other).toEqual({ kind: 'email', email: stranger.email });
    expect(unknown.body.request.other).toEqual({ kind: 'email', email: 'nobody-at-all@test.kneadback.test' });
    expect(known.text).not.toContain(stranger.user.id);

    // the stranger is asked, and is no one's partner until they accept
    await eventually(() => expect(strangerFeed.notifications.at(-1)?.kind).toBe('exchange-requested'));
    expect(await exchangeIds(stranger)).toEqual([]);
    const received = await stranger.client.get(`/api/exchange-requests/${known.body.request.id}`);
    expect(received.body.request).toMatchObject({ role: 'received', myTurn: true });
    expect(received.text).not.toContain(stranger.email);

    const declined = await stranger.client.post(`/api/exchange-requests/${known.body.request.id}/decline`);
    expect(declined.status).toBe(200);
    const outbox = await ana.client.get('/api/exchange-requests');
    const mine = outbox.body.requests.find((r: { id: string }) => r.id === known.body.request.id);
    expect(mine).toMatchObject({ status: 'declined', other: { kind: 'email', email: stranger.email } });
    expect(outbox.text).not.toContain(stranger.user.id);
    expect(outbox.text).not.toContain('Stranger');
    expect(anaFeed.notifications).toEqual([]);
    expect(await exchangeIds(ana)).toEqual([]);
    expect(await exchangeIds(stranger)).toEqual([]);
  });
});

describe('bad input names the field', () => {
  let ana: SignedUpUser;
  let ben: SignedUpUser;
  beforeAll(async () => {
    [ana, ben] = await users('Ana', 'Ben');
  });

  it.each([
    ['a past time', { startsAt: daysFromNow(-1) }, 400, 'startsAt'],
    ['a time that is not a date', { startsAt: '2026-13-45T10:00:00Z' }, 400, 'startsAt'],
    ['a date without a time', { startsAt: '2027-01-01' }, 400, 'startsAt'],
    ['a time in year 9999', { startsAt: '9999-12-31T10:00:00Z' }, 400, 'startsAt'],
    ['a time over two years ahead', { startsAt: daysFromNow(2 * 366 + 1) }, 400, 'startsAt'],
    ['an unknown modality', { proposerGives: ['reiki-ish'] }, 400, 'proposerGives.0'],
    ['the same modality twice', { recipientGives: ['thai', 'thai'] }, 400, 'recipientGives'],
    ['nobody giving', { proposerGives: [], recipientGives: [] }, 400, 'proposerGives'],
    ['"elsewhere" without saying where', { place: 'elsewhere' }, 400, 'placeNote'],
    ['an unknown place', { place: 'the moon' }, 400, 'place'],
    ['too short a round', { roundMinutes: 5 }, 400, 'roundMinutes'],
    ['a message too long', { message: 'x'.repeat(1001) }, 400, 'message'],
    ['both a user and an email', { toEmail: 'someone@test.kneadback.test' }, 400, 'toUserId'],
    ['a user id that is not an id', { toUserId: 'ana' }, 400, 'toUserId'],
    ['an unknown user', { toUserId: 'ffffffffffffffffffffffff' }, 404, 'toUserId'],
    ['an unknown field', { partnerA: 'x' }, 400, 'partnerA'],
  ])('refuses %s', async (_what, changes, status, field) => {
    const res = await ana.client.post('/api/exchange-requests', requestBody(ben, changes));
    expect(res.status).toBe(status);
    expect(res.body.error.field).toBe(field);
    expect(res.body.error.message).toEqual(expect.any(String));
  });

  it('refuses a request to oneself, by id or by email (400 naming the field)', async () => {
    const byId = await ana.client.post('/api/exchange-requests', requestBody(ana));
    expect(byId.status).toBe(400);
    expect(byId.body.error).toMatchObject({ code: 'self_request', field: 'toUserId' });
    const byEmail = await ana.client.post('/api/exchange-requests', {
      ...requestBody(ana, { toUserId: undefined }),
      toEmail: ana.email.toUpperCase(),
    });
    expect(byEmail.status).toBe(400);
    expect(byEmail.body.error).toMatchObject({ code: 'self_request', field: 'toEmail' });
  });

  it('refuses a counter-proposal in the past and a cancel without a reason', async () => {
    const sent = await ana.client.post('/api/exchange-requests', requestBody(ben));
    const id = sent.body.request.id;
    const past = await ben.client.post(`/api/exchange-requests/${id}/counter`, {
      startsAt: daysFromNow(-2),
      place: 'mine',
    });
    expect(past.status).toBe(400);
    expect(past.body.error.field).toBe('startsAt');
    const noReason = await ana.client.post(`/api/exchange-requests/${id}/cancel`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.field).toBe('reason');
  });
});

describe('double bookings', () => {
  it('refuses a request or an acceptance overlapping an accepted exchange of either person (409 on startsAt)', async () => {
    const [ana, ben, eve] = await users('Ana', 'Ben', 'Eve');
    const at = daysFromNow(5, 9);
    await bookExchange(ana, ben, { startsAt: at });
    // 09:00 + two 60-minute rounds: 10:30 overlaps, 11:00 does not
    const overlapping = daysFromNow(5, 10).replace('T10:00', 'T10:30');
    const toBen = await eve.client.post('/api/exchange-requests', requestBody(ben, { startsAt: overlapping }));
    expect(toBen.status).toBe(409);
    expect(toBen.body.error).toMatchObject({ code: 'double_booking', field: 'startsAt' });
    expect(toBen.body.error.message).toContain('Ben');
    const fromAna = await ana.client.post('/api/exchange-requests', requestBody(eve, { startsAt: overlapping }));
    expect(fromAna.status).toBe(409);
    expect(fromAna.body.error.message).toContain('you already have');
    const after = await eve.client.post('/api/exchange-requests', requestBody(ben, { startsAt: daysFromNow(5, 11) }));
    expect(after.status).toBe(201);

    // an email request (which must not reveal Ben's calendar) is refused when accepted instead
    const byEmail = await eve.client.post('/api/exchange-requests', {
      ...requestBody(ben, { toUserId: undefined, startsAt: at }),
      toEmail: ben.email,
    });
    expect(byEmail.status).toBe(201);
    const accept = await ben.client.post(`/api/exchange-requests/${byEmail.body.request.id}/accept`);
    expect(accept.status).toBe(409);
    expect(accept.body.error).toMatchObject({ code: 'double_booking', field: 'startsAt' });
  });
});

describe('who can see and answer a request', () => {
  it('gives anyone but the two people 404 on every path, and the signed-out 401', async () => {
    const [ana, ben, eve] = await users('Ana', 'Ben', 'Eve');
    const id = (await ana.client.post('/api/exchange-requests', requestBody(ben))).body.request.id;
    const paths: [string, string, unknown?][] = [
      ['get', `/api/exchange-requests/${id}`],
      ['post', `/api/exchange-requests/${id}/accept`],
      ['post', `/api/exchange-requests/${id}/decline`],
      ['post', `/api/exchange-requests/${id}/counter`, { startsAt: daysFromNow(6), place: 'mine' }],
      ['post', `/api/exchange-requests/${id}/cancel`, { reason: 'mine now' }],
    ];
    for (const [method, path, body] of paths) {
      const res = method === 'get' ? await eve.client.get(path) : await eve.client.post(path, body);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('Ana');
      const anonymous = method === 'get' ? await server.client().get(path) : await server.client().post(path, body);
      expect(anonymous.status, path).toBe(401);
    }
    expect((await eve.client.get('/api/exchange-requests')).body.requests).toEqual([]);
    expect((await eve.client.get('/api/exchange-requests/not-an-id')).status).toBe(404);
    // the request is untouched
    expect((await ben.client.get(`/api/exchange-requests/${id}`)).body.request).toMatchObject({ status: 'pending' });
  });

  it('treats someone who blocked the sender exactly like an unknown user', async () => {
    const [ana, blocker] = await users('Ana', 'Blocker');
    expect((await blocker.client.post('/api/blocks', { userId: ana.user.id })).status).toBeLessThan(300);
    const byId = await ana.client.post('/api/exchange-requests', requestBody(blocker));
    const unknown = await ana.client.post(
      '/api/exchange-requests',
      requestBody(blocker, { toUserId: 'ffffffffffffffffffffffff' }),
    );
    expect(byId.status).toBe(404);
    expect(byId.body).toEqual(unknown.body);
    const byEmail = await ana.client.post('/api/exchange-requests', {
      ...requestBody(blocker, { toUserId: undefined }),
      toEmail: blocker.email,
    });
    expect(byEmail.status).toBe(201);
    expect((await blocker.client.get('/api/exchange-requests')).body.requests).toEqual([]);
  });

  it('refuses to book or counter across a block made after the request was sent, either way round', async () => {
    const [ana, ben, cai] = await users('Ana', 'Ben', 'Cai');
    const countered = (await ana.client.post('/api/exchange-requests', requestBody(ben))).body.request.id;
    expect(
      (
        await ben.client.post(`/api/exchange-requests/${countered}/counter`, {
          startsAt: daysFromNow(4),
          place: 'mine',
        })
      ).status,
    ).toBe(200);
    expect((await ben.client.post('/api/blocks', { userId: ana.user.id })).status).toBeLessThan(300);
    // the blocked proposer can neither book the blocker's counter-proposal nor send the blocker another time
    expect((await ana.client.post(`/api/exchange-requests/${countered}/accept`)).status).toBe(404);
    expect(
      (
        await ana.client.post(`/api/exchange-requests/${countered}/counter`, {
          startsAt: daysFromNow(5),
          place: 'mine',
        })
      ).status,
    ).toBe(404);
    // a recipient the proposer has since blocked cannot book with the proposer either
    const pending = (await cai.client.post('/api/exchange-requests', requestBody(ana))).body.request.id;
    expect((await cai.client.post('/api/blocks', { userId: ana.user.id })).status).toBeLessThan(300);
    expect((await ana.client.post(`/api/exchange-requests/${pending}/accept`)).status).toBe(404);
    expect(await exchangeIds(ana)).toEqual([]);
    // the blocker may still decline what is open
    expect((await ben.client.post(`/api/exchange-requests/${countered}/cancel`, { reason: 'no' })).status).toBe(200);
  });
});

describe('a deleted account', () => {
  it('withdraws its open requests and leaves its name on none of the copies its partners keep', async () => {
    const [zora, ben, cai] = await users('Zora', 'Ben', 'Cai');
    const sent = (await zora.client.post('/api/exchange-requests', requestBody(ben))).body.request.id;
    const received = (await cai.client.post('/api/exchange-requests', requestBody(zora, { startsAt: daysFromNow(6) })))
      .body.request.id;
    expect((await zora.client.post('/api/account/delete', { password: zora.password })).status).toBe(204);

    const accepted = await ben.client.post(`/api/exchange-requests/${sent}/accept`);
    expect(accepted.status).toBe(409);
    expect(await exchangeIds(ben)).toEqual([]);
    for (const [who, id] of [
      [ben, sent],
      [cai, received],
    ] as const) {
      const seen = await who.client.get(`/api/exchange-requests/${id}`);
      expect(seen.body.request).toMatchObject({ status: 'cancelled', myTurn: false });
      expect(seen.text).not.toContain('Zora');
    }
  });
});

describe('series and cancelling', () => {
  it('books every occurrence on accepting; cancels one, then the rest, with a reason both see', async () => {
    const [ana, ben] = await users('Ana', 'Ben');
    const benFeed = await feedOf(ben);
    const sent = await ana.client.post(
      '/api/exchange-requests',
      requestBody(ben, { repeat: { everyWeeks: 2, occurrences: 3 } }),
    );
    const id = sent.body.request.id;
    const accepted = await ben.client.post(`/api/exchange-requests/${id}/accept`);
    const ids: string[] = accepted.body.request.exchangeIds;
    expect(ids).toHaveLength(3);
    const starts = await Promise.all(
      ids.map(async (e) => Date.parse((await ana.client.get(`/api/exchanges/${e}`)).body.exchange.startsAt)),
    );
    const WEEK = 7 * 24 * 3600 * 1000;
    expect([starts[1]! - starts[0]!, starts[2]! - starts[0]!]).toEqual([2 * WEEK, 4 * WEEK]);

    const one = await ana.client.post(`/api/exchange-requests/${id}/cancel`, {
      reason: 'away that week',
      exchangeId: ids[1],
    });
    expect(one.status).toBe(200);
    expect(one.body.request).toMatchObject({ status: 'accepted', cancelledExchangeIds: [ids[1]] });
    const cancelledOne = (await ben.client.get(`/api/exchanges/${ids[1]}`)).body.exchange;
    expect(cancelledOne).toMatchObject({ cancelReason: 'away that week' });
    expect(cancelledOne.cancelledAt).not.toBeNull();
    await eventually(() => expect(benFeed.notifications.at(-1)).toMatchObject({ kind: 'request-cancelled' }));
    const twice = await ben.client.post(`/api/exchange-requests/${id}/cancel`, { reason: 'x', exchangeId: ids[1] });
    expect(twice.status).toBe(409);
    const foreign = await ben.client.post(`/api/exchange-requests/${id}/cancel`, {
      reason: 'x',
      exchangeId: 'ffffffffffffffffffffffff',
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.field).toBe('exchangeId');

    const rest = await ben.client.post(`/api/exchange-requests/${id}/cancel`, { reason: 'moving away' });
    expect(rest.body.request).toMatchObject({ status: 'cancelled', cancelReason: 'moving away', cancelledByMe: true });
    expect((await ana.client.get(`/api/exchange-requests/${id}`)).body.request).toMatchObject({
      cancelledByMe: false,
      cancelledExchangeIds: expect.arrayContaining(ids),
    });
    // the freed time can be booked again
    expect((await ana.client.post('/api/exchange-requests', requestBody(ben))).status).toBe(201);
  });
});

describe('cancelling what already happened', () => {
  it('refuses (409) to cancel an exchange that has taken place, one occurrence or the whole request', async () => {
    const [ana, ben] = await users('Ana', 'Ben');
    const exchangeId = await bookExchange(ana, ben);
    await moveIntoPast(server.connection, exchangeId, 2);
    const requestId = (await ana.client.get(`/api/exchanges/${exchangeId}`)).body.exchange.requestId;
    const one = await ana.client.post(`/api/exchange-requests/${requestId}/cancel`, { reason: 'late', exchangeId });
    expect(one.status).toBe(409);
    expect(one.body.error).toMatchObject({ code: 'already_held', field: 'exchangeId' });
    const whole = await ben.client.post(`/api/exchange-requests/${requestId}/cancel`, { reason: 'late' });
    expect(whole.status).toBe(409);
    expect(whole.body.error.code).toBe('already_held');
    expect((await ana.client.get(`/api/exchanges/${exchangeId}`)).body.exchange.cancelledAt).toBeNull();
  });
});

describe('request spam', () => {
  it('is refused with 429 and Retry-After past the hourly limit', async () => {
    const limited = await startTestServer({ RATE_LIMITS: 'on' });
    try {
      const [ana, ben] = await Promise.all([signUpUser(limited, 'Ana'), signUpUser(limited, 'Ben')]);
      for (let i = 0; i < 20; i++) {
        const res = await ana.client.post('/api/exchange-requests', requestBody(ben, { startsAt: daysFromNow(2 + i) }));
        expect(res.status).toBe(201);
      }
      const spam = await ana.client.post('/api/exchange-requests', requestBody(ben, { startsAt: daysFromNow(30) }));
      expect(spam.status).toBe(429);
      expect(spam.body.error.code).toBe('rate_limited');
      expect(spam.body.error.message).toMatch(/too many exchange requests; try again in/);
      expect(Number(spam.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await ben.client.get('/api/exchange-requests')).body.requests).toHaveLength(20);
    } finally {
      await limited.stop();
    }
  });
});
