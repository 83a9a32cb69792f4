// A shutdown (SIGTERM, as a deploy or `docker stop` sends it) does not wait on devices that
// vanished: a tablet gone to sleep keeps its TCP connection open and never answers the close the
// server sends, and the WebSocket library waits 30 s for that answer.
import net from 'node:net';
import { afterAll, expect, inject, it } from 'vitest';
import { COLLAB_PATH_PREFIX } from '@kneadback/shared/collab-protocol';
import { createPartners } from '../helpers/debrief-fixtures.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';
import { withDatabaseName } from '../helpers/test-server.ts';

const sockets: net.Socket[] = [];
let proc: ServerProcess | undefined;

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await proc?.kill('SIGKILL');
});

/** A WebSocket opened by hand that, once accepted, reads nothing more: a device that went away. */
function vanishedDevice(baseUrl: string, path: string, cookieHeader: string): Promise<net.Socket> {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookieHeader}\r\nUpgrade: websocket\r\n` +
          'Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
    sockets.push(socket);
    socket.once('data', (chunk) => {
      if (!chunk.toString().startsWith('HTTP/1.1 101')) reject(new Error(`not upgraded: ${chunk.toString()}`));
      socket.pause();
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

it('stops cleanly within seconds while devices that vanished hold WebSockets open', async () => {
  proc = await serverProcess(withDatabaseName(inject('mongoUri'), `kb_shutdown_${Date.now()}`));
  await proc.start();
  const partners = await createPartners(proc);
  await vanishedDevice(proc.url, COLLAB_PATH_PREFIX + partners.exchangeId, partners.a.cookieHeader);
  await vanishedDevice(proc.url, '/socket.io/?EIO=4&transport=websocket', partners.b.cookieHeader);

  const asked = Date.now();
  const code = await proc.kill('SIGTERM');
  const tookMs = Date.now() - asked;

  expect(code).toBe(0); // its own clean exit, not the 60 s guard's exit(1)
  expect(tookMs).toBeLessThan(15_000); // 30 s and more before: one close timeout per shutdown step
}, 90_000); // without the fix the server's own 60 s guard ends it with exit code 1

it('tells a request still arriving when the stop began to try again, and to close its connection', async () => {
  proc = await serverProcess(withDatabaseName(inject('mongoUri'), `kb_shutdown_http_${Date.now()}`));
  await proc.start();
  const { a } = await createPartners(proc);
  const socket = net.connect(Number(new URL(proc.url).port), '127.0.0.1');
  sockets.push(socket);
  let answer = '';
  socket.on('data', (chunk) => (answer += chunk.toString()));
  socket.on('error', () => undefined);
  // a note sent over a slow link: its body is still on the way when the stop begins
  const body = JSON.stringify({ kind: 'technique', title: 'Thumb angle on the upper trapezius' });
  socket.write(
    `POST /api/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${proc.url}\r\nCookie: ${a.cookieHeader}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 200));

  const stopped = proc.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));
  socket.write(body.slice(10));

  expect(await stopped).toBe(0);
  // the note needs its live document, which is being stored away: "try again", which the app does
  expect(answer).toMatch(/^HTTP\/1\.1 503 /);
  expect(answer).toContain('"code":"restarting"');
  // its answer says the connection ends, so the device does not send its next request into a cut socket
  expect(answer).toMatch(/\r\nConnection: close\r\n/i);
});
