// Blocking, the data export and account deletion through the real endpoints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAnnotation, addReply, readAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { DELETED_ACCOUNT_NAME } from '@kneadback/shared/schemas/account';
import type { Notification } from '@kneadback/shared/schemas/notification';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createExchange, createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { bookExchange } from '../helpers/exchange-requests.ts';
import { signUpUser, TestClient, type SignedUpUser } from '../helpers/http-client.ts';
import { notificationFeed, type NotificationFeed } from '../helpers/notification-feed.ts';
import { saveProfile } from '../helpers/profile-fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { createLogger } from '../../server/src/logger.ts';
import { startServer } from '../../server/src/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({}, { unloadDelayMs: 50 });
});

afterAll(async () => {
  await server?.stop();
});

const LISBON = { lat: 38.72, lng: -9.14 };
const found = async (who: SignedUpUser, id: string) =>
  (await who.client.get('/api/partners?city=Lisbon')).body.results.some((r: { id: string }) => r.id === id);

describe('blocking', () => {
  let ana: SignedUpUser;
  let mallory: SignedUpUser;
  let other: SignedUpUser;

  beforeAll(async () => {
    [ana, mallory, other] = await Promise.all([
      signUpUser(server, 'Ana'),
      signUpUser(server, 'Mallory'),
      signUpUser(server, 'Olga'),
    ]);
    for (const who of [ana, mallory, other]) {
      await saveProfile(who, { modalities: [{ modality: 'swedish', years: 1 }], city: 'Lisbon', location: LISBON });
    }
  });

  it('hides the blocker from the blocked: not found in search, 404 on the profile, like someone who does not exist', async () => {
    expect(await found(mallory, ana.user.id)).toBe(true);
    const block = await ana.client.post('/api/blocks', { userId: mallory.user.id });
    expect(block.status).toBe(204);

    expect(await found(mallory, ana.user.id)).toBe(false);
    const profile = await mallory.client.get(`/api/profiles/${ana.user.id}`);
    const nobody = await mallory.client.get('/api/profiles/5f0000000000000000000000');
    expect(profile.status).toBe(404);
    expect(profile.body).toEqual({ error: { ...nobody.body.error } });
    // and the other way round: the blocker no longer meets them either
    expect(await found(ana, mallory.user.id)).toBe(false);
    expect((await ana.client.get(`/api/profiles/${mallory.user.id}`)).status).toBe(404);
    // everyone else still sees both
    expect(await found(other, ana.user.id)).toBe(true);
    expect(await found(other, mallory.user.id)).toBe(true);
  });

  it('tells the blocked person nothing: their own lists and profile are as before', async () => {
    const list = await mallory.client.get('/api/blocks');
    expect(list.body.blocked).toEqual([]);
    const me = await mallory.client.get(`/api/profiles/${mallory.user.id}`);
    expect(me.status).toBe(200);
    expect(me.text).not.toContain(ana.user.id);
  });

  it('lists who you blocked, and unblocking brings them back', async () => {
    const list = await ana.client.get('/api/blocks');
    expect(list.body.blocked).toEqual([{ id: mallory.user.id, displayName: 'Mallory' }]);
    expect((await ana.client.delete(`/api/blocks/${mallory.user.id}`)).status).toBe(204);
    expect((await ana.client.delete(`/api/blocks/${mallory.user.id}`)).status).toBe(204);
    expect(await found(mallory, ana.user.id)).toBe(true);
    expect((await mallory.client.get(`/api/profiles/${ana.user.id}`)).status).toBe(200);
    expect((await ana.client.get('/api/blocks')).body.blocked).toEqual([]);
  });

  it('keeps a block in force after a restart (the index is rebuilt from the database)', async () => {
    await ana.client.post('/api/blocks', { userId: mallory.user.id });
    // a second server on the same database builds its index from what is stored
    const restarted = await startServer({ ...server.config, port: 0 }, createLogger('silent'));
    try {
      const client = new TestClient(restarted.url);
      const login = await client.post('/api/auth/login', { email: mallory.email, password: mallory.password });
      expect(login.status).toBe(200);
      const res = await client.get('/api/partners?city=Lisbon');
      const ids = res.body.results.map((r: { id: string }) => r.id);
      expect(ids).toContain(other.user.id);
      expect(ids).not.toContain(ana.user.id);
    } finally {
      await restarted.stop();
    }
    await ana.client.delete(`/api/blocks/${mallory.user.id}`);
  });

  it('refuses blocking yourself, unknown people and bad ids', async () => {
    const self = await ana.client.post('/api/blocks', { userId: ana.user.id });
    expect(self.status).toBe(400);
    expect(self.body.error.field).toBe('userId');
    expect((await ana.client.post('/api/blocks', { userId: '5f0000000000000000000000' })).status).toBe(404);
    const bad = await ana.client.post('/api/blocks', { userId: 'nope' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('userId');
    expect((await server.client().post('/api/blocks', { userId: mallory.user.id })).status).toBe(401);
  });
});

describe('an invite link sent before a block', () => {
  it('answers the blocked person, either way round, exactly like a link that does not exist', async () => {
    const [ana, mallory, nina, ben] = await Promise.all([
      signUpUser(server, 'Ana'),
      signUpUser(server, 'Mallory'),
      signUpUser(server, 'Nina'),
      signUpUser(server, 'Ben'),
    ]);
    const invite = async () =>
      (await ana.client.post('/api/exchanges', { date: '2026-11-27' })).body.exchange as {
        id: string;
        inviteToken: string;
      };
    const open = await invite();
    const withdrawn = await invite();
    expect((await ana.client.delete(`/api/exchanges/${withdrawn.id}/invite`)).status).toBe(200);
    expect((await ana.client.post('/api/blocks', { userId: mallory.user.id })).status).toBe(204);
    // Nina blocked Ana, then tries Ana's link
    expect((await nina.client.post('/api/blocks', { userId: ana.user.id })).status).toBe(204);

    const join = (who: SignedUpUser, inviteToken: string) => who.client.post('/api/exchanges/join', { inviteToken });
    const unknown = await join(mallory, 'no-such-invite-link-at-all');
    expect(unknown.status).toBe(404);
    for (const [who, link] of [
      [mallory, open],
      [mallory, withdrawn],
      [nina, open],
    ] as const) {
      const refused = await join(who, link.inviteToken);
      expect({ status: refused.status, body: refused.body }).toEqual({ status: 404, body: unknown.body });
      expect((await who.client.get(`/api/exchanges/${link.id}`)).status).toBe(404);
    }
    // to anyone else the links are what they were
    expect((await join(ben, withdrawn.inviteToken)).body.error).toMatchObject({ code: 'invite_revoked' });
    const joined = await join(ben, open.inviteToken);
    expect(joined.status).toBe(200);
    expect(joined.body.exchange).toMatchObject({ id: open.id, partnerB: { id: ben.user.id } });
  });
});

describe('blocking someone you share exchanges with', () => {
  const feeds: NotificationFeed[] = [];
  const debriefs: DebriefClient[] = [];
  const reason = 'You pressed far too hard, and I will tell everyone';

  afterAll(() => {
    for (const f of feeds) f.close();
    for (const d of debriefs) d.destroy();
  });

  async function feedOf(user: SignedUpUser): Promise<NotificationFeed> {
    const feed = await notificationFeed(server.url, user.cookieHeader);
    feeds.push(feed);
    return feed;
  }

  async function noticeOf(feed: NotificationFeed, kind: Notification['kind']): Promise<Notification> {
    return eventually(
      () => {
        const found = feed.notifications.find((n) => n.kind === kind);
        expect(found).toBeDefined();
        return found!;
      },
      { timeout: 10_000 },
    );
  }

  /** Mallory asked Ana for an exchange, Ana accepted, then Ana blocked Mallory. */
  async function bookedThenBlocked() {
    const [ana, mallory] = await Promise.all([signUpUser(server, 'Ana'), signUpUser(server, 'Mallory')]);
    const exchangeId = await bookExchange(mallory, ana);
    const requestId: string = (await ana.client.get(`/api/exchanges/${exchangeId}`)).body.exchange.requestId;
    expect((await ana.client.post('/api/blocks', { userId: mallory.user.id })).status).toBe(204);
    return { ana, mallory, exchangeId, requestId };
  }

  /** What `who` can read of the cancelled exchange: the notice, their notifications, the request, the exchange. */
  async function expectNoReason(who: SignedUpUser, notice: Notification, requestId: string, exchangeId: string) {
    expect(notice.text).toMatch(/ cancelled the exchange \([^)]*\)$/);
    const request = await who.client.get(`/api/exchange-requests/${requestId}`);
    expect(request.body.request).toMatchObject({ status: 'cancelled', cancelReason: null, cancelledByMe: false });
    const exchange = await who.client.get(`/api/exchanges/${exchangeId}`);
    expect(exchange.body.exchange).toMatchObject({ cancelledAt: expect.any(String), cancelReason: null });
    for (const res of [request, exchange, await who.client.get('/api/notifications')]) {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('far too hard');
    }
  }

  it('lets the blocked person still cancel, and the blocker learns only that the exchange was cancelled', async () => {
    const { ana, mallory, exchangeId, requestId } = await bookedThenBlocked();
    const anaFeed = await feedOf(ana);
    const cancelled = await mallory.client.post(`/api/exchange-requests/${requestId}/cancel`, { reason });
    expect(cancelled.status).toBe(200);
    // what she wrote stays hers to see
    expect(cancelled.body.request).toMatchObject({ status: 'cancelled', cancelReason: reason, cancelledByMe: true });
    await expectNoReason(ana, await noticeOf(anaFeed, 'request-cancelled'), requestId, exchangeId);
  });

  it('keeps the blocker’s reason from the blocked person the same way', async () => {
    const { ana, mallory, exchangeId, requestId } = await bookedThenBlocked();
    const malloryFeed = await feedOf(mallory);
    expect((await ana.client.post(`/api/exchange-requests/${requestId}/cancel`, { reason })).status).toBe(200);
    await expectNoReason(mallory, await noticeOf(malloryFeed, 'request-cancelled'), requestId, exchangeId);
  });

  it('still tells the blocker of a reply in a debrief they share, without quoting it', async () => {
    const [ana, mallory] = await Promise.all([signUpUser(server, 'Ana'), signUpUser(server, 'Mallory')]);
    const exchangeId = await createExchange({ a: ana, b: mallory }, '2026-03-04');
    expect((await ana.client.post('/api/blocks', { userId: mallory.user.id })).status).toBe(204);
    const anaFeed = await feedOf(ana);
    const debrief = connectDebrief(server.url, mallory.cookieHeader, exchangeId);
    debriefs.push(debrief);
    await debrief.synced();
    // Mallory receives round 1 and marks it
    const mark = addAnnotation(debrief.doc, mallory.user.id, upperTrapeziusPressure);
    addReply(debrief.doc, mark.id, mallory.user.id, { text: 'You pressed far too hard' });
    const notice = await noticeOf(anaFeed, 'reply');
    expect(notice).toMatchObject({ annotationId: mark.id, text: 'Mallory replied to a mark' });
    expect((await ana.client.get('/api/notifications')).text).not.toContain('far too hard');
  });
});

describe('your data', () => {
  let partners: Partners;
  let clients: DebriefClient[] = [];
  let markId: string;

  beforeAll(async () => {
    partners = await createPartners(server, '2026-02-03');
    await saveProfile(partners.a, { bio: 'Ana bio', city: 'Lisbon' });
    await saveProfile(partners.b, { bio: 'Ben bio', city: 'Porto' });
    const a = connectDebrief(server.url, partners.a.cookieHeader, partners.exchangeId);
    const b = connectDebrief(server.url, partners.b.cookieHeader, partners.exchangeId);
    clients = [a, b];
    await Promise.all([a.synced(), b.synced()]);
    // Ben receives round 1 and writes its mark; Ana answers in the thread
    markId = addAnnotation(b.doc, partners.b.user.id, upperTrapeziusPressure).id;
    await eventually(() => expect(readAnnotation(a.doc, markId)).not.toBeNull());
    addReply(a.doc, markId, partners.a.user.id, { text: 'Was it the angle or the depth?' });
    await eventually(async () => {
      const res = await partners.a.client.get('/api/account/export');
      expect(res.body.sections.threadEntries).toHaveLength(1);
    });
  });

  afterAll(() => {
    for (const c of clients) c.destroy();
  });

  it('exports only your own data as a JSON download', async () => {
    const res = await partners.a.client.get('/api/account/export');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /attachment; filename="kneadback-export-\d{4}-\d{2}-\d{2}\.json"/,
    );
    const { sections } = res.body;
    expect(res.body).toMatchObject({ format: 'kneadback-export', version: 1, userId: partners.a.user.id });
    expect(sections.account).toEqual({ id: partners.a.user.id, email: partners.a.email, displayName: 'Ana' });
    expect(sections.profile).toMatchObject({ bio: 'Ana bio', city: 'Lisbon' });
    expect(sections.exchanges).toEqual([
      { id: partners.exchangeId, date: '2026-02-03', roundMinutes: 60, myRound: 1, partnerId: partners.b.user.id },
    ]);
    // Ben wrote the mark: it is his, not Ana's; her reply is hers
    expect(sections.marks).toEqual([]);
    expect(sections.threadEntries).toMatchObject([
      { exchangeId: partners.exchangeId, markId, text: 'Was it the angle or the depth?' },
    ]);
    expect(res.text).not.toContain(partners.b.email);
    expect(res.text).not.toContain('Ben bio');

    const ben = await partners.b.client.get('/api/account/export');
    expect(ben.body.sections.marks).toMatchObject([
      { exchangeId: partners.exchangeId, markId, category: 'pressure', pressure: 8 },
    ]);
    expect(ben.body.sections.threadEntries).toEqual([]);
    // his mark without Ana's reply in its thread or Review's bookkeeping
    expect(ben.body.sections.marks[0]).not.toHaveProperty('thread');
    expect(ben.text).not.toContain('Was it the angle or the depth?');
    expect(ben.body.sections.marks[0]).not.toHaveProperty('partnerId');
    expect(ben.text).not.toContain('Ana bio');
  });

  it('counts wrong passwords at account deletion with sign-in failures, so a signed-in device cannot guess the password', async () => {
    const quinn = await signUpUser(server, 'Quinn');
    for (let i = 0; i < 5; i++) {
      expect((await quinn.client.post('/api/account/delete', { password: `guess-number-${i}` })).status).toBe(403);
    }
    const locked = await quinn.client.post('/api/account/delete', { password: quinn.password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    const login = await server.client().post('/api/auth/login', { email: quinn.email, password: quinn.password });
    expect(login.status).toBe(429);
    expect((await quinn.client.get('/api/auth/me')).status).toBe(200);
  });

  it('refuses deleting without the right password', async () => {
    const wrong = await partners.a.client.post('/api/account/delete', { password: 'not-my-password-1' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.field).toBe('password');
    const missing = await partners.a.client.post('/api/account/delete', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('password');
    expect((await partners.a.client.get('/api/auth/me')).status).toBe(200);
  });

  it('deletes the account: signed out, cannot sign in, gone from search, partner keeps the debrief under another name', async () => {
    const other = await partners.a.client.get('/api/auth/me');
    expect(other.status).toBe(200);
    const secondDevice = new TestClient(server.url);
    await secondDevice.post('/api/auth/login', { email: partners.a.email, password: partners.a.password });

    const res = await partners.a.client.post('/api/account/delete', { password: partners.a.password });
    expect(res.status).toBe(204);
    expect((await partners.a.client.get('/api/auth/me')).status).toBe(401);
    expect((await secondDevice.get('/api/auth/me')).status).toBe(401);
    const login = await server
      .client()
      .post('/api/auth/login', { email: partners.a.email, password: partners.a.password });
    expect(login.status).toBe(401);
    const placeholder = await server.client().post('/api/auth/login', {
      email: `deleted-${partners.a.user.id}@deleted.kneadback.invalid`,
      password: 'anything-at-all-1',
    });
    expect(placeholder.status).toBe(401);

    const exchange = await partners.b.client.get(`/api/exchanges/${partners.exchangeId}`);
    expect(exchange.status).toBe(200);
    expect(exchange.body.exchange.partnerA).toMatchObject({
      id: partners.a.user.id,
      displayName: DELETED_ACCOUNT_NAME,
    });
    expect(exchange.text).not.toContain('Ana');
    const review = await partners.b.client.get('/api/review/critiques');
    expect(review.status).toBe(200);
    expect(review.body.items[0].partner).toMatchObject({ displayName: DELETED_ACCOUNT_NAME });

    expect((await partners.b.client.get(`/api/profiles/${partners.a.user.id}`)).status).toBe(404);
    expect(await found(partners.b, partners.a.user.id)).toBe(false);
    // the email is free for a new account
    const again = await server.client().post('/api/auth/signup', {
      email: partners.a.email,
      password: partners.a.password,
      displayName: 'Ana again',
    });
    expect(again.status).toBe(201);
  });
});
