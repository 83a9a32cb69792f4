import { afterAll, beforeAll, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import {
  MAX_EVENT_CONNECTIONS_PER_ADDRESS,
  MAX_EVENT_CONNECTIONS_PER_USER,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@kneadback/shared/events';
import { MAX_SESSIONS_PER_USER } from '../../server/src/features/auth/service.ts';
import { eventually } from '../helpers/eventually.ts';
import { signUpUser } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer; // one trusted proxy in front: X-Forwarded-For names the caller
const sockets: Socket[] = [];
const rawSockets: WebSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: '1' });
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  for (const ws of rawSockets) ws.terminate();
  await server?.stop();
});

function connect(cookie: string, transports: string[]): Socket<ServerToClientEvents, ClientToServerEvents> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, {
    extraHeaders: { cookie },
    transports,
    reconnection: false,
  });
  sockets.push(socket);
  return socket;
}

it('serves Socket.IO over WebSocket next to the HTTP app without breaking it', async () => {
  const user = await signUpUser(server, 'Pat');
  const socket = connect(user.cookieHeader, ['websocket']);
  await eventually(() => expect(socket.connected).toBe(true));
  const health = await server.client().get('/healthz');
  expect(health.status).toBe(200);
  const me = await user.client.get('/api/auth/me');
  expect(me.status).toBe(200);
});

// Long-polling requests go through the HTTP server's request handler (Express must leave them to
// Socket.IO: a double answer once crashed the server), and each handshake opened a session until
// its connect timeout, signed in or not. The client speaks WebSocket only, so the server does too.
it('refuses a long-polling handshake, signed in or not, and keeps serving', async () => {
  const user = await signUpUser(server, 'Poll');
  for (const cookie of [undefined, user.cookieHeader]) {
    const res = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`, {
      headers: cookie ? { cookie } : {},
    });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('sid');
  }
  expect((await user.client.get('/api/auth/me')).status).toBe(200);
});

/**
 * Opens an engine.io WebSocket without ever saying hello to Socket.IO: 'open' once the server has
 * given it a session, else the HTTP status its upgrade was answered with.
 */
function rawEngineSocket(headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers });
    rawSockets.push(ws);
    ws.once('message', (data) => resolve(String(data).startsWith('0{"sid"') ? 'open' : String(data)));
    ws.once('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
    ws.once('error', (err) => resolve(`error ${err.message}`));
  });
}

it('opens no engine.io session for a WebSocket without a live session', async () => {
  const user = await signUpUser(server, 'Gate');
  expect(await rawEngineSocket({})).toBe('refused 400');
  expect(await rawEngineSocket({ cookie: 'kb_session=not-a-session' })).toBe('refused 400');
  expect(await rawEngineSocket({ cookie: user.cookieHeader })).toBe('open');
  expect((await user.client.post('/api/auth/logout')).status).toBe(204);
  expect(await rawEngineSocket({ cookie: user.cookieHeader })).toBe('refused 400');
});

function connectWith(headers: Record<string, string>): Socket<ServerToClientEvents, ClientToServerEvents> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, {
    extraHeaders: headers,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  return socket;
}

/** 'connected', or the refusal's code followed by its words (when the server sent some). */
function handshake(socket: Socket): Promise<'connected' | string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err: Error & { data?: { error?: { message?: string } } }) =>
      resolve([err.message, err.data?.error?.message].filter(Boolean).join(': ')),
    );
  });
}

// A page on another site can open a Socket.IO connection and the browser adds our cookie to it.
it('refuses a handshake from a page on another site, like the Yjs endpoint does', async () => {
  const user = await signUpUser(server, 'Olive');
  const host = new URL(server.url).host;
  expect(await handshake(connectWith({ cookie: user.cookieHeader, origin: 'https://evil.example' }))).toMatch(
    /^forbidden_origin/,
  );
  expect(await handshake(connectWith({ cookie: user.cookieHeader, origin: 'null' }))).toMatch(/^forbidden_origin/);
  expect(await handshake(connectWith({ cookie: user.cookieHeader, origin: `http://${host}` }))).toBe('connected');
});

it("signing out closes that session's sockets at once, and only that session's", async () => {
  const user = await signUpUser(server, 'Sam');
  const otherDevice = server.client();
  expect((await otherDevice.post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(200);

  const [first, second] = [connectWith({ cookie: user.cookieHeader }), connectWith({ cookie: user.cookieHeader })];
  const elsewhere = connectWith({ cookie: otherDevice.cookieHeader });
  expect(await Promise.all([handshake(first), handshake(second), handshake(elsewhere)])).toEqual([
    'connected',
    'connected',
    'connected',
  ]);
  const reasons: string[] = [];
  for (const socket of [first, second]) socket.on('disconnect', (reason) => reasons.push(reason));

  expect((await user.client.post('/api/auth/logout')).status).toBe(204);
  await eventually(() => expect(reasons).toEqual(['io server disconnect', 'io server disconnect']));
  const stillServed = await elsewhere.timeout(5_000).emitWithAck('notifications:mark-read', { all: true });
  expect(stillServed).toEqual({ ok: true, data: { unreadCount: 0 } });
  // and the old cookie does not get back in: its WebSocket upgrade is refused before Socket.IO starts
  expect(await handshake(connectWith({ cookie: user.cookieHeader }))).toBe('websocket error');
});

it("a sign-in past the per-account session cap closes the oldest session's sockets, as signing out does", async () => {
  const user = await signUpUser(server, 'Many Devices'); // the first session
  const first = connectWith({ cookie: user.cookieHeader });
  expect(await handshake(first)).toBe('connected');
  const closed = new Promise<string>((resolve) => first.once('disconnect', resolve));
  for (let i = 0; i < MAX_SESSIONS_PER_USER; i++) {
    const device = server.client();
    expect((await device.post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(200);
  }
  expect(await closed).toBe('io server disconnect');
});

it(`lets one account hold ${MAX_EVENT_CONNECTIONS_PER_USER} connections, then refuses more in words`, async () => {
  const [busy, other] = [await signUpUser(server, 'Busy'), await signUpUser(server, 'Other')];
  const held = Array.from({ length: MAX_EVENT_CONNECTIONS_PER_USER }, () => connectWith({ cookie: busy.cookieHeader }));
  expect(new Set(await Promise.all(held.map(handshake)))).toEqual(new Set(['connected']));

  expect(await handshake(connectWith({ cookie: busy.cookieHeader }))).toMatch(
    /^too_many_connections: Kneadback is open in more than 20 tabs or devices on your account/,
  );
  expect(await handshake(connectWith({ cookie: other.cookieHeader }))).toBe('connected');

  held[0]!.disconnect();
  await eventually(async () => expect(await handshake(connectWith({ cookie: busy.cookieHeader }))).toBe('connected'));
});

it(`counts ${MAX_EVENT_CONNECTIONS_PER_ADDRESS} connections per address, even ones that never say hello`, async () => {
  const user = await signUpUser(server, 'Flood');
  const from = { cookie: user.cookieHeader, 'x-forwarded-for': '198.51.100.7' };
  const opened = await Promise.all(
    Array.from({ length: MAX_EVENT_CONNECTIONS_PER_ADDRESS }, () => rawEngineSocket(from)),
  );
  expect(new Set(opened)).toEqual(new Set(['open']));

  expect(await rawEngineSocket(from)).toBe('refused 400');
  expect(await rawEngineSocket({ ...from, 'x-forwarded-for': '198.51.100.8' })).toBe('open');

  for (const ws of rawSockets.splice(0)) ws.terminate();
  await eventually(async () => expect(await rawEngineSocket(from)).toBe('open'));
});
