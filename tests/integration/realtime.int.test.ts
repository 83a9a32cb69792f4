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
