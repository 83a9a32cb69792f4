// The database pausing or going away must not hurt live debriefs: partners keep editing live
// (relayed from memory), nobody is refused, and every edit is stored once it answers again.
// This file runs its own FerretDB so it can pause and stop it without touching other tests.
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAnnotation, readAnnotations } from '@kneadback/shared/docs/debrief-doc';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { mongoDocStore } from '../../server/src/collab/mongo-doc-store.ts';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { ferretdbProcess, type FerretdbProcess } from '../helpers/ferretdb-process.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let db: FerretdbProcess;
let server: TestServer;
const clients: DebriefClient[] = [];

beforeAll(async () => {
  db = await ferretdbProcess();
  server = await startTestServer({ MONGODB_URI: db.uri('kb_outage') }, { unloadDelayMs: 60_000 });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  db?.resume();
  await server?.stop();
  await db?.destroy();
});

function connect(cookie: string, exchangeId: string): DebriefClient {
  const client = connectDebrief(server.url, cookie, exchangeId);
  clients.push(client);
  return client;
}

const texts = (doc: Y.Doc) =>
  readAnnotations(doc)
    .map((a) => a.text)
    .sort();

async function storedTexts(exchangeId: string): Promise<string[]> {
  const stored = await mongoDocStore(server.connection).load(exchangeId);
  const doc = new Y.Doc();
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return texts(doc);
}

/** A adds `count` marks `everyMs` apart; returns how long each took to reach B. */
async function editLive(
  pair: Partners,
  a: DebriefClient,
  b: DebriefClient,
  label: string,
  count: number,
  everyMs: number,
) {
  const delays: number[] = [];
  for (let i = 0; i < count; i++) {
    const text = `${label} ${i}`;
    const sent = Date.now();
    addAnnotation(a.doc, pair.a.user.id, { ...upperTrapeziusPressure, text });
    await eventually(() => expect(texts(b.doc)).toContain(text), { timeout: 5_000, interval: 5 });
    delays.push(Date.now() - sent);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return delays;
}

const refusals = (client: DebriefClient) =>
  client.closes.filter((c) => c.code >= 4400 && c.code < 4500 && c.code !== CollabCloseCode.tooManyMessages);

it('keeps partners editing live while the database is paused, lets a partner join, and stores everything after', async () => {
  const pair = await createPartners(server);
  const a = connect(pair.a.cookieHeader, pair.exchangeId);
  const b = connect(pair.b.cookieHeader, pair.exchangeId);
  await Promise.all([a.synced(), b.synced()]);

  db.pause();
  try {
    // a partner's second device opens the debrief during the pause: it waits, it is not refused
    const joining = connect(pair.b.cookieHeader, pair.exchangeId);
    const delays = await editLive(pair, a, b, 'paused', 12, 400);
    expect(Math.max(...delays)).toBeLessThan(1_000);
    expect((await server.client().get('/healthz')).body.database).toBe('not answering');
    db.resume();
    await joining.synced();
    expect(texts(joining.doc)).toEqual(texts(a.doc));
    for (const client of [a, b, joining]) expect(refusals(client)).toEqual([]);
  } finally {
    db.resume();
  }
  await eventually(async () => expect(await storedTexts(pair.exchangeId)).toEqual(texts(a.doc)), { timeout: 20_000 });
  await eventually(async () => expect((await server.client().get('/healthz')).status).toBe(200), { timeout: 10_000 });
}, 90_000);

it('keeps partners editing through a 30 s outage and stores every edit made during it', async () => {
  const pair = await createPartners(server);
  const a = connect(pair.a.cookieHeader, pair.exchangeId);
  const b = connect(pair.b.cookieHeader, pair.exchangeId);
  await Promise.all([a.synced(), b.synced()]);

  await db.stop();
  const outageEnds = Date.now() + 30_000;
  const delays: number[] = [];
  for (let round = 0; Date.now() < outageEnds; round++) {
    delays.push(...(await editLive(pair, a, b, `outage ${round}`, 1, 1_000)));
  }
  const health = await server.client().get('/healthz');
  expect(health.status).toBe(503);
  await db.start();

  expect(delays.length).toBeGreaterThan(20);
  expect(Math.max(...delays)).toBeLessThan(1_000);
  await eventually(async () => expect(await storedTexts(pair.exchangeId)).toEqual(texts(a.doc)), { timeout: 30_000 });
  expect(texts(b.doc)).toEqual(texts(a.doc));
  for (const client of [a, b]) expect(refusals(client)).toEqual([]);
}, 120_000);
