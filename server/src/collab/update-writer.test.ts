import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { MemoryDocStore, type DocStore, type StoredUpdate } from './doc-store.ts';
import { UpdateWriter } from './update-writer.ts';

const logger = createLogger('silent');
const entry = (docId: string, seq: number): StoredUpdate => ({ docId, seq, update: new Uint8Array([seq, 0]) });
/** Updates a load of the document finds (nothing is compacted here, so its whole log). */
const storedUpdates = async (store: DocStore, docId: string) => (await store.load(docId)).updates.length;

/** A store whose database refuses some writes: for good (too large), or for a while (busy). */
class FaultyStore extends MemoryDocStore {
  busyFor = 0;
  refused = new Set<string>();
  override async appendMany(updates: StoredUpdate[]): Promise<void> {
    if (this.busyFor > 0) {
      this.busyFor--;
      throw Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 1 });
    }
    if (updates.some((u) => this.refused.has(u.docId))) {
      throw Object.assign(new Error('BSONObj size: 17000000 is invalid'), { code: 10334 });
    }
    return super.appendMany(updates);
  }
}

describe('UpdateWriter', () => {
  it('waits out a busy database and stores everything', async () => {
    const store = new FaultyStore();
    store.busyFor = 2;
    const writer = new UpdateWriter(store, logger);
    await Promise.all([writer.write(entry('a', 1)), writer.write(entry('b', 1))]);
    expect(await storedUpdates(store, 'a')).toBe(1);
    expect(await storedUpdates(store, 'b')).toBe(1);
  });

  it("drops a write the database refuses for good without holding up other documents' writes", async () => {
    const store = new FaultyStore();
    store.refused.add('poisoned');
    const writer = new UpdateWriter(store, logger);
    await Promise.all([writer.write(entry('a', 1)), writer.write(entry('poisoned', 1)), writer.write(entry('b', 1))]);
    await writer.write(entry('a', 2));
    expect(await storedUpdates(store, 'a')).toBe(2);
    expect(await storedUpdates(store, 'b')).toBe(1);
    expect(await storedUpdates(store, 'poisoned')).toBe(0);
  });

  it('stores a write queued from the callback of the write before it', async () => {
    const store = new MemoryDocStore();
    const writer = new UpdateWriter(store, logger);
    let second: Promise<void> | undefined;
    await writer.write(entry('a', 1)).then(() => {
      second = writer.write(entry('a', 2));
    });
    await second;
    expect(await storedUpdates(store, 'a')).toBe(2);
  });
});
