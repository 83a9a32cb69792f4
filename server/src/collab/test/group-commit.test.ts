import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.ts';
import type { StoredUpdate } from '../doc-store.ts';
import { UpdateWriter } from '../update-writer.ts';
import { ControlledStore, transientError } from './controlled-store.ts';

const logger = createLogger('silent');
const entry = (docId: string, seq: number): StoredUpdate => ({ docId, seq, update: new Uint8Array([seq, 0]) });
const batches = (store: ControlledStore) => store.appendCalls.map((b) => b.map((u) => `${u.docId}#${u.seq}`));

describe('UpdateWriter group commit', () => {
  it('writes what arrives during a write together in the next one, across documents', async () => {
    const store = new ControlledStore();
    const writer = new UpdateWriter(store, logger);
    const release = store.holdAppends();
    const first = writer.write(entry('a', 1));
    const waiting = [writer.write(entry('a', 2)), writer.write(entry('b', 1)), writer.write(entry('c', 1))];
    expect(writer.backlogBytes).toBe(8);
    release();
    await Promise.all([first, ...waiting]);
    expect(batches(store)).toEqual([['a#1'], ['a#2', 'b#1', 'c#1']]);
    expect(writer.persistedCount).toBe(4);
    expect(writer.backlogBytes).toBe(0);
  });

  it('caps a write at its batch size', async () => {
    const store = new ControlledStore();
    const writer = new UpdateWriter(store, logger, { maxBatch: 2 });
    const release = store.holdAppends();
    const all = [1, 2, 3, 4, 5].map((seq) => writer.write(entry('a', seq)));
    release();
    await Promise.all(all);
    expect(batches(store)).toEqual([['a#1'], ['a#2', 'a#3'], ['a#4', 'a#5']]);
  });

  it('lets appends gather for its window before writing them, then writes them together', async () => {
    const store = new ControlledStore();
    const writer = new UpdateWriter(store, logger, { windowMs: 40 });
    const first = writer.write(entry('a', 1));
    await new Promise((r) => setTimeout(r, 10));
    const later = [writer.write(entry('b', 1)), writer.write(entry('a', 2))];
    expect(store.appendCalls).toHaveLength(0); // still gathering
    await Promise.all([first, ...later]);
    expect(batches(store)).toEqual([['a#1', 'b#1', 'a#2']]);
  });

  it('stores a compaction after the appends queued before it, and does not hold up those after', async () => {
    const store = new ControlledStore();
    const writer = new UpdateWriter(store, logger);
    const release = store.holdAppends();
    const order: string[] = [];
    const track = (what: string, p: Promise<void>) => p.then(() => order.push(what));
    const done = [
      track('append 1', writer.write(entry('a', 1))),
      track('append 2', writer.write(entry('a', 2))),
      track('compact', writer.compact('a', new Uint8Array([0, 0]), 2, false)),
      track('append 3', writer.write(entry('a', 3))),
    ];
    await new Promise((r) => setTimeout(r, 10));
    expect(store.compactions).toEqual([]); // its appends are not stored yet
    release();
    await Promise.all(done);
    expect(order.indexOf('compact')).toBeGreaterThan(order.indexOf('append 2'));
    expect(batches(store)).toEqual([['a#1'], ['a#2', 'a#3']]);
    expect(store.compactions).toEqual([{ docId: 'a', upToSeq: 2, closing: false }]);
  });

  it('keeps storing appends while compactions wait for the database', async () => {
    const store = new ControlledStore();
    const writer = new UpdateWriter(store, logger);
    const release = store.holdCompactions();
    const compactions = ['a', 'b', 'c'].map((docId) => writer.compact(docId, new Uint8Array([0, 0]), 0, false));
    await writer.write(entry('a', 1));
    await writer.write(entry('b', 1));
    expect(batches(store)).toEqual([['a#1'], ['b#1']]);
    expect(store.compactions).toHaveLength(1); // the first is held, the others wait behind it
    let idle = false;
    const writerIdle = writer.idle().then(() => (idle = true));
    await writer.appendsStored();
    expect(idle).toBe(false);
    release();
    await Promise.all([...compactions, writerIdle]);
    expect(store.compactions.map((c) => c.docId)).toEqual(['a', 'b', 'c']);
  });

  it("holds back a document's appends queued after its closing compaction until it is stored, and no one else's", async () => {
    const store = new ControlledStore();
    const writer = new UpdateWriter(store, logger);
    await writer.write(entry('d', 1));
    const release = store.holdCompactions();
    const order: string[] = [];
    const track = (what: string, p: Promise<void>) => p.then(() => order.push(what));
    const closing = track('close d', writer.compact('d', new Uint8Array([0, 0]), 1, true));
    const reopened = track('d#2', writer.write(entry('d', 2)));
    await track('e#1', writer.write(entry('e', 1)));
    expect(batches(store)).toEqual([['d#1'], ['e#1']]);
    release();
    await Promise.all([closing, reopened]);
    expect(order).toEqual(['e#1', 'close d', 'd#2']);
    expect(await store.openDocs()).toContain('d'); // the append after the close marked it open again
  });

  it('waits out passing failures and resolves each write only once it is stored', async () => {
    const store = new ControlledStore();
    store.appendErrors.push(transientError, transientError);
    const writer = new UpdateWriter(store, logger);
    let stored = false;
    const write = writer.write(entry('a', 1)).then(() => (stored = true));
    await writer.appendsStored();
    await write;
    expect(stored).toBe(true);
    expect(store.appendCalls).toHaveLength(3);
  });
});

describe('UpdateWriter isolation', () => {
  it('writes a refused batch one by one, dropping only the write refused for good', async () => {
    const store = new ControlledStore();
    store.refusedDocs.add('too-large');
    const writer = new UpdateWriter(store, logger);
    const release = store.holdAppends();
    const first = writer.write(entry('a', 1));
    const rest = [writer.write(entry('b', 1)), writer.write(entry('too-large', 1)), writer.write(entry('c', 1))];
    const compaction = writer.compact('b', new Uint8Array([0, 0]), 1, true);
    release();
    await Promise.all([first, ...rest, compaction]);
    expect(batches(store)).toEqual([['a#1'], ['b#1', 'too-large#1', 'c#1'], ['b#1'], ['too-large#1'], ['c#1']]);
    expect(await store.openDocs()).toEqual(expect.not.arrayContaining(['b']));
    for (const docId of ['a', 'b', 'c']) expect((await store.load(docId)).lastSeq).toBe(1);
    expect((await store.load('too-large')).lastSeq).toBe(0);
    // nor are later writes batched with another of its writes
    await Promise.all([writer.write(entry('too-large', 2)), writer.write(entry('a', 2))]);
    expect((await store.load('a')).lastSeq).toBe(2);
    expect((await store.load('too-large')).lastSeq).toBe(0);
  });
});
