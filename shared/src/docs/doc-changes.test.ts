import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  entriesOfDeleted,
  hasHiddenContent,
  holdsChanges,
  integratedSince,
  pendingBytes,
  readChanges,
  sameClocks,
  writersOf,
  type DocChange,
} from './doc-changes.ts';

// These read Yjs internals (`_map`, `_item`, `_start`, the store's clients, pending structs); if a Yjs release moves
// them, these tests fail before the server's guard silently stops seeing changes.

function changesOf(doc: Y.Doc, change: () => void): DocChange[] {
  let out: DocChange[] = [];
  const read = (tr: Y.Transaction) => (out = readChanges(tr));
  doc.on('afterTransaction', read);
  doc.transact(change);
  doc.off('afterTransaction', read);
  return out;
}

describe('readChanges', () => {
  it('reports added, updated and deleted keys with their paths, old values and writers', () => {
    const doc = new Y.Doc();
    const root = doc.getMap<Y.Map<unknown>>('root');
    const inner = new Y.Map<unknown>();
    root.set('a', inner);
    inner.set('x', 1);
    inner.set('gone', true);
    expect(changesOf(doc, () => inner.set('x', 2))).toEqual([
      {
        kind: 'key',
        path: ['root', 'a'],
        key: 'x',
        action: 'update',
        oldValue: 1,
        newValue: 2,
        writerClient: doc.clientID,
        packed: false,
      },
    ]);
    expect(changesOf(doc, () => inner.delete('gone'))).toMatchObject([
      { path: ['root', 'a'], key: 'gone', action: 'delete', oldValue: true, newValue: undefined, writerClient: null },
    ]);
    const [removal] = changesOf(doc, () => root.delete('a'));
    expect(removal).toMatchObject({ path: ['root'], key: 'a', action: 'delete' });
    // a removed map's entries stay readable for the rest of its transaction
    let before: Record<string, unknown> = {};
    const other = new Y.Doc();
    other.getMap<Y.Map<unknown>>('root').set('b', new Y.Map([['k', 'v']]));
    other.on('afterTransaction', (tr: Y.Transaction) => {
      const change = readChanges(tr)[0];
      if (change?.kind === 'key' && change.action === 'delete')
        before = entriesOfDeleted(change.oldValue as Y.Map<unknown>);
    });
    other.getMap('root').delete('b');
    expect(before).toEqual({ k: 'v' });
  });

  it('reports list content and roots that are not maps', () => {
    const doc = new Y.Doc();
    const list = doc.getArray('list');
    expect(changesOf(doc, () => list.push([1]))).toEqual([{ kind: 'content', path: ['list'], type: list }]);
  });

  it('sees writers, hidden list content inside a map, and pending bytes', () => {
    const doc = new Y.Doc();
    const map = new Y.Map<unknown>([['k', 1]]);
    doc.getMap('root').set('m', map);
    expect(writersOf(map)).toEqual(new Set([doc.clientID]));
    expect(hasHiddenContent(map)).toBe(false);

    const source = new Y.Doc();
    source.getMap('root').set('first', 1);
    const first = Y.encodeStateAsUpdate(source);
    source.getMap('root').set('second', 2);
    const second = Y.encodeStateAsUpdate(source, Y.encodeStateVector(new Y.Doc()));
    const receiver = new Y.Doc();
    Y.applyUpdate(receiver, Y.diffUpdate(second, Y.encodeStateVectorFromUpdate(first)));
    expect(pendingBytes(receiver)).toBeGreaterThan(0);
    Y.applyUpdate(receiver, first);
    expect(pendingBytes(receiver)).toBe(0);
  });

  it('encodes what a document integrated since a state vector, without the changes it holds back', () => {
    const source = new Y.Doc();
    source.getMap('root').set('first', 1);
    const first = Y.encodeStateAsUpdate(source);
    source.getMap('root').set('second', 2); // builds on `first`
    const second = Y.diffUpdate(Y.encodeStateAsUpdate(source), Y.encodeStateVectorFromUpdate(first));
    const other = new Y.Doc();
    other.getMap('root').set('other', 3);

    const receiver = new Y.Doc();
    const before = new Map(Y.decodeStateVector(Y.encodeStateVector(receiver)));
    Y.applyUpdate(receiver, second); // held: `first` has not arrived
    Y.applyUpdate(receiver, Y.encodeStateAsUpdate(other));
    expect(holdsChanges(receiver)).toBe(true);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, integratedSince(receiver, before));
    expect(copy.getMap('root').toJSON()).toEqual({ other: 3 });
    expect(holdsChanges(copy)).toBe(false); // the held change stayed behind
    expect(holdsChanges(receiver)).toBe(true); // and is still held where it was
  });

  it('compares clocks as state vectors do, and sees deletions held for changes not yet seen', () => {
    const a = new Y.Doc();
    a.getMap('root').set('k', 1);
    const b = new Y.Doc();
    expect(sameClocks(a, b)).toBe(false);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    expect(sameClocks(a, b)).toBe(true);
    const c = new Y.Doc();
    c.getMap('root').set('other', 1);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(c));
    expect(sameClocks(a, b)).toBe(false);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(c));
    expect(sameClocks(a, b)).toBe(true);
    expect(sameClocks(a, b)).toBe(equalVectors(a, b));

    const later = new Y.Doc();
    Y.applyUpdate(later, Y.encodeStateAsUpdate(a));
    const before = Y.encodeStateVector(later);
    later.getMap('root').set('gone', true);
    const added = Y.encodeStateAsUpdate(later, before);
    const afterAdd = Y.encodeStateVector(later);
    later.getMap('root').delete('gone');
    const deletion = Y.encodeStateAsUpdate(later, afterAdd);
    expect(holdsChanges(a)).toBe(false);
    Y.applyUpdate(a, deletion);
    expect(holdsChanges(a)).toBe(true);
    Y.applyUpdate(a, added);
    expect(holdsChanges(a)).toBe(false);
  });
});

function equalVectors(a: Y.Doc, b: Y.Doc): boolean {
  const [va, vb] = [a, b].map((d) => Y.decodeStateVector(Y.encodeStateVector(d)));
  return va!.size === vb!.size && [...va!].every(([client, clock]) => vb!.get(client) === clock);
}
