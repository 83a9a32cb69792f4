// Exchanges: the pairing of two therapists on a date, through an invite link (requests: exchange-requests.int.test.ts).
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EARLIEST_DAY, latestBookableDay, MAX_YEARS_AHEAD } from '@kneadback/shared/schemas/calendar-day';
import { createExchange } from '../helpers/debrief-fixtures.ts';
import { signUpUser, type SignedUpUser } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let ana: SignedUpUser;
let ben: SignedUpUser;
let eve: SignedUpUser;

beforeAll(async () => {
  server = await startTestServer();
  [ana, ben, eve] = await Promise.all([
    signUpUser(server, 'Ana'),
    signUpUser(server, 'Ben'),
    signUpUser(server, 'Eve'),
  ]);
});

afterAll(async () => {
  await server?.stop();
});

const dayAfter = (day: string) => new Date(Date.parse(day) + 24 * 3600 * 1000).toISOString().slice(0, 10);
const ids = (res: { body: { exchanges: { id: string }[] } }) => res.body.exchanges.map((e) => e.id);

describe('an exchange with someone named by email is a request now', () => {
  it('refuses partnerEmail on /api/exchanges (400 naming it) and creates nothing', async () => {
    const before = await ben.client.get('/api/exchanges');
    const res = await ana.client.post('/api/exchanges', { partnerEmail: ben.email, date: '2026-11-27' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', field: 'partnerEmail' });
    expect(ids(await ben.client.get('/api/exchanges'))).toEqual(ids(before));
  });

  it('makes two people partners only once the invitee joins through the link', async () => {
    const created = await ana.client.post('/api/exchanges', { date: '2026-11-27' });
    expect(created.status).toBe(201);
    expect(created.body.exchange.partnerB).toBeNull();
    expect(ids(await ben.client.get('/api/exchanges'))).not.toContain(created.body.exchange.id);
    const joined = await ben.client.post('/api/exchanges/join', { inviteToken: created.body.exchange.inviteToken });
    expect(joined.body.exchange).toMatchObject({ partnerA: { id: ana.user.id }, partnerB: { id: ben.user.id } });
    expect(ids(await ben.client.get('/api/exchanges'))).toContain(created.body.exchange.id);
    // neither partner is shown the other's email
    expect(joined.text).not.toContain(ana.email);
  });
});

describe('validating the body', () => {
  it.each([
    ['a date in another format', '27/11/2026'],
    ['an impossible date', '2026-13-45'],
    ['a date with a time', '2026-11-27T10:00:00Z'],
    ['an empty date', ''],
    ['a number', 20261127],
  ])('refuses %s with 400 naming date', async (_what, date) => {
    const res = await ana.client.post('/api/exchanges', { date });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', field: 'date' });
    expect(res.body.error.message).toMatch(/date/);
  });

  // year 0000 once counted as an exchange held (unlocking referrals and endorsements); 9999 stayed "next" for good
  it.each([
    ['year 0', '0000-01-01'],
    ['the day before the window', '1999-12-31'],
    ['the day after the window', dayAfter(latestBookableDay())],
    ['year 9999', '9999-12-31'],
  ])('refuses a date in %s with 400 naming date, and books nothing', async (_what, date) => {
    const before = ids(await ana.client.get('/api/exchanges'));
    const res = await ana.client.post('/api/exchanges', { date });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      code: 'invalid_input',
      field: 'date',
      message: `date: pick a day from ${EARLIEST_DAY} up to ${MAX_YEARS_AHEAD} years from today`,
    });
    expect(ids(await ana.client.get('/api/exchanges'))).toEqual(before);
  });

  it('accepts the first and the last day of the window', async () => {
    for (const date of [EARLIEST_DAY, latestBookableDay()]) {
      expect((await ana.client.post('/api/exchanges', { date })).status).toBe(201);
    }
  });

  it('refuses a missing date with 400 naming date', async () => {
    const res = await ana.client.post('/api/exchanges', {});
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('date');
  });

  it.each([5, 181, 30.5])('refuses roundMinutes %s with 400 naming roundMinutes', async (roundMinutes) => {
    const res = await ana.client.post('/api/exchanges', { date: '2026-11-27', roundMinutes });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('roundMinutes');
  });

  it('refuses unknown fields', async () => {
    const res = await ana.client.post('/api/exchanges', {
      date: '2026-11-27',
      partnerA: eve.user.id,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.message).toMatch(/partnerA/);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await ana.client.post('/api/exchanges', undefined, { rawBody: '{"date": ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_json');
  });
});

describe('the invite link', () => {
  it('lets the invitee join once; only the creator ever sees the token', async () => {
    const created = await ana.client.post('/api/exchanges', { date: '2026-12-01' });
    expect(created.status).toBe(201);
    const exchange = created.body.exchange;
    expect(exchange.partnerB).toBeNull();
    expect(exchange.inviteToken).toEqual(expect.any(String));
    expect(exchange.inviteToken.length).toBeGreaterThanOrEqual(16);
    const token: string = exchange.inviteToken;

    // the creator sees the token in the list and the detail; nobody else sees the exchange at all
    const listA = await ana.client.get('/api/exchanges');
    expect(listA.body.exchanges.find((e: { id: string }) => e.id === exchange.id)?.inviteToken).toBe(token);
    expect((await ana.client.get(`/api/exchanges/${exchange.id}`)).body.exchange.inviteToken).toBe(token);
    expect((await ben.client.get(`/api/exchanges/${exchange.id}`)).status).toBe(404);
    expect(ids(await ben.client.get('/api/exchanges'))).not.toContain(exchange.id);

    // the creator cannot join their own exchange
    const own = await ana.client.post('/api/exchanges/join', { inviteToken: token });
    expect(own.status).toBe(400);
    expect(own.body.error.code).toBe('self_exchange');

    const joined = await ben.client.post('/api/exchanges/join', { inviteToken: token });
    expect(joined.status).toBe(200);
    expect(joined.body.exchange).toMatchObject({
      id: exchange.id,
      partnerA: { id: ana.user.id },
      partnerB: { id: ben.user.id },
      inviteToken: null,
    });
    expect(joined.text).not.toContain(token);

    // both now list it; the token is spent
    expect(ids(await ben.client.get('/api/exchanges'))).toContain(exchange.id);
    const afterA = await ana.client.get(`/api/exchanges/${exchange.id}`);
    expect(afterA.body.exchange).toMatchObject({ partnerB: { id: ben.user.id }, inviteToken: null });

    for (const who of [eve, ben]) {
      const reuse = await who.client.post('/api/exchanges/join', { inviteToken: token });
      expect([404, 409]).toContain(reuse.status);
      expect(reuse.body.error.message).toEqual(expect.any(String));
    }
    expect((await eve.client.get(`/api/exchanges/${exchange.id}`)).status).toBe(404);
  });

  it('lets exactly one of two people racing for the same link in', async () => {
    // a handful of races, since one race may happen not to overlap
    for (let round = 0; round < 10; round++) {
      const created = await ana.client.post('/api/exchanges', { date: '2026-12-02' });
      const token: string = created.body.exchange.inviteToken;
      const results = await Promise.all([
        ben.client.post('/api/exchanges/join', { inviteToken: token }),
        eve.client.post('/api/exchanges/join', { inviteToken: token }),
      ]);
      const after = await ana.client.get(`/api/exchanges/${created.body.exchange.id}`);
      const joined = results.flatMap((r, i) => (r.status === 200 ? [[ben, eve][i]!.user.displayName] : []));
      expect(
        joined,
        `round ${round}: both were told they joined; partnerB is ${after.body.exchange.partnerB?.displayName}`,
      ).toHaveLength(1);
      const loser = results.find((r) => r.status !== 200)!;
      expect([404, 409]).toContain(loser.status);
      const winner = results[0]!.status === 200 ? ben : eve;
      expect(after.body.exchange.partnerB.id).toBe(winner.user.id);
    }
  });

  it('answers an unknown token with 404 and a malformed one with 400', async () => {
    const unknown = await ben.client.post('/api/exchanges/join', { inviteToken: 'x'.repeat(24) });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('invite_not_found');

    const short = await ben.client.post('/api/exchanges/join', { inviteToken: 'abc' });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe('inviteToken');

    const missing = await ben.client.post('/api/exchanges/join', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('inviteToken');
  });
});

describe('who can see an exchange', () => {
  it('gives an outsider 404, the same as for an id that does not exist', async () => {
    const exchangeId = await createExchange({ a: ana, b: ben }, '2026-12-03');
    const outsider = await eve.client.get(`/api/exchanges/${exchangeId}`);
    expect(outsider.status).toBe(404);
    expect(outsider.text).not.toContain('Ana');

    const missing = await eve.client.get('/api/exchanges/ffffffffffffffffffffffff');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe(outsider.body.error.code);
    expect(missing.body.error.message).toBe(outsider.body.error.message);

    const malformed = await ana.client.get('/api/exchanges/not-an-id');
    expect(malformed.status).toBe(404);
  });

  it('asks for a session (401) on every exchange route', async () => {
    const anonymous = server.client();
    const created = await ana.client.post('/api/exchanges', { date: '2026-12-04' });
    const responses = await Promise.all([
      anonymous.get('/api/exchanges'),
      anonymous.post('/api/exchanges', { date: '2026-12-04' }),
      anonymous.post('/api/exchanges/join', { inviteToken: created.body.exchange.inviteToken }),
      anonymous.get(`/api/exchanges/${created.body.exchange.id}`),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('not_signed_in');
    }
    // the anonymous join did not spend the token
    expect((await ana.client.get(`/api/exchanges/${created.body.exchange.id}`)).body.exchange.inviteToken).toBe(
      created.body.exchange.inviteToken,
    );
  });

  it('asks for a session again after logging out', async () => {
    const temp = await signUpUser(server, 'Temp');
    expect((await temp.client.post('/api/auth/logout')).status).toBe(204);
    const res = await temp.client.get('/api/exchanges', { headers: { cookie: temp.cookieHeader } });
    expect(res.status).toBe(401);
  });
});

describe('invite links expire and can be withdrawn', () => {
  const DAY_MS = 24 * 3600 * 1000;

  async function inviteFromAna(date = '2026-12-10') {
    const res = await ana.client.post('/api/exchanges', { date });
    expect(res.status).toBe(201);
    return res.body.exchange as { id: string; inviteToken: string; inviteExpiresAt: string };
  }

  /** Moves the stored expiry, as time passing would (the server keeps no clock of its own). */
  async function setExpiry(exchangeId: string, expiresAt: Date) {
    await server.connection
      .collection('exchanges')
      .updateOne({ _id: new Types.ObjectId(exchangeId) }, { $set: { inviteExpiresAt: expiresAt } });
  }

  it('says when the link stops working: 14 days after it was made, to its creator only', async () => {
    const before = Date.now();
    const exchange = await inviteFromAna();
    const expiresAt = Date.parse(exchange.inviteExpiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 14 * DAY_MS);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 14 * DAY_MS);
    const listed = (await ana.client.get('/api/exchanges')).body.exchanges.find(
      (e: { id: string }) => e.id === exchange.id,
    );
    expect(listed.inviteExpiresAt).toBe(exchange.inviteExpiresAt);

    const joined = await ben.client.post('/api/exchanges/join', { inviteToken: exchange.inviteToken });
    expect(joined.status).toBe(200);
    expect(joined.body.exchange).toMatchObject({ inviteToken: null, inviteExpiresAt: null });
  });

  it('refuses an expired link with 410 and the day it expired, and lets nobody in', async () => {
    const exchange = await inviteFromAna();
    await setExpiry(exchange.id, new Date('2026-01-05T10:00:00Z'));
    const res = await ben.client.post('/api/exchanges/join', { inviteToken: exchange.inviteToken });
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('invite_expired');
    expect(res.body.error.message).toBe('this invite link expired on 5 Jan 2026; ask your partner for a new one');
    expect((await ben.client.get(`/api/exchanges/${exchange.id}`)).status).toBe(404);
    // the creator still sees the link with its date, so the page can say why it stopped working
    const own = (await ana.client.get(`/api/exchanges/${exchange.id}`)).body.exchange;
    expect(own).toMatchObject({ partnerB: null, inviteToken: exchange.inviteToken });
    expect(own.inviteExpiresAt).toBe('2026-01-05T10:00:00.000Z');
  });

  it('lets the creator withdraw the link: a later click gets 410 "withdrawn"', async () => {
    const exchange = await inviteFromAna();
    const res = await ana.client.delete(`/api/exchanges/${exchange.id}/invite`);
    expect(res.status).toBe(200);
    expect(res.body.exchange).toMatchObject({
      id: exchange.id,
      partnerB: null,
      inviteToken: null,
      inviteExpiresAt: null,
    });
    expect(res.text).not.toContain(exchange.inviteToken);
    // withdrawing twice is not an error
    expect((await ana.client.delete(`/api/exchanges/${exchange.id}/invite`)).status).toBe(200);

    const join = await ben.client.post('/api/exchanges/join', { inviteToken: exchange.inviteToken });
    expect(join.status).toBe(410);
    expect(join.body.error).toMatchObject({
      code: 'invite_revoked',
      message: 'your partner withdrew this invite link; ask them for a new one',
    });
    expect((await ana.client.get(`/api/exchanges/${exchange.id}`)).body.exchange).toMatchObject({
      partnerB: null,
      inviteToken: null,
    });
  });

  it('lets only the creator withdraw, and not after the partner joined', async () => {
    const exchange = await inviteFromAna();
    const outsider = await eve.client.delete(`/api/exchanges/${exchange.id}/invite`);
    expect(outsider.status).toBe(404);
    expect((await server.client().delete(`/api/exchanges/${exchange.id}/invite`)).status).toBe(401);

    expect((await ben.client.post('/api/exchanges/join', { inviteToken: exchange.inviteToken })).status).toBe(200);
    const partner = await ben.client.delete(`/api/exchanges/${exchange.id}/invite`);
    expect(partner.status).toBe(403);
    const late = await ana.client.delete(`/api/exchanges/${exchange.id}/invite`);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('invite_used');

    const joinedEarlier = await createExchange({ a: ana, b: ben }, '2026-12-11');
    const none = await ana.client.delete(`/api/exchanges/${joinedEarlier}/invite`);
    expect(none.status).toBe(409);
    expect(none.body.error.message).toBe('your partner is already in this exchange; there is no link to withdraw');
  });

  it('gives an exchange made before links expired 14 days from its creation', async () => {
    const exchange = await inviteFromAna();
    const createdAt = new Date(Date.now() - 15 * DAY_MS);
    await server.connection
      .collection('exchanges')
      .updateOne({ _id: new Types.ObjectId(exchange.id) }, { $unset: { inviteExpiresAt: '' }, $set: { createdAt } });
    const own = (await ana.client.get(`/api/exchanges/${exchange.id}`)).body.exchange;
    expect(own.inviteExpiresAt).toBe(new Date(createdAt.getTime() + 14 * DAY_MS).toISOString());
    const res = await ben.client.post('/api/exchanges/join', { inviteToken: exchange.inviteToken });
    expect(res.status).toBe(410);
    expect(res.body.error.code).toBe('invite_expired');
  });
});
