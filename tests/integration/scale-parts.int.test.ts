// The parts several server processes share through a real Redis, without the HTTP server: the
// lease, the live fan-out between two "processes" (each its own Redis connections, rooms and
// writer over one shared store), the hand-over of the writer, and rate limits counted in Redis.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { addAnnotation, readAnnotations } from '@kneadback/shared/docs/debrief-doc';
import { debriefKind, MAX_MARKS_PER_DEBRIEF } from '@kneadback/shared/docs/debrief-rules';
import { MemoryDocStore, type DocStore } from '../../server/src/collab/doc-store.ts';
import { encodeAwarenessEntries } from '../../server/src/collab/presence-owners.ts';
import { DocRoom } from '../../server/src/collab/room.ts';
import { UpdateWriter } from '../../server/src/collab/update-writer.ts';
import { RateLimitedError } from '../../server/src/http/errors.ts';
import { RATE_LIMITS, RateLimits } from '../../server/src/http/rate-limit.ts';
import { createLogger } from '../../server/src/logger.ts';
import { RedisChangeFeed } from '../../server/src/scale/change-feed.ts';
import { DocFanout } from '../../server/src/scale/doc-fanout.ts';
import { fencedByLeases, Leases } from '../../server/src/scale/leases.ts';
import type { RedisConnections } from '../../server/src/scale/redis-connections.ts';
import { RedisHitCounts } from '../../server/src/scale/redis-hit-counts.ts';
import { SharedRooms } from '../../server/src/scale/shared-rooms.ts';
import { upperTrapeziusPressure } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { requireRedis } from '../helpers/redis.ts';

const logger = createLogger('silent');
const unique = () => randomBytes(6).toString('hex');
let redis: RedisConnections;

beforeAll(async () => {
  redis = await requireRedis();
});
afterAll(async () => {
  await redis?.close();
});

describe('Leases', () => {
  it('lets one owner at a time hold a name, renew it, release it, and lose it when it stops renewing', async () => {
    const prefix = `kb:test:${unique()}:`;
    const one = new Leases(redis.commands, 'one', 400, prefix);
    const two = new Leases(redis.commands, 'two', 400, prefix);
    expect(await one.hold('doc')).toBe(true);
    expect(await two.hold('doc')).toBe(false);
    const epoch = one.epochOf('doc');
    expect(epoch).toBeGreaterThan(0);
    expect(await one.hold('doc')).toBe(true); // a renewal
    expect(one.epochOf('doc')).toBe(epoch);
    await two.release('doc'); // not its lease: changes nothing
    expect(await one.holder('doc')).toBe('one');
    await one.release('doc');
    expect(await two.hold('doc')).toBe(true);
    expect(two.epochOf('doc')).toBeGreaterThan(epoch); // every taking fences out the ones before
    // two stops renewing (it died): its lease expires and one takes it
    await eventually(async () => expect(await one.hold('doc')).toBe(true), { timeout: 3_000, interval: 50 });
    expect(await one.holder('doc')).toBe('one');
  });
});

/** One server process's part: its own Redis connections, fan-out, leases and writer (snapshots fenced as in production). */
function process_(shared: DocStore, leaseTtlMs = 600) {
  const owner = unique();
  const fanout = new DocFanout(redis.commands, redis.another(`fanout-${owner}`), owner, logger, 500);
  const leases = new Leases(redis.commands, owner, leaseTtlMs);
  const rooms = new SharedRooms(fanout, leases, logger);
  const store = fencedByLeases(shared, leases);
  const writer = new UpdateWriter(store, logger);
  return {
    owner,
    leases,
    async open(docId: string) {
      const room = new DocRoom({
        docId,
        kind: debriefKind,
        store,
        writer,
        logger,
        compactEvery: 50,
        storing: false,
        claim: () => rooms.claim(docId),
      });
      await room.ready;
      const shared = rooms.share(room, () => undefined);
      return {
        room,
        async unload() {
          await shared.beforeClose();
          await room.close();
          await shared.afterClose();
        },
      };
    },
    close() {
      rooms.close();
      fanout.close();
    },
  };
}

/** Two processes over one shared store and a fresh document, both closed whatever `body` does. */
async function withTwoProcesses(
  body: (parts: {
    store: MemoryDocStore;
    p1: ReturnType<typeof process_>;
    p2: ReturnType<typeof process_>;
    docId: string;
  }) => Promise<void>,
): Promise<void> {
  const store = new MemoryDocStore();
  // long enough that a busy machine does not move the writer mid-test; unloading hands it over at once
  const p1 = process_(store, 3_000);
  const p2 = process_(store, 3_000);
  try {
    await body({ store, p1, p2, docId: unique() });
  } finally {
    p1.close();
    p2.close();
  }
}

const AUTHOR = '64b000000000000000000001';
const ANA = '64b000000000000000000002';
/** A server-side change: a mark with this note. */
const mark = (text: string) => (doc: Y.Doc) => void addAnnotation(doc, AUTHOR, { ...upperTrapeziusPressure, text });
const notes = (doc: Y.Doc) =>
  readAnnotations(doc)
    .map((a) => a.text)
    .sort();

async function storedNotes(store: MemoryDocStore, docId: string): Promise<string[]> {
  const doc = new Y.Doc();
  for (const update of (await store.load(docId)).updates) Y.applyUpdate(doc, update);
  return notes(doc);
}

/** A client connection as the room sees it, recording what the server asks of it. */
function clientOf(room: DocRoom) {
  const client = {
    refusals: [] as [number, string][],
    asked: 0,
    sendUpdate: () => undefined,
    sendAwareness: () => undefined,
    refuse: (code: number, reason: string) => void client.refusals.push([code, reason]),
    askForMissing: () => void client.asked++,
  };
  room.peers.add(client);
  return client;
}

/** The update of a device that holds `doc` and adds one mark by `author`. */
function markFrom(doc: Y.Doc, author: string, text: string): Uint8Array {
  const device = new Y.Doc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(device);
  addAnnotation(device, author, { ...upperTrapeziusPressure, text });
  const update = Y.encodeStateAsUpdate(device, before);
  device.destroy();
  return update;
}

/**
 * The document open on both processes (p1 writing it) with one mark short of the limit, and a
 * client on p2 once p2 heard from the writer (p1 announces its term once subscribed; a change
 * forwarded earlier would reach nobody, and a real device would send it again when asked).
 */
async function nearlyFull(p1: ReturnType<typeof process_>, p2: ReturnType<typeof process_>, docId: string) {
  const one = await p1.open(docId);
  await eventually(() => expect(one.room.isStoring).toBe(true));
  one.room.serverTransact((doc) => {
    for (let i = 1; i < MAX_MARKS_PER_DEBRIEF; i++) mark(`m${i}`)(doc);
  });
  const two = await p2.open(docId);
  const clientOfTwo = clientOf(two.room);
  await eventually(() => expect(clientOfTwo.asked).toBeGreaterThan(0));
  await eventually(() => expect(notes(two.room.doc)).toHaveLength(MAX_MARKS_PER_DEBRIEF - 1));
  return { one, two, clientOfTwo };
}

describe('documents shared by two processes', () => {
  it('relays changes both ways, stores them once through the lease holder, and hands over on unload', async () => {
    await withTwoProcesses(async ({ store, p1, p2, docId }) => {
      const one = await p1.open(docId);
      const two = await p2.open(docId);
      await eventually(() => expect([one.room.isStoring, two.room.isStoring].filter(Boolean)).toHaveLength(1));

      one.room.serverTransact(mark('a'));
      two.room.serverTransact(mark('b'));
      const both = ['a', 'b'];
      await eventually(() => expect(notes(two.room.doc)).toEqual(both));
      await eventually(() => expect(notes(one.room.doc)).toEqual(both));
      await eventually(async () => expect(await storedNotes(store, docId)).toEqual(both));
      // appended by the writer only: one log entry per change, no copies
      const writer = one.room.isStoring ? { it: one, other: two, p: p1 } : { it: two, other: one, p: p2 };
      await writer.it.room.durable();

      // the writer unloads: the other process becomes the writer and keeps storing
      await writer.it.unload();
      await eventually(() => expect(writer.other.room.isStoring).toBe(true), { timeout: 5_000 });
      writer.other.room.serverTransact(mark('c'));
      await eventually(async () => expect(await storedNotes(store, docId)).toEqual([...both, 'c']));
      await writer.other.unload();
      expect(await p1.leases.holder(docId)).toBeNull();
    });
  });

  it('catches up a process that missed changes, and takes over from a writer that vanished without storing', async () => {
    const stored = new MemoryDocStore();
    // p1's writes never reach the shared store (it dies before they would)
    const p1 = process_(new MemoryDocStore());
    const docId = unique();
    try {
      const one = await p1.open(docId);
      await eventually(() => expect(one.room.isStoring).toBe(true));
      // a change p1 relays while p2 is not listening yet
      one.room.serverTransact(mark('x'));

      const p2 = process_(stored);
      try {
        const two = await p2.open(docId);
        // the state announced on opening brings what pub/sub never delivered
        await eventually(() => expect(notes(two.room.doc)).toEqual(['x']));
        // p1 "dies": it stops renewing without releasing; p2 takes the lease and stores it all
        p1.close();
        await eventually(() => expect(two.room.isStoring).toBe(true), { timeout: 5_000 });
        await eventually(async () => expect(await storedNotes(stored, docId)).toEqual(['x']));
        await two.unload();
      } finally {
        p2.close();
      }
    } finally {
      p1.close();
    }
  });

  it('refuses the late snapshot of a writer that stalled past its lease: nothing its successor stored is lost', async () => {
    await withTwoProcesses(async ({ store, p1, p2, docId }) => {
      const one = await p1.open(docId);
      await eventually(() => expect(one.room.isStoring).toBe(true));
      one.room.serverTransact(mark('a'));
      const two = await p2.open(docId);
      await eventually(() => expect(notes(two.room.doc)).toEqual(['a']));
      await eventually(async () => expect(await storedNotes(store, docId)).toEqual(['a']));
      // p1 stalls: no renewal, nothing received. Meanwhile 'b' reaches only p2, which does not
      // write yet: until its takeover snapshot, 'b' is stored nowhere
      p1.close();
      two.room.serverTransact(mark('b'));
      await eventually(() => expect(two.room.isStoring).toBe(true), { timeout: 5_000 });
      await eventually(async () => expect(await storedNotes(store, docId)).toEqual(['a', 'b']));
      // p1 wakes up still believing it writes, and closes the document with what it holds
      expect(one.room.isStoring).toBe(true);
      await one.room.compact(true);
      expect(await storedNotes(store, docId)).toEqual(['a', 'b']);
      await two.unload();
      expect(await storedNotes(store, docId)).toEqual(['a', 'b']);
    });
  });

  it('refuses a mark past the limit at either process: neither partner nor the store gets it', async () => {
    await withTwoProcesses(async ({ store, p1, p2, docId }) => {
      const { one, two, clientOfTwo: device } = await nearlyFull(p1, p2, docId);
      // Ana's device, connected to the process that does not write, adds the last allowed mark
      // and then one more (a device keeps what it made; the server decides what the debrief holds)
      const ana = new Y.Doc();
      Y.applyUpdate(ana, Y.encodeStateAsUpdate(two.room.doc));
      const sent: Uint8Array[] = [];
      ana.on('update', (u: Uint8Array) => sent.push(u));
      addAnnotation(ana, ANA, { ...upperTrapeziusPressure, text: 'last' });
      addAnnotation(ana, ANA, { ...upperTrapeziusPressure, text: 'past the limit' });
      // forwarded to the writer, which judges them: its refusal comes back to the device's process
      expect(two.room.applyClientUpdate(sent[0]!, ANA, device)).toBeNull();
      expect(two.room.applyClientUpdate(sent[1]!, ANA, device)).toBeNull();
      await eventually(() =>
        expect(device.refusals).toEqual([[4422, `a debrief holds at most ${MAX_MARKS_PER_DEBRIEF} marks`]]),
      );
      // and all of it again, as her device resends on reconnecting (to the other process)
      expect(one.room.applyClientUpdate(Y.encodeStateAsUpdate(ana), ANA, clientOf(one.room))).toBe(
        `a debrief holds at most ${MAX_MARKS_PER_DEBRIEF} marks`,
      );
      for (const room of [one.room, two.room]) {
        await eventually(() => expect(notes(room.doc)).toContain('last'));
        expect(notes(room.doc)).toHaveLength(MAX_MARKS_PER_DEBRIEF);
        expect(notes(room.doc)).not.toContain('past the limit');
      }
      await eventually(async () => expect(await storedNotes(store, docId)).toEqual(notes(one.room.doc)));
      ana.destroy();
      await two.unload();
      await one.unload();
    });
  });

  it('judges every change at the writer: partners on both processes adding the 300th mark at once, one wins', async () => {
    await withTwoProcesses(async ({ store, p1, p2, docId }) => {
      const { one, two, clientOfTwo: onOther } = await nearlyFull(p1, p2, docId);
      const onWriter = clientOf(one.room);
      // both in the same tick: each process's own copy still holds 299 marks
      expect(two.room.applyClientUpdate(markFrom(two.room.doc, ANA, 'Ana on 2'), ANA, onOther)).toBeNull();
      expect(one.room.applyClientUpdate(markFrom(one.room.doc, AUTHOR, 'Ben on 1'), AUTHOR, onWriter)).toBeNull();
      await eventually(() =>
        expect(onOther.refusals).toEqual([[4422, `a debrief holds at most ${MAX_MARKS_PER_DEBRIEF} marks`]]),
      );
      for (const room of [one.room, two.room]) {
        await eventually(() => expect(notes(room.doc)).toContain('Ben on 1'));
        expect(notes(room.doc)).toHaveLength(MAX_MARKS_PER_DEBRIEF);
      }
      await eventually(async () => expect(await storedNotes(store, docId)).toEqual(notes(one.room.doc)));
      await two.unload();
      await one.unload();
    });
  });

  it('asks the clients of every process for their changes again when the writer changes', async () => {
    await withTwoProcesses(async ({ store, p1, p2, docId }) => {
      const one = await p1.open(docId);
      await eventually(() => expect(one.room.isStoring).toBe(true));
      const two = await p2.open(docId);
      const device = clientOf(two.room);
      // the writer unloads; a change forwarded before the other process takes over reaches nobody
      await one.unload();
      device.asked = 0;
      const lost = markFrom(two.room.doc, ANA, 'forwarded to nobody');
      expect(two.room.applyClientUpdate(lost, ANA, device)).toBeNull();
      expect(notes(two.room.doc)).toEqual([]);
      await eventually(() => expect(two.room.isStoring).toBe(true), { timeout: 5_000 });
      // the new writer asks its clients for what the document lacks: the device sends it again
      await eventually(() => expect(device.asked).toBeGreaterThan(0));
      expect(two.room.applyClientUpdate(lost, ANA, device)).toBeNull();
      expect(notes(two.room.doc)).toEqual(['forwarded to nobody']);
      await eventually(async () => expect(await storedNotes(store, docId)).toEqual(['forwarded to nobody']));
      await two.unload();
    });
  });

  it('relays presence to the other process, and its removal when the person leaves', async () => {
    await withTwoProcesses(async ({ p1, p2, docId }) => {
      const one = await p1.open(docId);
      const two = await p2.open(docId);
      const device = new Y.Doc();
      const presence = new awarenessProtocol.Awareness(device);
      presence.setLocalState({ user: { name: 'Ana' } });
      const update = awarenessProtocol.encodeAwarenessUpdate(presence, [device.clientID]);
      one.room.presenceOwners.published(device.clientID, ANA); // as Ana's connection does
      await eventually(() => {
        awarenessProtocol.applyAwarenessUpdate(one.room.awareness, update, 'a client');
        expect(two.room.awareness.getStates().get(device.clientID)).toEqual({ user: { name: 'Ana' } });
      });
      awarenessProtocol.removeAwarenessStates(one.room.awareness, [device.clientID], 'a client');
      await eventually(() => expect(two.room.awareness.getStates().has(device.clientID)).toBe(false));
      presence.destroy();
      await one.unload();
      await two.unload();
    });
  });
  it("drops a relayed state under a client id another person owns here, whatever the sender's process allowed", async () => {
    await withTwoProcesses(async ({ p1, p2, docId }) => {
      const one = await p1.open(docId);
      const two = await p2.open(docId);
      const [ANAS_DEVICE, BENS_DEVICE] = [777, 778];
      /** A state accepted from a connection of `userId`'s, as CollabConnection accepts one. */
      const publish = (room: DocRoom, userId: string, clientId: number, clock: number, state: object) => {
        room.presenceOwners.published(clientId, userId);
        const update = encodeAwarenessEntries([{ clientId, clock, json: JSON.stringify(state) }]);
        awarenessProtocol.applyAwarenessUpdate(room.awareness, update, `a client of ${userId}`);
      };
      const states = (room: DocRoom) => room.awareness.getStates();
      // a newer clock each try: a state relayed before process 2 listened is not sent again
      let clock = 0;
      await eventually(() => {
        publish(one.room, ANA, ANAS_DEVICE, ++clock, { user: { id: ANA } });
        expect(states(two.room).get(ANAS_DEVICE)).toEqual({ user: { id: ANA } });
      });
      // process 2 let a state of Ben's through under Ana's id (as if it had not heard of her yet)
      publish(two.room, AUTHOR, ANAS_DEVICE, clock + 5, { user: { id: AUTHOR } });
      publish(two.room, AUTHOR, BENS_DEVICE, 1, { user: { id: AUTHOR } });
      await eventually(() => expect(states(one.room).get(BENS_DEVICE)).toEqual({ user: { id: AUTHOR } }));
      expect(states(one.room).get(ANAS_DEVICE)).toEqual({ user: { id: ANA } });
      await one.unload();
      await two.unload();
    });
  });
});

describe('the change feed', () => {
  it('has every process read a change again before it answers anything, and reload whole after a lost one', async () => {
    const topic = `test-${unique()}`;
    const [p1, p2] = [1, 2].map(
      () => new RedisChangeFeed(redis.commands, redis.another(`changes-${unique()}`), logger),
    );
    await p1!.start();
    await p2!.start();
    const reread: string[] = [];
    let reloads = 0;
    p2!.follow(topic, {
      reread: async (id) => {
        await new Promise((resolve) => setTimeout(resolve, 100)); // a slow database read
        reread.push(id);
      },
      reloadAll: () => void reloads++,
    });
    await p1!.changed(topic, 'note-1');
    await p2!.caughtUp();
    expect(reread).toEqual(['note-1']);
    // a change numbered but never delivered (as to a subscriber that was reconnecting)
    await redis.commands.incr('kb:changes:seq');
    await p2!.caughtUp();
    expect(reloads).toBeGreaterThanOrEqual(1);
    expect(reread).toEqual(['note-1']);
  });
});

describe('rate limits in Redis', () => {
  it('applies the same limit across processes and refuses like the in-memory counters', async () => {
    const prefix = `kb:test:${unique()}:`;
    const processA = new RateLimits(true, new RedisHitCounts(redis.commands, prefix));
    const processB = new RateLimits(true, new RedisHitCounts(redis.commands, prefix));
    const { max, windowMs } = RATE_LIMITS.loginFailuresPerAccount;
    const t0 = Date.now();
    for (let i = 0; i < max; i++) await (i % 2 ? processA : processB).record('loginFailuresPerAccount', 'ana', t0 + i);
    const refusal = await processA
      .refuseWhenFull([['loginFailuresPerAccount', 'ana']], 'login_locked', 'too many attempts', t0 + max)
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect(refusal).toMatchObject({ status: 429, code: 'login_locked', retryAfterMs: windowMs - max });
    expect(await processB.retryAfterMs('loginFailuresPerAccount', 'ben', t0)).toBe(0);
    await processB.reset('loginFailuresPerAccount', 'ana');
    expect(await processA.retryAfterMs('loginFailuresPerAccount', 'ana', t0 + max)).toBe(0);
  });
});
