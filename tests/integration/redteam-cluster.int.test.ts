// Hostile partners against two real server processes sharing one database and Redis: what the
// process that does not write a debrief forwards to its writer, and what comes back.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createPartners } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { openHostileSocket, rootMap, syncUpdateMessage, type HostileSocket } from '../helpers/hostile.ts';
import type { RedisConnections } from '../../server/src/scale/redis-connections.ts';
import type { ServerProcess } from '../helpers/server-process.ts';
import { startTwoProcesses, stopTwoProcesses } from '../helpers/two-processes.ts';
import { withDatabaseName } from '../helpers/test-server.ts';

const dbUri = withDatabaseName(inject('mongoUri'), `kb_redteam_cluster_${Date.now()}`);
let redis: RedisConnections;
let one: ServerProcess;
let two: ServerProcess;
const clients: DebriefClient[] = [];
const sockets: HostileSocket[] = [];

beforeAll(async () => {
  ({ redis, one, two } = await startTwoProcesses(dbUri));
}, 90_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.close();
  await stopTwoProcesses(dbUri, { redis, one, two });
});

async function instanceOf(proc: ServerProcess): Promise<string> {
  const health = (await (await fetch(`${proc.url}/healthz`)).json()) as { instance?: string };
  if (!health.instance) throw new Error(`${proc.url} does not run with REDIS_URL`);
  return health.instance;
}

/** A debrief written by process 1 (Ana opened it there); Ben attacks from process 2. */
async function splitDebrief() {
  const pair = await createPartners(one);
  const a = connectDebrief(one.url, pair.a.cookieHeader, pair.exchangeId);
  clients.push(a);
  await a.synced();
  const instanceOne = await instanceOf(one);
  await eventually(async () => expect(await redis.commands.get(`kb:lease:${pair.exchangeId}`)).toBe(instanceOne));
  return { pair, a };
}

it('closes a connection whose refused change names a long non-ASCII root (the close reason fits in 123 bytes)', async () => {
  const { pair } = await splitDebrief();
  const ben = await openHostileSocket(two.url, pair.b.cookieHeader, pair.exchangeId);
  sockets.push(ben);
  const forged = new Y.Doc();
  rootMap(forged, '€'.repeat(60)).set('x', 1); // the guard's reason quotes the root's name
  // process 2 forwards the change and answers at once; the writer's refusal comes back later
  await ben.sendAndSettle([syncUpdateMessage(Y.encodeStateAsUpdate(forged))]);
  // before: the reason was cut to 120 characters (180 bytes here), ws.close threw, and the
  // connection stayed open, marked closed, ignoring everything until the client left
  await eventually(() => expect(ben.closed()).toMatchObject({ code: CollabCloseCode.refusedUpdate }), {
    timeout: 5_000,
  });
  expect(ben.closed()?.reason).toMatch(/^"€+$/); // the guard names the root, cut to fit
  expect(Buffer.byteLength(ben.closed()?.reason ?? '')).toBeLessThanOrEqual(123);
}, 60_000);

it('makes a device whose changes were refused wait on every process, not only the one that refused it', async () => {
  const { pair } = await splitDebrief();
  const forged = new Y.Doc();
  rootMap(forged, 'intruder').set('x', 1);
  // three refusals on process 2: the pause doubles to 2 s, time enough to try process 1
  for (let i = 0; i < 3; i++) {
    const ben = await eventually(() => openHostileSocket(two.url, pair.b.cookieHeader, pair.exchangeId), {
      timeout: 10_000,
    });
    sockets.push(ben);
    await ben.sendAndSettle([syncUpdateMessage(Y.encodeStateAsUpdate(forged))]);
    await eventually(() => expect(ben.closed()).toMatchObject({ code: CollabCloseCode.refusedUpdate }), {
      timeout: 5_000,
    });
  }
  // before: process 1 kept its own count, let him in and judged his next forged change again
  await expect(openHostileSocket(one.url, pair.b.cookieHeader, pair.exchangeId)).rejects.toThrow(
    new RegExp(`${CollabCloseCode.tooManyMessages}`),
  );
}, 60_000);
