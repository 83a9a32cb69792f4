// Notifications: stored, listed over HTTP and pushed live over Socket.IO to the one person they are for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { io, type Socket } from 'socket.io-client';
import { addAnnotation, addReply, readAnnotations, setAnnotationStatus } from '@kneadback/shared/docs/debrief-doc';
import type { ClientToServerEvents, ServerToClientEvents } from '@kneadback/shared/events';
import type { Notification } from '@kneadback/shared/schemas/notification';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createExchange, createPartners, upperTrapeziusPressure } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { signUpUser, TestClient, type SignedUpUser } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  moveNotificationsToPerUserCollections,
  notificationCollections,
} from '../../server/src/features/notifications/model.ts';
import { NotificationService } from '../../server/src/features/notifications/service.ts';
import { RATE_LIMITS } from '../../server/src/http/rate-limit.ts';

type EventsSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface EventsClient {
  socket: EventsSocket;
  notifications: Notification[];
  unreadCounts: number[];
}

let server: TestServer;
const sockets: EventsSocket[] = [];
const debriefClients: DebriefClient[] = [];

function openSocket(cookie: string): EventsSocket {
  const socket: EventsSocket = io(server.url, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  return socket;
}

/** A signed-in Socket.IO client that records what it is sent, connected before it is returned. */
async function eventsClient(cookie: string): Promise<EventsClient> {
  const socket = openSocket(cookie);
  const client: EventsClient = { socket, notifications: [], unreadCounts: [] };
  socket.on('notification:new', (n) => client.notifications.push(n));
  socket.on('notification:unread-count', ({ unreadCount }) => client.unreadCounts.push(unreadCount));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return client;
}

function connectionError(socket: EventsSocket): Promise<Error> {
  return new Promise((resolve, reject) => {
    socket.once('connect_error', resolve);
    socket.once('connect', () => reject(new Error('the socket connected')));
  });
}

/** An exchange request from `creator` to `partner` on `day` at 10:00 UTC; its id. */
async function newRequest(creator: SignedUpUser, partner: SignedUpUser, day = '2027-01-27'): Promise<string> {
  const res = await creator.client.post('/api/exchange-requests', {
    toUserId: partner.user.id,
    startsAt: `${day}T10:00:00Z`,
    place: 'mine',
    proposerGives: ['swedish'],
    recipientGives: ['shiatsu'],
  });
  expect(res.status).toBe(201);
  return res.body.request.id;
}

/** A figure once it has stopped changing: the same in four readings half a second apart (within 30 s). */
async function settled(read: () => Promise<number>): Promise<number> {
  const readings: number[] = [];
  for (const giveUp = Date.now() + 30_000; Date.now() < giveUp;) {
    readings.push(await read());
    if (readings.length >= 4 && new Set(readings.slice(-4)).size === 1) return readings.at(-1)!;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`still changing after 30 s: ${readings.join(', ')}`);
}

/** A fresh cookie jar for an existing account, like a reload on another device. */
async function logIn(user: SignedUpUser): Promise<TestClient> {
  const client = server.client();
  const res = await client.post('/api/auth/login', { email: user.email, password: user.password });
  expect(res.status).toBe(200);
  return client;
}

beforeAll(async () => {
  server = await startTestServer({}, { unloadDelayMs: 50 });
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const c of debriefClients) c.destroy();
  await server?.stop();
});

// refused at the WebSocket upgrade, before Socket.IO starts: the client sees a transport error
describe('the events socket handshake', () => {
  it('refuses a socket without a session', async () => {
    const err = await connectionError(openSocket(''));
    expect(err.message).toBe('websocket error');
  });

  it('refuses a socket with a made-up or signed-out session', async () => {
    const forged = await connectionError(openSocket('kb_session=forged-token-value'));
    expect(forged.message).toBe('websocket error');

    const gone = await signUpUser(server, 'Gone');
    expect((await gone.client.post('/api/auth/logout')).status).toBe(204);
    const signedOut = await connectionError(openSocket(gone.cookieHeader));
    expect(signedOut.message).toBe('websocket error');
  });

  it('accepts a socket with a session', async () => {
    const user = await signUpUser(server, 'Sam');
    const { socket } = await eventsClient(user.cookieHeader);
    expect(socket.connected).toBe(true);
  });
});

describe('live notifications', () => {
  let ana: SignedUpUser;
  let ben: SignedUpUser;
  let eve: SignedUpUser;
  let anaEvents: EventsClient;
  let benEvents: EventsClient;
  let eveEvents: EventsClient;
  let exchangeId: string;

  beforeAll(async () => {
    [ana, ben, eve] = await Promise.all([
      signUpUser(server, 'Ana'),
      signUpUser(server, 'Ben'),
      signUpUser(server, 'Eve'),
    ]);
    [anaEvents, benEvents, eveEvents] = await Promise.all([
      eventsClient(ana.cookieHeader),
      eventsClient(ben.cookieHeader),
      eventsClient(eve.cookieHeader),
    ]);
  });

  it('tells the recipient, and only the recipient, about an exchange request', async () => {
    exchangeId = await createExchange({ a: ana, b: ben }, '2026-11-27');
    const requested = await newRequest(ana, ben);
    const received = await eventually(() => {
      expect(benEvents.notifications).toHaveLength(1);
      return benEvents.notifications[0]!;
    });
    expect(received).toMatchObject({
      kind: 'exchange-requested',
      actor: { id: ana.user.id, displayName: 'Ana' },
      exchangeId: null,
      requestId: requested,
      annotationId: null,
      round: null,
      readAt: null,
    });
    expect(received.text).toContain('Ana');
    expect(received.text).toContain('27 Jan 2027');
    await eventually(() => expect(benEvents.unreadCounts.at(-1)).toBe(1));

    // Events reach one socket in order: once a later notification has reached Ana and Eve, an
    // earlier one meant for them would have arrived first. So these prove nothing leaked.
    const fromBen = await newRequest(ben, ana, '2027-01-30');
    await eventually(() => expect(anaEvents.notifications).toHaveLength(1));
    expect(anaEvents.notifications[0]).toMatchObject({ kind: 'exchange-requested', requestId: fromBen });

    const withEve = await newRequest(ana, eve, '2027-02-01');
    await eventually(() => expect(eveEvents.notifications).toHaveLength(1));
    expect(eveEvents.notifications[0]).toMatchObject({ kind: 'exchange-requested', requestId: withEve });
    // Ben was told nothing of the request between Ana and Eve
    expect(benEvents.notifications.map((n) => n.requestId)).not.toContain(withEve);
  });

  it('does not notify anyone of an exchange created by invite link', async () => {
    const before = eveEvents.notifications.length;
    const res = await eve.client.post('/api/exchanges', { date: '2026-12-05' });
    expect(res.status).toBe(201);
    // a barrier: a later notification for Eve arrives after anything the invite would have caused
    const barrier = await newRequest(ben, eve, '2027-02-06');
    await eventually(() => expect(eveEvents.notifications).toHaveLength(before + 1));
    expect(eveEvents.notifications.at(-1)?.requestId).toBe(barrier);
  });

  it('tells the partner when someone joins the debrief, replies, mentions them or resolves a mark', async () => {
    const eveBefore = eveEvents.notifications.length;
    const debrief = connectDebrief(server.url, ana.cookieHeader, exchangeId);
    debriefClients.push(debrief);
    await debrief.synced();

    const joined = await eventually(() => {
      const found = benEvents.notifications.find((n) => n.kind === 'partner-joined-debrief');
      expect(found).toBeDefined();
      return found!;
    });
    expect(joined).toMatchObject({ actor: { id: ana.user.id, displayName: 'Ana' }, exchangeId: exchangeId });
    expect(joined.text).toContain('Ana');

    const mark = addAnnotation(debrief.doc, ana.user.id, upperTrapeziusPressure);
    addReply(debrief.doc, mark.id, ana.user.id, { text: 'Was that too much on the left side?' });
    const reply = await eventually(
      () => {
        const found = benEvents.notifications.find((n) => n.kind === 'reply');
        expect(found).toBeDefined();
        return found!;
      },
      { timeout: 10_000 },
    );
    expect(reply).toMatchObject({ actor: { id: ana.user.id }, exchangeId: exchangeId, annotationId: mark.id });
    // The link opens the mark in its round
    expect(reply.round).toBe(mark.round);
    expect(reply.text).toContain('Was that too much on the left side?');

    addReply(debrief.doc, mark.id, ana.user.id, { text: 'Ben, check this one', mentions: [ben.user.id] });
    const mention = await eventually(
      () => {
        const found = benEvents.notifications.find((n) => n.kind === 'mention');
        expect(found).toBeDefined();
        return found!;
      },
      { timeout: 10_000 },
    );
    expect(mention).toMatchObject({ actor: { id: ana.user.id }, exchangeId: exchangeId, annotationId: mark.id });
    expect(benEvents.notifications.filter((n) => n.kind === 'reply')).toHaveLength(1);

    setAnnotationStatus(debrief.doc, mark.id, 'resolved', ana.user.id);
    await eventually(
      () => expect(benEvents.notifications.find((n) => n.kind === 'resolved')).toMatchObject({ annotationId: mark.id }),
      { timeout: 10_000 },
    );

    // Ana is never told of her own actions; Eve is told nothing of a debrief she is not part of
    const barrier = await newRequest(ben, ana, '2027-02-07');
    await eventually(() => expect(anaEvents.notifications.at(-1)?.requestId).toBe(barrier));
    expect(anaEvents.notifications.map((n) => n.kind)).toEqual(['exchange-requested', 'exchange-requested']);
    const eveBarrier = await newRequest(ben, eve, '2027-02-08');
    await eventually(() => expect(eveEvents.notifications.at(-1)?.requestId).toBe(eveBarrier));
    expect(eveEvents.notifications.slice(eveBefore).map((n) => n.requestId)).toEqual([eveBarrier]);
  });

  it('does not tell a partner who is in the debrief already: she sees him arrive', async () => {
    // Ana's device from the test before is still in the debrief
    const anaBefore = anaEvents.notifications.length;
    const debrief = connectDebrief(server.url, ben.cookieHeader, exchangeId);
    debriefClients.push(debrief);
    await debrief.synced();
    const barrier = await newRequest(ben, ana, '2027-02-12');
    await eventually(() => expect(anaEvents.notifications.at(-1)?.requestId).toBe(barrier));
    expect(anaEvents.notifications.slice(anaBefore).map((n) => n.kind)).toEqual(['exchange-requested']);
    debrief.destroy();
  });

  it('lists the notifications newest first with the unread count, after a reload too', async () => {
    const expectedKinds = ['resolved', 'mention', 'reply', 'partner-joined-debrief', 'exchange-requested'];
    const list = await ben.client.get('/api/notifications');
    expect(list.status).toBe(200);
    expect(list.body.unreadCount).toBe(expectedKinds.length);
    expect(list.body.notifications.map((n: Notification) => n.kind)).toEqual(expectedKinds);
    const times = list.body.notifications.map((n: Notification) => Date.parse(n.createdAt));
    expect(times).toEqual([...times].sort((x, y) => y - x));
    // what was pushed live is what is stored
    expect(
      list.body.notifications
        .map((n: Notification) => n.id)
        .slice()
        .sort(),
    ).toEqual(
      benEvents.notifications
        .map((n) => n.id)
        .slice()
        .sort(),
    );

    // a reload: a new sign-in and a new socket see the same list and are pushed new ones
    const reloaded = await logIn(ben);
    const again = await reloaded.get('/api/notifications');
    expect(again.body).toEqual(list.body);
    const reloadedEvents = await eventsClient(reloaded.cookieHeader);
    await newRequest(ana, ben, '2027-02-09');
    await eventually(() => expect(reloadedEvents.notifications).toHaveLength(1));
    await eventually(() => expect(benEvents.notifications.at(-1)?.id).toBe(reloadedEvents.notifications[0]!.id));
    expect((await ben.client.get('/api/notifications')).body.unreadCount).toBe(expectedKinds.length + 1);
  });

  it('keeps each person’s list to their own notifications', async () => {
    const anaList = await ana.client.get('/api/notifications');
    const eveList = await eve.client.get('/api/notifications');
    for (const n of anaList.body.notifications) expect(n.actor.id).not.toBe(ana.user.id);
    expect(anaList.body.notifications.map((n: Notification) => n.kind)).toEqual([
      'exchange-requested',
      'exchange-requested',
      'exchange-requested',
    ]);
    expect(eveList.body.notifications.every((n: Notification) => n.actor.id !== eve.user.id)).toBe(true);
    expect(eveList.body.notifications.some((n: Notification) => n.exchangeId === exchangeId)).toBe(false);
  });

  it('marks read over the socket, answering a bad payload with an error the same socket survives', async () => {
    const bad = await benEvents.socket.timeout(5_000).emitWithAck('notifications:mark-read', { ids: ['nope'] });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.error).toMatchObject({ code: 'invalid_input', message: expect.any(String) });
    expect(bad.error.field).toMatch(/^ids/);

    const empty = await benEvents.socket
      .timeout(5_000)
      .emitWithAck('notifications:mark-read', {} as Parameters<ClientToServerEvents['notifications:mark-read']>[0]);
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(benEvents.socket.connected).toBe(true);

    // one by id...
    const before = (await ben.client.get('/api/notifications')).body;
    const oldest: Notification = before.notifications.at(-1);
    const one = await benEvents.socket.timeout(5_000).emitWithAck('notifications:mark-read', { ids: [oldest.id] });
    expect(one).toEqual({ ok: true, data: { unreadCount: before.unreadCount - 1 } });
    const afterOne = (await ben.client.get('/api/notifications')).body;
    expect(afterOne.notifications.find((n: Notification) => n.id === oldest.id).readAt).toEqual(expect.any(String));
    expect(afterOne.notifications.filter((n: Notification) => n.readAt === null)).toHaveLength(before.unreadCount - 1);

    // ...then all; every socket of Ben's hears the new count
    const all = await benEvents.socket.timeout(5_000).emitWithAck('notifications:mark-read', { all: true });
    expect(all).toEqual({ ok: true, data: { unreadCount: 0 } });
    await eventually(() => expect(benEvents.unreadCounts.at(-1)).toBe(0));
    const afterAll = (await ben.client.get('/api/notifications')).body;
    expect(afterAll.unreadCount).toBe(0);
    expect(afterAll.notifications.every((n: Notification) => n.readAt !== null)).toBe(true);
  });

  it("cannot mark someone else's notifications read", async () => {
    const anaList = (await ana.client.get('/api/notifications')).body;
    expect(anaList.unreadCount).toBeGreaterThan(0);
    const ids = anaList.notifications.map((n: Notification) => n.id);
    const res = await eveEvents.socket.timeout(5_000).emitWithAck('notifications:mark-read', { ids });
    expect(res.ok).toBe(true);
    const http = await eve.client.post('/api/notifications/read', { ids });
    expect(http.status).toBe(200);
    expect((await ana.client.get('/api/notifications')).body.unreadCount).toBe(anaList.unreadCount);
  });

  it('marks read over HTTP and refuses a bad body with 400', async () => {
    const bodies: unknown[] = [{}, { ids: [] }, { ids: ['nope'] }, { all: false }, { all: true, ids: [] }];
    for (const body of bodies) {
      const res = await ana.client.post('/api/notifications/read', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('invalid_input');
    }
    // a bare JSON string is not a body express accepts at all
    const notAnObject = await ana.client.post('/api/notifications/read', 'all');
    expect(notAnObject.status).toBe(400);
    expect(notAnObject.body.error.code).toBe('invalid_json');
    const ok = await ana.client.post('/api/notifications/read', { all: true });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ unreadCount: 0 });
    await eventually(() => expect(anaEvents.unreadCounts.at(-1)).toBe(0));
  });

  it('asks for a session (401) on the HTTP routes', async () => {
    const anonymous = server.client();
    expect((await anonymous.get('/api/notifications')).status).toBe(401);
    expect((await anonymous.post('/api/notifications/read', { all: true })).status).toBe(401);
  });
});

describe('a partner who keeps doing things', () => {
  it('folds repeats of one kind about one mark into one unread notification that counts them', async () => {
    const pair = await createPartners(server, '2026-11-20');
    const benEvents = await eventsClient(pair.b.cookieHeader);
    const debrief = connectDebrief(server.url, pair.a.cookieHeader, pair.exchangeId);
    debriefClients.push(debrief);
    await debrief.synced();
    const mark = addAnnotation(debrief.doc, pair.a.user.id, upperTrapeziusPressure);
    const other = addAnnotation(debrief.doc, pair.a.user.id, { ...upperTrapeziusPressure, text: 'And the right' });
    for (let i = 1; i <= 11; i++) addReply(debrief.doc, mark.id, pair.a.user.id, { text: `reply ${i}` });
    addReply(debrief.doc, other.id, pair.a.user.id, { text: 'on the other mark' });
    const replies = async () => {
      const list = (await pair.b.client.get('/api/notifications')).body;
      return { list, replies: list.notifications.filter((n: Notification) => n.kind === 'reply') as Notification[] };
    };
    // before: eleven notifications for the one mark
    await eventually(
      async () => {
        const { replies: found } = await replies();
        expect(Object.fromEntries(found.map((n) => [n.annotationId, n.count]))).toEqual({
          [mark.id]: 11,
          [other.id]: 1,
        });
      },
      { timeout: 10_000 },
    );
    // a later reply counts on, is the one quoted, and brings the notification back to the top
    addReply(debrief.doc, mark.id, pair.a.user.id, { text: 'reply 12' });
    const folded = await eventually(
      async () => {
        const { list, replies: found } = await replies();
        expect(found).toHaveLength(2);
        expect(found[0]).toMatchObject({ annotationId: mark.id, count: 12, readAt: null });
        expect(found[0]!.text).toContain('reply 12');
        return { list, notification: found[0]! };
      },
      { timeout: 10_000 },
    );
    expect(folded.list.unreadCount).toBe(folded.list.notifications.length);
    // each repeat was pushed live as the same notification, so a device's list keeps one entry
    await eventually(() => expect(benEvents.notifications.at(-1)).toMatchObject({ count: 12 }));
    expect(new Set(benEvents.notifications.filter((n) => n.annotationId === mark.id).map((n) => n.id))).toEqual(
      new Set([folded.notification.id]),
    );

    // once read, the next reply on that mark is news again: unread, on top, counted from one
    expect((await pair.b.client.post('/api/notifications/read', { all: true })).status).toBe(200);
    addReply(debrief.doc, mark.id, pair.a.user.id, { text: 'one more thing' });
    await eventually(
      async () => {
        const { list, replies: found } = await replies();
        expect(found[0]).toMatchObject({ id: folded.notification.id, count: 1, readAt: null });
        expect(found[0]!.text).toContain('one more thing');
        expect(list.unreadCount).toBe(1);
      },
      { timeout: 10_000 },
    );
  });

  it('drops what one person causes another past 100 an hour, silently, and lets others through', async () => {
    const limited = await startTestServer({ RATE_LIMITS: 'on' }, { unloadDelayMs: 50 });
    try {
      const pair = await createPartners(limited, '2026-11-20');
      const eve = await signUpUser(limited, 'Eve');
      const debrief = connectDebrief(limited.url, pair.a.cookieHeader, pair.exchangeId);
      debriefClients.push(debrief);
      await debrief.synced();
      // one reply on each of 120 marks: nothing to fold, every one a new notification before
      debrief.doc.transact(() => {
        for (let i = 0; i < 120; i++) {
          const mark = addAnnotation(debrief.doc, pair.a.user.id, { ...upperTrapeziusPressure, text: `mark ${i}` });
          addReply(debrief.doc, mark.id, pair.a.user.id, { text: `about mark ${i}` });
        }
      });
      const unread = async () => (await pair.b.client.get('/api/notifications')).body.unreadCount as number;
      const max = RATE_LIMITS.notificationsPerSenderToRecipient.max;
      // Ana's "joined the debrief" notice counts too: it is something she caused Ben. Before: 121
      await eventually(async () => expect(await unread()).toBeGreaterThanOrEqual(max), { timeout: 30_000 });
      expect(await settled(unread)).toBe(max);
      // all that Ana wrote went through: Ben's own copy of the debrief holds it
      const benDebrief = connectDebrief(limited.url, pair.b.cookieHeader, pair.exchangeId);
      debriefClients.push(benDebrief);
      await benDebrief.synced();
      expect(readAnnotations(benDebrief.doc)).toHaveLength(120);
      // someone else still reaches Ben
      const barrier = await newRequest(eve, pair.b, '2027-03-03');
      await eventually(async () => {
        const list = (await pair.b.client.get('/api/notifications')).body;
        expect(list.notifications[0]).toMatchObject({ requestId: barrier, actor: { id: eve.user.id } });
        expect(list.unreadCount).toBe(max + 1);
      });
    } finally {
      await limited.stop();
    }
  }, 60_000);
});

describe('notifications stored before each user had a collection of their own', () => {
  let before: TestServer;
  let after: TestServer | undefined;
  let ana: SignedUpUser;
  let ben: SignedUpUser;
  const base = Date.parse('2026-01-01T09:00:00Z');

  beforeAll(async () => {
    before = await startTestServer();
    [ana, ben] = await Promise.all([signUpUser(before, 'Ana'), signUpUser(before, 'Ben')]);
  });

  afterAll(async () => {
    await after?.stop();
    await before?.stop();
  });

  it('are moved once at start-up, listed for their user newest first, and then live on as any other', async () => {
    // written as older versions stored them: one collection for everyone, a userId on each
    const raw = before.connection.collection('notifications');
    const legacy = (userId: string, actor: SignedUpUser, i: number, read: boolean) => ({
      _id: new mongoose.Types.ObjectId(),
      userId: new mongoose.Types.ObjectId(userId),
      kind: 'exchange-created' as const,
      actorId: new mongoose.Types.ObjectId(actor.user.id),
      actorName: actor.user.displayName,
      exchangeId: new mongoose.Types.ObjectId(),
      annotationId: null,
      text: `old notification ${i}`,
      createdAt: new Date(base + i * 60_000),
      readAt: read ? new Date(base + i * 60_000 + 1_000) : null,
    });
    // 60 for Ben (more than a page), the oldest 10 of them read; 2 for Ana
    await raw.insertMany([
      ...Array.from({ length: 60 }, (_, i) => legacy(ben.user.id, ana, i, i < 10)),
      legacy(ana.user.id, ben, 100, false),
      legacy(ana.user.id, ben, 101, true),
    ]);
    // written by a tool without casting (ids as hex strings), and one no one could be shown
    await raw.insertOne({
      ...legacy(ana.user.id, ben, 102, false),
      exchangeId: new mongoose.Types.ObjectId().toHexString(),
    });
    await raw.insertOne({ kind: 'reply', text: 'for no one', createdAt: new Date(base) });
    // a move that stopped part-way: one of Ben's already in his collection (and read there since)
    const partial = await raw.findOne({
      userId: new mongoose.Types.ObjectId(ben.user.id),
      text: 'old notification 59',
    });
    const { userId: _userId, ...moved } = partial!;
    await before.connection
      .collection(`notifications_${ben.user.id}`)
      .insertOne({ ...moved, readAt: new Date(base + 100 * 60_000) });
    await before.connection.collection('migrations').deleteOne({ _id: 'notifications-per-user' as never });

    // a restart on the same database (same session secret, so the same cookies sign in)
    after = await startTestServer({
      MONGODB_URI: before.config.mongodbUri!,
      SESSION_SECRET: before.config.sessionSecret,
    });
    // moved in the background, once the server serves
    await eventually(
      async () =>
        expect(
          await after!.connection.collection('migrations').findOne({ _id: 'notifications-per-user' as never }),
        ).toMatchObject({ moved: 63, skipped: 1 }),
      { timeout: 15_000 },
    );
    expect(await after.connection.db!.listCollections({ name: 'notifications' }).toArray()).toEqual([]);

    const benList = await new TestClient(after.url).get('/api/notifications', {
      headers: { cookie: ben.cookieHeader },
    });
    expect(benList.status).toBe(200);
    // newest 50: 59 down to 10; 59 kept the read state it had in his collection
    expect(benList.body.notifications.map((n: Notification) => n.text)).toEqual(
      Array.from({ length: 50 }, (_, i) => `old notification ${59 - i}`),
    );
    expect(benList.body.unreadCount).toBe(49);
    expect(benList.body.notifications[1]).toMatchObject({
      kind: 'exchange-created',
      actor: { id: ana.user.id, displayName: 'Ana' },
      annotationId: null,
      round: null,
      createdAt: new Date(base + 58 * 60_000).toISOString(),
      readAt: null,
    });
    const anaList = await new TestClient(after.url).get('/api/notifications', {
      headers: { cookie: ana.cookieHeader },
    });
    expect(anaList.body.notifications.map((n: Notification) => n.text)).toEqual([
      'old notification 102',
      'old notification 101',
      'old notification 100',
    ]);
    expect(anaList.body.notifications[0].actor).toEqual({ id: ben.user.id, displayName: 'Ben' });
    expect(anaList.body.unreadCount).toBe(2);

    // the rest of Ben's, one page further on, without overlap
    const service = new NotificationService(notificationCollections(after.connection), {} as never, {} as never);
    const lastShown: Notification = benList.body.notifications.at(-1);
    const next = await service.list(ben.user.id, { before: lastShown.id });
    expect(next.notifications.map((n) => n.text)).toEqual(
      Array.from({ length: 10 }, (_, i) => `old notification ${9 - i}`),
    );
    expect((await service.list(ben.user.id, { limit: 3, before: next.notifications[6]!.id })).notifications).toEqual(
      next.notifications.slice(7),
    );

    // once only: a later start (or a call) finds the marker and moves nothing
    expect(await moveNotificationsToPerUserCollections(after.connection)).toEqual({ moved: 0, skipped: 0 });

    // moved notifications are read and counted like new ones
    const benClient = new TestClient(after.url);
    const read = await benClient.post(
      '/api/notifications/read',
      { ids: [benList.body.notifications[1].id] },
      { headers: { cookie: ben.cookieHeader } },
    );
    expect(read.body).toEqual({ unreadCount: 48 });
    const res = await benClient.post(
      '/api/exchange-requests',
      {
        toEmail: ana.email,
        startsAt: '2027-02-10T10:00:00Z',
        place: 'elsewhere',
        placeNote: 'the clinic on Rua Augusta',
        proposerGives: ['sports'],
        recipientGives: [],
      },
      { headers: { cookie: ben.cookieHeader } },
    );
    expect(res.status).toBe(201);
    await eventually(async () => {
      const list = await new TestClient(after!.url).get('/api/notifications', {
        headers: { cookie: ana.cookieHeader },
      });
      expect(list.body.notifications).toHaveLength(4);
      expect(list.body.notifications[0]).toMatchObject({ kind: 'exchange-requested', requestId: res.body.request.id });
      expect(list.body.unreadCount).toBe(3);
    });
  });
});
