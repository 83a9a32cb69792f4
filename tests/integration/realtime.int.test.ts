import { afterAll, beforeAll, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@kneadback/shared/events';
import { eventually } from '../helpers/eventually.ts';
import { signUpUser } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
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

// Browsers start Socket.IO with HTTP long-polling, which goes through the HTTP server's request
// handler; Express must leave those requests to Socket.IO (a double answer crashed the server).
it.each([[['polling']], [['polling', 'websocket']], [['websocket']]])(
  'serves Socket.IO over %j next to the HTTP app without breaking it',
  async (transports) => {
    const user = await signUpUser(server, 'Pat');
    const socket = connect(user.cookieHeader, transports);
    await eventually(() => expect(socket.connected).toBe(true));
    const health = await server.client().get('/healthz');
    expect(health.status).toBe(200);
    const me = await user.client.get('/api/auth/me');
    expect(me.status).toBe(200);
  },
);

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

function handshake(socket: Socket): Promise<'connected' | string> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err) => resolve(err.message));
  });
}

// A page on another site can open a Socket.IO connection and the browser adds our cookie to it.
it('refuses a handshake from a page on another site, like the Yjs endpoint does', async () => {
  const user = await signUpUser(server, 'Olive');
  const host = new URL(server.url).host;
  expect(await handshake(connectWith({ cookie: user.cookieHeader, origin: 'https://evil.example' }))).toBe(
    'forbidden_origin',
  );
  expect(await handshake(connectWith({ cookie: user.cookieHeader, origin: 'null' }))).toBe('forbidden_origin');
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
  // and the old cookie does not get back in
  expect(await handshake(connectWith({ cookie: user.cookieHeader }))).toBe('not_signed_in');
});
