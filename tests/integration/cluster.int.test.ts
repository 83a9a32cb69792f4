// Two real server processes sharing one database and Redis (REDIS_URL), as behind a balancer:
// partners on different processes edit one debrief live, a notification crosses processes, and a
// SIGKILLed process's clients carry on at the other one with nothing they saw lost.
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import mongoose from 'mongoose';
import { io, type Socket } from 'socket.io-client';
import {
  addAnnotation,
  addReply,
  deleteAnnotation,
  readAnnotations,
  readThread,
  updateAnnotation,
} from '@kneadback/shared/docs/debrief-doc';
import { MAX_MARKS_PER_DEBRIEF } from '@kneadback/shared/docs/debrief-rules';
import { presenceColor, presenceSchema } from '@kneadback/shared/docs/presence';
import type { ClientToServerEvents, ServerToClientEvents } from '@kneadback/shared/events';
import type { Notification } from '@kneadback/shared/schemas/notification';
import { mongoDocStore } from '../../server/src/collab/mongo-doc-store.ts';
import { startBalancer, type Balancer } from '../../scripts/cluster/balancer.ts';
import { connectDebrief, rawCollabSocket, type DebriefClient } from '../helpers/collab-client.ts';
import { createExchange, createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { awarenessMessage } from '../helpers/sync-messages.ts';
import type { RedisConnections } from '../../server/src/scale/redis-connections.ts';
import type { ServerProcess } from '../helpers/server-process.ts';
import { startTwoProcesses, stopTwoProcesses } from '../helpers/two-processes.ts';
import { withDatabaseName } from '../helpers/test-server.ts';

const dbUri = withDatabaseName(inject('mongoUri'), `kb_cluster_${Date.now()}`);
let redis: RedisConnections;
let one: ServerProcess;
let two: ServerProcess;
let partners: Partners;
const clients: DebriefClient[] = [];
const sockets: Socket[] = [];
const balancers: Balancer[] = [];

beforeAll(async () => {
  ({ redis, one, two } = await startTwoProcesses(dbUri));
  partners = await createPartners(one);
}, 90_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.disconnect();
  for (const b of balancers) await b.close();
  await stopTwoProcesses(dbUri, { redis, one, two });
});

function connect(url: string, side: 'a' | 'b', exchangeId: string, pair = partners): DebriefClient {
  const client = connectDebrief(url, pair[side].cookieHeader, exchangeId);
  clients.push(client);
  return client;
}

/** The id a process holds leases under, from its /healthz. */
async function instanceOf(proc: ServerProcess): Promise<string> {
  const health = (await (await fetch(`${proc.url}/healthz`)).json()) as { instance?: string };
  if (!health.instance) throw new Error(`${proc.url} does not run with REDIS_URL`);
  return health.instance;
}
const writerOf = (exchangeId: string) => redis.commands.get(`kb:lease:${exchangeId}`);

/** What the database holds of a debrief. */
async function stored(exchangeId: string): Promise<Y.Doc> {
  const connection = await mongoose.createConnection(dbUri, { retryWrites: false }).asPromise();
  try {
    const doc = new Y.Doc();
    for (const u of (await mongoDocStore(connection).load(exchangeId)).updates) Y.applyUpdate(doc, u);
    return doc;
  } finally {
    await connection.close();
  }
}

/**
 * A debrief of a new pair, written by process 1 (Ana opened it there), that Ben follows on process
 * 2. New people: a refused change pauses its sender's reconnections, which must not reach the
 * other tests.
 */
async function splitDebrief() {
  const pair = await createPartners(one);
  const { exchangeId } = pair;
  const a = connect(one.url, 'a', exchangeId, pair);
  await a.synced();
  await eventually(async () => expect(await writerOf(exchangeId)).toBe(await instanceOf(one)));
  const b = connect(two.url, 'b', exchangeId, pair);
  await b.synced();
  return { pair, exchangeId, a, b };
}

/** Ends the test's connections (a refused device would keep reconnecting and resending). */
function disconnectAll(): void {
  for (const c of clients.splice(0)) c.destroy();
}

/**
 * Partners on two processes change the debrief at the same moment, at the widest: both processes
 * are frozen while the changes arrive, so each takes its own client's change before anything from
 * the other process can reach it.
 */
async function atOnce(...changes: (() => void)[]): Promise<void> {
  for (const proc of [one, two]) proc.signal('SIGSTOP');
  try {
    for (const change of changes) change();
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    for (const proc of [one, two]) proc.signal('SIGCONT');
  }
}

const refusals = (client: DebriefClient) => client.closes.filter((c) => c.code === 4422);

const notes = (doc: Y.Doc) =>
  readAnnotations(doc)
    .map((a) => `${a.id}:${a.text}`)
    .sort();

it('lets partners on two processes mark the body together live, presence included', async () => {
  const b = connect(two.url, 'b', partners.exchangeId);
  await b.synced();
  const a = connect(one.url, 'a', partners.exchangeId);
  await a.synced();

  const fromA = addAnnotation(a.doc, partners.a.user.id, { ...upperTrapeziusPressure, text: 'from Ana on 1' });
  await eventually(() => expect(notes(b.doc)).toContain(`${fromA.id}:from Ana on 1`));
  const fromB = addAnnotation(b.doc, partners.b.user.id, { ...upperTrapeziusPressure, round: 2, text: 'Ben on 2' });
  await eventually(() => expect(notes(a.doc)).toContain(`${fromB.id}:Ben on 2`));
  updateAnnotation(b.doc, fromA.id, { text: 'Ben rewrote it' });
  await eventually(() => expect(readAnnotations(a.doc).find((m) => m.id === fromA.id)?.text).toBe('Ben rewrote it'));

  for (const [side, client, other] of [
    ['a', a, b],
    ['b', b, a],
  ] as const) {
    const user = partners[side].user;
    client.provider.awareness.setLocalState({
      user: { id: user.id, name: user.displayName, color: presenceColor(user.id) },
      pointer: { view: 'posterior', x: 170, y: 149 },
    });
    await eventually(() =>
      expect(other.provider.awareness.getStates().get(client.doc.clientID)).toMatchObject({ user: { id: user.id } }),
    );
  }
  // Ana leaves: her presence disappears on Ben's process too
  a.provider.disconnect();
  await eventually(() => expect(b.provider.awareness.getStates().has(a.doc.clientID)).toBe(false));
});

it("keeps a partner's presence hers across processes: the other's state under her client id is dropped everywhere", async () => {
  const { pair, exchangeId, a, b } = await splitDebrief();
  // a third device on each process, Ben's (one of Ana's would re-broadcast her presence from
  // process 2, which binds her client id to that connection there and hides the hole)
  const onOne = connect(one.url, 'b', exchangeId, pair);
  const onTwo = connect(two.url, 'b', exchangeId, pair);
  await Promise.all([onOne.synced(), onTwo.synced()]);
  // the whole state, defaults included, as the server relays what it parsed
  const presenceOf = (side: 'a' | 'b', x: number) => {
    const user = pair[side].user;
    return presenceSchema.parse({
      user: { id: user.id, name: user.displayName, color: presenceColor(user.id) },
      pointer: { view: 'posterior', x, y: 149 },
    });
  };
  const seen = (viewer: DebriefClient, device: DebriefClient | number) =>
    viewer.provider.awareness.getStates().get(typeof device === 'number' ? device : device.doc.clientID);
  // both partners' presence flows both ways, to every device on either process
  a.provider.awareness.setLocalState(presenceOf('a', 170));
  b.provider.awareness.setLocalState(presenceOf('b', 80));
  await eventually(() => {
    for (const viewer of [b, onOne, onTwo]) expect(seen(viewer, a)).toMatchObject(presenceOf('a', 170));
    for (const viewer of [a, onOne, onTwo]) expect(seen(viewer, b)).toMatchObject(presenceOf('b', 80));
  });

  // every state each device is shown under Ana's client id from now on
  const shownAsAna = new Map([b, onOne, onTwo].map((viewer) => [viewer, [] as unknown[]]));
  for (const [viewer, shown] of shownAsAna) {
    viewer.provider.awareness.on('change', () => shown.push(seen(viewer, a) ?? null));
  }
  // Ben, on process 2, publishes under Ana's client id: to move her pointer, then to hide it
  const hostile = rawCollabSocket(two.url, pair.b.cookieHeader, exchangeId);
  await new Promise((resolve) => hostile.once('message', resolve));
  const hijack = { clientId: a.doc.clientID, clock: 1_000, json: JSON.stringify(presenceOf('b', 5)) };
  const own = { clientId: 4_242, clock: 1, json: JSON.stringify(presenceOf('b', 1)) };
  hostile.send(awarenessMessage([hijack, own]));
  hostile.send(
    awarenessMessage([
      { ...hijack, clock: 1_001, json: 'null' },
      { ...own, clock: 2, json: JSON.stringify(presenceOf('b', 2)) },
    ]),
  );
  // his own entries, sent after the hijack in the same order, reach both processes' devices...
  await eventually(() => {
    for (const viewer of [a, onOne, onTwo]) expect(seen(viewer, own.clientId)).toMatchObject(presenceOf('b', 2));
  });
  // ...while Ana's presence is still hers everywhere, and the sender is refused quietly as on one process
  for (const [viewer, shown] of shownAsAna) {
    expect(seen(viewer, a)).toEqual(presenceOf('a', 170));
    expect(shown).toEqual(shown.map(() => presenceOf('a', 170)));
  }
  expect(a.provider.awareness.getLocalState()).toEqual(presenceOf('a', 170));
  expect(hostile.readyState).toBe(hostile.OPEN);
  hostile.close();
  disconnectAll();
});

it('pushes the notification of a reply written on one process to the partner connected to the other', async () => {
  const exchangeId = await createExchange(partners, '2026-11-28');
  // Ben opens first, so process 2 writes and projects the debrief; Ana's socket is on process 1
  const b = connect(two.url, 'b', exchangeId);
  await b.synced();
  await eventually(async () => expect(await writerOf(exchangeId)).toBe(await instanceOf(two)));
  const received: Notification[] = [];
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(one.url, {
    transports: ['websocket'],
    extraHeaders: { cookie: partners.a.cookieHeader },
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  socket.on('notification:new', (n) => received.push(n));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
  const a = connect(one.url, 'a', exchangeId);
  await a.synced();

  const mark = addAnnotation(a.doc, partners.a.user.id, upperTrapeziusPressure);
  await eventually(() => expect(notes(b.doc)).toHaveLength(1));
  addReply(b.doc, mark.id, partners.b.user.id, { text: 'That was the right depth for me' });
  const reply = await eventually(
    () => {
      const found = received.find((n) => n.kind === 'reply');
      expect(found).toBeDefined();
      return found!;
    },
    { timeout: 15_000 },
  );
  expect(reply).toMatchObject({ actor: { id: partners.b.user.id }, exchangeId, annotationId: mark.id });
  // a later notification as a barrier: only the writer projects, so the reply came once
  addReply(b.doc, mark.id, partners.b.user.id, { text: 'Ana, look', mentions: [partners.a.user.id] });
  await eventually(() => expect(received.some((n) => n.kind === 'mention')).toBe(true), { timeout: 15_000 });
  expect(received.filter((n) => n.kind === 'reply')).toHaveLength(1);
});

it('judges the mark limit once: partners on two processes adding the 300th mark at once, exactly one gets it', async () => {
  const { pair, exchangeId, a, b } = await splitDebrief();
  a.doc.transact(() => {
    for (let i = 1; i < MAX_MARKS_PER_DEBRIEF; i++)
      addAnnotation(a.doc, pair.a.user.id, { ...upperTrapeziusPressure, text: `m${i}` });
  });
  await eventually(() => expect(readAnnotations(b.doc)).toHaveLength(MAX_MARKS_PER_DEBRIEF - 1), { timeout: 10_000 });

  // the same moment: each process's copy holds 299 marks
  const ana = { id: '' };
  const ben = { id: '' };
  await atOnce(
    () => (ana.id = addAnnotation(a.doc, pair.a.user.id, { ...upperTrapeziusPressure, text: "Ana's 300th" }).id),
    () => (ben.id = addAnnotation(b.doc, pair.b.user.id, { ...upperTrapeziusPressure, text: "Ben's 300th" }).id),
  );
  const limit = `a debrief holds at most ${MAX_MARKS_PER_DEBRIEF} marks`;
  await eventually(() => expect([...refusals(a), ...refusals(b)].map((c) => c.reason)).toContain(limit));
  const [winner, loser] = refusals(a).length > 0 ? [ben, ana] : [ana, ben];
  expect(refusals(a).length > 0 && refusals(b).length > 0, 'both refused').toBe(false);

  // what each process and the database hold: 300 marks, the winner's among them
  for (const url of [one.url, two.url]) {
    const reader = connect(url, 'a', exchangeId, pair);
    await reader.synced();
    const ids = readAnnotations(reader.doc).map((m) => m.id);
    expect(ids).toHaveLength(MAX_MARKS_PER_DEBRIEF);
    expect(ids).toContain(winner.id);
    expect(ids).not.toContain(loser.id);
    reader.destroy();
  }
  const winnerSide = winner === ana ? a : b;
  const otherSide = winner === ana ? b : a;
  await eventually(() => expect(readAnnotations(otherSide.doc).map((m) => m.id)).toContain(winner.id));
  expect(readAnnotations(winnerSide.doc)).toHaveLength(MAX_MARKS_PER_DEBRIEF);
  await eventually(async () => expect(readAnnotations(await stored(exchangeId))).toHaveLength(MAX_MARKS_PER_DEBRIEF), {
    timeout: 15_000,
  });
  disconnectAll();
}, 60_000);

it('holds "only while nobody else wrote in its thread" across processes: a deletion racing a reply, one is refused', async () => {
  const { pair, exchangeId, a, b } = await splitDebrief();
  const mark = addAnnotation(a.doc, pair.a.user.id, upperTrapeziusPressure);
  await eventually(() => expect(readAnnotations(b.doc).map((m) => m.id)).toContain(mark.id));

  // Ana deletes her mark on process 1 while Ben replies in its thread on process 2
  await atOnce(
    () => deleteAnnotation(a.doc, mark.id, pair.a.user.id),
    () => addReply(b.doc, mark.id, pair.b.user.id, { text: 'I felt that one' }),
  );
  await eventually(() => expect(refusals(a).length + refusals(b).length).toBeGreaterThan(0));
  expect(refusals(a).length > 0 && refusals(b).length > 0, 'both refused').toBe(false);

  // either the mark stays with Ben's reply, or both are gone: never a reply without its mark
  const replyKept = refusals(a).length > 0;
  const check = (doc: Y.Doc) => {
    expect(readAnnotations(doc).some((m) => m.id === mark.id)).toBe(replyKept);
    expect(readThread(doc, mark.id)).toHaveLength(replyKept ? 1 : 0);
  };
  for (const url of [one.url, two.url]) {
    const reader = connect(url, 'b', exchangeId, pair);
    await reader.synced();
    check(reader.doc);
    reader.destroy();
  }
  await eventually(async () => check(await stored(exchangeId)), { timeout: 15_000 });
  disconnectAll();
}, 60_000);

it('judges a change from a client of the process that does not write at the writer: refused, it shows nowhere', async () => {
  const { pair, exchangeId, a, b } = await splitDebrief();
  const watcher = connect(two.url, 'b', exchangeId, pair); // another of Ben's devices, on his process
  await watcher.synced();
  // Ben's device writes a mark in Ana's name
  const forged = addAnnotation(b.doc, pair.a.user.id, { ...upperTrapeziusPressure, text: 'Ana never wrote this' });
  await eventually(() => expect(refusals(b)).not.toEqual([]));
  expect(refusals(b)[0]!.reason).toMatch(/author/);
  // a later change of Ana's as a barrier: once it is everywhere, the forged mark would be too
  const barrier = addAnnotation(a.doc, pair.a.user.id, { ...upperTrapeziusPressure, text: 'barrier' });
  const ids = (doc: Y.Doc) => readAnnotations(doc).map((m) => m.id);
  await eventually(() => expect(ids(watcher.doc)).toContain(barrier.id));
  await eventually(async () => expect(ids(await stored(exchangeId))).toContain(barrier.id), { timeout: 15_000 });
  for (const doc of [a.doc, watcher.doc, await stored(exchangeId)]) expect(ids(doc)).not.toContain(forged.id);
  expect(refusals(a)).toEqual([]);
  expect(refusals(watcher)).toEqual([]);
  disconnectAll();
}, 60_000);

// last: it kills process 1
it('keeps every edit either partner saw when the writing process is SIGKILLed mid-debrief', async () => {
  const exchangeId = await createExchange(partners, '2026-11-29');
  // Ana reaches the servers through a balancer (first try: process 1); Ben is on process 2
  const balancer = await startBalancer([one.url, two.url]);
  balancers.push(balancer);
  const a = connect(balancer.url, 'a', exchangeId);
  await a.synced();
  const instanceOne = await instanceOf(one);
  const instanceTwo = await instanceOf(two);
  await eventually(async () => expect(await writerOf(exchangeId)).toBe(instanceOne));
  const b = connect(two.url, 'b', exchangeId);
  await b.synced();

  let editing = true;
  let n = 0;
  const editLoop = (async () => {
    while (editing) {
      // new marks until the debrief is full (past it the server refuses them and they would
      // stay on Ana's device only: scale-parts tests that), then Ana edits her marks in turn
      const mine = readAnnotations(a.doc);
      if (mine.length < MAX_MARKS_PER_DEBRIEF)
        addAnnotation(a.doc, partners.a.user.id, { ...upperTrapeziusPressure, text: `a${n}` });
      else updateAnnotation(a.doc, mine[n % mine.length]!.id, { text: `a${n}` });
      const theirs = readAnnotations(b.doc).at(-1);
      if (theirs) updateAnnotation(b.doc, theirs.id, { text: `b${n}` });
      n++;
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  await eventually(() => expect(readAnnotations(b.doc).length).toBeGreaterThan(20), { timeout: 10_000 });
  await one.kill('SIGKILL');
  const killedAt = Date.now();
  // Ana's device reconnects through the balancer, which now only finds process 2
  await eventually(() => expect(a.provider.wsconnected && a.provider.synced).toBe(true), { timeout: 20_000 });
  await eventually(async () => expect(await writerOf(exchangeId)).toBe(instanceTwo), { timeout: 15_000 });
  const leaseMovedAfterMs = Date.now() - killedAt;
  const before = n;
  await eventually(() => expect(n).toBeGreaterThan(before + 10)); // edits go on at process 2
  editing = false;
  await editLoop;

  await eventually(() => expect(notes(a.doc)).toEqual(notes(b.doc)), { timeout: 10_000 });
  const shown = notes(a.doc);
  expect(shown.length).toBeGreaterThan(30);
  await eventually(async () => expect(notes(await stored(exchangeId))).toEqual(shown), { timeout: 15_000 });
  expect(leaseMovedAfterMs).toBeLessThan(10_000);
}, 90_000);
