// The storage contract every DocStore backend must pass; run by one test file per backend.
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocStore } from './doc-store.ts';

function docFrom(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
}

export function docStoreContract(makeStore: () => Promise<DocStore>): void {
  it('loads nothing for a new document', async () => {
    const store = await makeStore();
    expect(await store.load('new-doc')).toEqual({ updates: [], lastSeq: 0 });
  });

  it('loads appended updates in order, per document', async () => {
    const store = await makeStore();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getArray('list').push(['one']);
    doc.getArray('list').push(['two']);
    await store.appendMany([
      { docId: 'd1', seq: 1, update: updates[0]! },
      { docId: 'other', seq: 1, update: updates[0]! },
      { docId: 'd1', seq: 2, update: updates[1]! },
    ]);
    const loaded = await store.load('d1');
    expect(loaded.lastSeq).toBe(2);
    expect(docFrom(loaded.updates).getArray('list').toArray()).toEqual(['one', 'two']);
  });

  it('compaction replaces the covered log with a snapshot and keeps later updates', async () => {
    const store = await makeStore();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (const word of ['a', 'b', 'c']) doc.getArray('list').push([word]);
    await store.appendMany(updates.slice(0, 2).map((update, i) => ({ docId: 'd', seq: i + 1, update })));
    const twoWords = new Y.Doc();
    for (const u of updates.slice(0, 2)) Y.applyUpdate(twoWords, u);
    await store.compact('d', Y.encodeStateAsUpdate(twoWords), 2);
    await store.appendMany([{ docId: 'd', seq: 3, update: updates[2]! }]);
    const loaded = await store.load('d');
    expect(loaded.updates).toHaveLength(2); // snapshot + one update
    expect(loaded.lastSeq).toBe(3);
    expect(docFrom(loaded.updates).getArray('list').toArray()).toEqual(['a', 'b', 'c']);
    expect(await store.docsWithLog()).toContain('d');
    await store.compact('d', Y.encodeStateAsUpdate(doc), 3);
    expect(await store.docsWithLog()).not.toContain('d');
  });

  it('accepts a retried batch that was partly stored already', async () => {
    const store = await makeStore();
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    doc.getArray('list').push(['x']);
    doc.getArray('list').push(['y']);
    await store.appendMany([{ docId: 'r', seq: 1, update: updates[0]! }]);
    await store.appendMany([
      { docId: 'r', seq: 1, update: updates[0]! },
      { docId: 'r', seq: 2, update: updates[1]! },
    ]);
    expect(
      docFrom((await store.load('r')).updates)
        .getArray('list')
        .toArray(),
    ).toEqual(['x', 'y']);
  });
}
