// The storage contract every DocStore backend must pass; run by one test file per backend.
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { SupersededWriteError, type DocStore } from './doc-store.ts';

function docFrom(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

/** Three updates of a document with a list, and the list after each. */
function history(): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const word of ['a', 'b', 'c']) doc.getArray('list').push([word]);
  return updates;
}

const stateOf = (updates: Uint8Array[]) => Y.encodeStateAsUpdate(docFrom(updates));
const listOf = (updates: Uint8Array[]) => docFrom(updates).getArray('list').toArray();

export function docStoreContract(makeStore: () => Promise<DocStore>): void {
  it('loads nothing for a new document', async () => {
    const store = await makeStore();
    expect(await store.load('new-doc')).toEqual({ updates: [], lastSeq: 0, clean: true });
  });

  it('after a crash, loads the snapshot plus the appended updates, in order, per document', async () => {
    const store = await makeStore();
    const [u1, u2, u3] = history();
    await store.load('d1');
    await store.appendMany([
      { docId: 'd1', seq: 1, update: u1! },
      { docId: 'other', seq: 1, update: u1! },
      { docId: 'd1', seq: 2, update: u2! },
    ]);
    await store.compact('d1', stateOf([u1!]), 1, false);
    await store.appendMany([{ docId: 'd1', seq: 3, update: u3! }]);
    // no clean close: the document is still listed as open, and loading it finds everything
    expect(await store.openDocs()).toContain('d1');
    const loaded = await store.load('d1');
    expect(loaded).toMatchObject({ lastSeq: 3, clean: false });
    expect(listOf(loaded.updates)).toEqual(['a', 'b', 'c']);
  });

  it('a closing compaction leaves one snapshot, the document closed, and sweeps its log', async () => {
    const store = await makeStore();
    const updates = history();
    await store.load('d');
    await store.appendMany(updates.map((update, i) => ({ docId: 'd', seq: i + 1, update })));
    await store.compact('d', stateOf(updates), 3, true);
    await store.sweep();
    expect(await store.openDocs()).not.toContain('d');
    const loaded = await store.load('d');
    expect(loaded).toMatchObject({ lastSeq: 3, clean: true });
    expect(loaded.updates).toHaveLength(1);
    expect(listOf(loaded.updates)).toEqual(['a', 'b', 'c']);
  });

  it('opening is a read: a document is open only once appended to, and again after a clean close', async () => {
    const store = await makeStore();
    const [u1, u2] = history();
    await store.load('quiet');
    expect(await store.openDocs()).not.toContain('quiet');
    await store.appendMany([{ docId: 'quiet', seq: 1, update: u1! }]);
    expect(await store.openDocs()).toContain('quiet');
    await store.compact('quiet', stateOf([u1!]), 1, true);
    expect(await store.openDocs()).not.toContain('quiet');
    await store.load('quiet');
    await store.appendMany([{ docId: 'quiet', seq: 2, update: u2! }]);
    expect(await store.openDocs()).toContain('quiet');
    expect(listOf((await store.load('quiet')).updates)).toEqual(['a', 'b']);
  });

  it('keeps many documents apart: each loads its own state, openDocs lists exactly the open ones', async () => {
    const store = await makeStore();
    const [u1, u2] = history();
    const ids = Array.from({ length: 40 }, (_, i) => `many-${i}`);
    for (const id of ids) await store.load(id);
    // every document gets an entry; a third is then closed, a third compacted but left open
    await store.appendMany(ids.map((docId) => ({ docId, seq: 1, update: u1! })));
    for (const [i, id] of ids.entries()) {
      if (i % 3 === 0) await store.compact(id, stateOf([u1!]), 1, true);
      if (i % 3 === 1) await store.compact(id, stateOf([u1!]), 1, false);
    }
    const open = ids.filter((_, i) => i % 3 !== 0);
    expect((await store.openDocs()).filter((id) => id.startsWith('many-')).sort()).toEqual(open.sort());
    await store.appendMany([{ docId: ids[0]!, seq: 2, update: u2! }]);
    expect(await store.openDocs()).toContain(ids[0]);
    for (const [i, id] of ids.entries()) {
      const loaded = await store.load(id);
      expect(loaded.lastSeq).toBe(i === 0 ? 2 : 1);
      expect(listOf(loaded.updates)).toEqual(i === 0 ? ['a', 'b'] : ['a']);
    }
  });

  it('accepts a retried batch that was partly stored already', async () => {
    const store = await makeStore();
    const [u1, u2] = history();
    await store.load('r');
    await store.appendMany([{ docId: 'r', seq: 1, update: u1! }]);
    await store.appendMany([
      { docId: 'r', seq: 1, update: u1! },
      { docId: 'r', seq: 2, update: u2! },
    ]);
    expect(listOf((await store.load('r')).updates)).toEqual(['a', 'b']);
  });

  it('refuses a snapshot fenced below the stored one: a stalled writer cannot overwrite its successor', async () => {
    const store = await makeStore();
    const [u1, u2, u3] = history();
    await store.load('f');
    await store.appendMany([{ docId: 'f', seq: 1, update: u1! }]);
    await store.compact('f', stateOf([u1!]), 1, false, 5); // the first writer, epoch 5
    await store.compact('f', stateOf([u1!, u2!, u3!]), 3, false, 7); // its successor, epoch 7
    await expect(store.compact('f', stateOf([u1!, u2!]), 2, false, 5)).rejects.toBeInstanceOf(SupersededWriteError);
    await store.compact('f', stateOf([u1!, u2!, u3!]), 3, true, 7); // the successor writes on
    expect(listOf((await store.load('f')).updates)).toEqual(['a', 'b', 'c']);
  });
}
