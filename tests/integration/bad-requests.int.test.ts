// No request stops the server: malformed JSON, wrong types, other content types, huge bodies and
// broken paths on every route each get a 4xx in the one error shape, and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@kneadback/shared/events';
import { createPartners, type Partners } from '../helpers/debrief-fixtures.ts';
import type { TestResponse } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let partners: Partners;
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;

beforeAll(async () => {
  server = await startTestServer();
  partners = await createPartners(server);
  socket = io(server.url, {
    transports: ['websocket'],
    extraHeaders: { cookie: partners.a.cookieHeader },
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
});

afterAll(async () => {
  socket?.disconnect();
  await server?.stop();
});

/** Every route that reads a body, with the exchange's ids filled in. */
const bodyRoutes = (): Array<[string, string]> => {
  const id = partners.exchangeId;
  return [
    ['POST', '/api/auth/signup'],
    ['POST', '/api/auth/login'],
    ['PATCH', '/api/auth/me'],
    ['POST', '/api/exchanges'],
    ['POST', '/api/exchanges/join'],
    ['POST', '/api/notifications/read'],
    ['POST', `/api/debriefs/${id}/annotations/some-mark/status`],
    ['PUT', `/api/debriefs/${id}/reads`],
    ['POST', '/api/exchange-requests'],
    ['POST', `/api/exchange-requests/${id}/counter`],
    ['POST', `/api/exchange-requests/${id}/cancel`],
    ['PUT', '/api/rhythm/settings'],
    ['POST', `/api/partners/${partners.b.user.id}/referrals`],
    ['POST', `/api/partners/${partners.b.user.id}/endorsements`],
    ['PUT', '/api/profiles/me'],
    ['POST', '/api/blocks'],
    ['POST', '/api/account/delete'],
  ];
};

function expectErrorShape(res: TestResponse, status: number | RegExp, what: string) {
  if (typeof status === 'number') expect(res.status, what).toBe(status);
  else expect(String(res.status), what).toMatch(status);
  expect(res.headers.get('content-type'), what).toMatch(/application\/json/);
  expect(res.body, what).toEqual({
    error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
  });
}

async function expectStillServing() {
  expect((await server.client().get('/healthz')).status).toBe(200);
  expect((await partners.a.client.get('/api/auth/me')).status).toBe(200);
}

describe('every route that reads a body', () => {
  it('answers malformed JSON with 400 invalid_json', async () => {
    for (const [method, path] of bodyRoutes()) {
      for (const rawBody of ['{"a":', '{a:1}', "{'a':1}", 'undefined', '\u0000\u0001', '[1,2']) {
        const res = await partners.a.client.request(method, path, undefined, { rawBody });
        expectErrorShape(res, 400, `${method} ${path} ${JSON.stringify(rawBody)}`);
        expect(res.body.error.code).toBe('invalid_json');
      }
    }
    await expectStillServing();
  });

  it('answers JSON of the wrong shape with a 4xx', async () => {
    const wrong: unknown[] = [null, [], [1, 2], 0, true, { email: 42 }, { date: { $gt: '' } }, { ids: 'all' }];
    for (const [method, path] of bodyRoutes()) {
      for (const body of wrong) {
        const res = await partners.a.client.request(method, path, body);
        expectErrorShape(res, /^4\d\d$/, `${method} ${path} ${JSON.stringify(body)}`);
        expect(res.status).not.toBe(401);
      }
    }
    await expectStillServing();
  });

  it('answers any other content type with 415 before reading the body', async () => {
    for (const [method, path] of bodyRoutes()) {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'text/html', 'application/xml']) {
        const res = await partners.a.client.request(method, path, undefined, {
          rawBody: '{"all":true}',
          headers: { 'Content-Type': type },
        });
        expectErrorShape(res, 415, `${method} ${path} as ${type}`);
        expect(res.body.error.code).toBe('unsupported_media_type');
      }
    }
    await expectStillServing();
  });

  it('answers a body over 64 KiB with 413, however it is shaped', async () => {
    const huge = [
      JSON.stringify({ displayName: 'x'.repeat(70 * 1024) }),
      JSON.stringify({ ids: Array.from({ length: 5_000 }, () => 'ffffffffffffffffffffffff') }),
      '['.repeat(70 * 1024),
    ];
    for (const [method, path] of bodyRoutes()) {
      for (const rawBody of huge) {
        const res = await partners.a.client.request(method, path, undefined, { rawBody });
        expectErrorShape(res, 413, `${method} ${path}`);
      }
    }
    await expectStillServing();
  });

  it('answers deeply nested JSON within the size limit with a 4xx', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    for (const [method, path] of bodyRoutes()) {
      const res = await partners.a.client.request(method, path, undefined, { rawBody: deep });
      expectErrorShape(res, /^4\d\d$/, `${method} ${path}`);
    }
    await expectStillServing();
  });
});

describe('paths and queries', () => {
  it('answers broken %-escapes and odd ids with a 4xx in the error shape', async () => {
    const paths = [
      '/api/exchanges/%',
      '/api/exchanges/%E0%A4%A',
      '/api/exchanges/%00',
      `/api/debriefs/%ZZ/reads`,
      `/api/debriefs/${partners.exchangeId}/annotations/%/status`,
      '/api/exchanges/' + 'a'.repeat(5_000),
      '/api/review/critiques?page=%',
      '/api/review/critiques?page=-1&pageSize=1e9&sort[$gt]=',
      '/api/review/critiques?category=a&category=b',
      '/api/nothing/here',
      '/api/profiles/%',
      '/api/profiles/' + 'a'.repeat(5_000),
      '/api/partners?lat[$gt]=1&lng=2',
      '/api/partners?page=%&maxKm=1e999',
      '/api/blocks/%E0%A4%A',
    ];
    for (const path of paths) {
      for (const method of ['GET', 'POST', 'PUT', 'DELETE']) {
        const res = await partners.a.client.request(method, path, method === 'GET' ? undefined : {});
        expectErrorShape(res, /^4\d\d$/, `${method} ${path.slice(0, 80)}`);
      }
    }
    await expectStillServing();
  });
});

describe('Socket.IO events', () => {
  it('answers payloads of every wrong shape with an invalid_input acknowledgement and keeps the socket', async () => {
    const payloads: unknown[] = [
      undefined,
      null,
      'all',
      42,
      [],
      { ids: 'x' },
      { ids: Array.from({ length: 500 }, () => 'ffffffffffffffffffffffff') },
      { all: true, extra: 1 },
      { __proto__: { all: true } },
      { ids: [{ $gt: '' }] },
    ];
    for (const payload of payloads) {
      const ack = await socket
        .timeout(5_000)
        // the point is to send what the types forbid
        .emitWithAck('notifications:mark-read', payload as { all: true });
      expect(ack, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    // no acknowledgement callback, and events nobody handles: ignored
    const untyped = socket as unknown as Socket;
    untyped.emit('notifications:mark-read', { all: true });
    untyped.emit('no-such-event', { all: true });
    expect(await socket.timeout(5_000).emitWithAck('notifications:mark-read', { all: true })).toEqual({
      ok: true,
      data: { unreadCount: 0 },
    });
    expect(socket.connected).toBe(true);
    await expectStillServing();
  });
});
