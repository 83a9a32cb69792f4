import * as Y from 'yjs';

/**
 * What a Yjs transaction did to a document of nested maps, read from the transaction itself
 * (keys with their old and new values, who wrote each new value), so rules judge effects rather
 * than update encodings. The only code that reads Yjs internals (`_map`, `_item`, the struct
 * store's clients and pending structs); doc-changes.test.ts fails if a Yjs release changes them
 * under us.
 */
export type DocChange =
  | {
      kind: 'key';
      /** Root name, then the keys down to the map that changed. */
      path: readonly string[];
      key: string;
      action: 'add' | 'update' | 'delete';
      oldValue: unknown;
      /** As `map.get(key)` reads it now (undefined when deleted). */
      newValue: unknown;
      /**
       * Yjs client id of the item holding the new value, or of the item that removed the key by
       * being written over it; null for a plain deletion (Yjs does not record who deleted).
       */
      writerClient: number | null;
      /** Items holding more than one value under one key are never written by Y.Map.set. */
      packed: boolean;
    }
  /** Content that is not a map entry: list items, text, or a root that is not a map. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types its types this way
  | { kind: 'content'; path: readonly string[]; type: Y.AbstractType<any> };

export function readChanges(tr: Y.Transaction): DocChange[] {
  const out: DocChange[] = [];
  for (const [type, keys] of tr.changed) {
    const path = pathOf(type, tr.doc);
    if (!(type instanceof Y.Map) || keys.has(null)) out.push({ kind: 'content', path, type });
    if (!(type instanceof Y.Map)) continue;
    const event = new Y.YMapEvent(type as Y.Map<unknown>, tr, keys);
    for (const [key, { action, oldValue }] of event.keys) {
      const item = type._map.get(key);
      const live = action !== 'delete' && item !== undefined;
      // a key can also be removed by a new item written over it already deleted: that
      // item's writer removed it, not whoever sent the transaction
      const writtenNow = item !== undefined && item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
      out.push({
        kind: 'key',
        path,
        key,
        action,
        oldValue: oldValue as unknown,
        newValue: live ? type.get(key) : undefined,
        writerClient: live || writtenNow ? item.id.client : null,
        packed: live && item.length > 1,
      });
    }
  }
  return out;
}

/**
 * Yjs client ids in `update` that write directly under the root map `root` (a new key there:
 * Y.Map.set on a root map encodes the root's name as the item's parent).
 */
export function clientsWritingRoot(update: Uint8Array, root: string): Set<number> {
  const clients = new Set<number>();
  for (const struct of Y.decodeUpdate(update).structs) {
    // before integration an item's parent is as encoded: a root type's name, an ID, or null
    if (struct instanceof Y.Item && (struct.parent as unknown) === root) clients.add(struct.id.client);
  }
  return clients;
}

/** Root name and keys from the root down to `type`; a list position reads as "[list]". */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types a type's parent this way
function pathOf(type: Y.AbstractType<Y.YEvent<any>>, doc: Y.Doc): string[] {
  const keys: string[] = [];
  let current = type;
  while (current._item !== null) {
    keys.unshift(current._item.parentSub ?? '[list]');
    current = current._item.parent as typeof type;
  }
  for (const [name, root] of doc.share) if (root === current) return [name, ...keys];
  return ['[detached]', ...keys];
}

/**
 * A map's entries as they were before this transaction deleted it: `map.get` hides deleted
 * entries, but their content is kept until the transaction's garbage collection.
 */
export function entriesOfDeleted(map: Y.Map<unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, item] of map._map) {
    const content = item.content.getContent();
    if (content.length > 0) out[key] = content[content.length - 1];
  }
  return out;
}

/** Yjs client ids of every entry written into `map` and the maps nested in it. */
export function writersOf(map: Y.Map<unknown>): Set<number> {
  const writers = new Set<number>();
  for (const item of map._map.values()) {
    if (item.deleted) continue;
    writers.add(item.id.client);
    const value = item.content.getContent().at(-1);
    if (value instanceof Y.Map) for (const w of writersOf(value as Y.Map<unknown>)) writers.add(w);
  }
  return writers;
}

/**
 * Whether `map` (or a map nested in it) holds content its entries do not show: several values
 * packed under one key, or list items (Y.Map.set writes neither).
 */
export function hasHiddenContent(map: Y.Map<unknown>): boolean {
  if (map._start !== null) return true;
  for (const item of map._map.values()) {
    if (item.deleted) continue;
    if (item.length > 1) return true;
    const value = item.content.getContent().at(-1);
    if (value instanceof Y.Map && hasHiddenContent(value as Y.Map<unknown>)) return true;
  }
  return false;
}

/** Whether `map` has more than `max` entries, without walking it when it clearly has not. */
export function hasMoreEntriesThan<T>(map: Y.Map<T>, max: number): boolean {
  // _map also keeps deleted keys, so it bounds the live count from above
  return map._map.size > max && map.size > max;
}

/** The clients whose missing changes Yjs waits for before it applies the held ones. */
export function clientsAwaited(doc: Y.Doc): number[] {
  return [...(doc.store.pendingStructs?.missing.keys() ?? [])];
}

/** Bytes of changes Yjs holds back until the changes they build on arrive. */
export function pendingBytes(doc: Y.Doc): number {
  return (doc.store.pendingStructs?.update.length ?? 0) + (doc.store.pendingDs?.length ?? 0);
}

/**
 * What `doc` integrated since `before` (a state vector): its structs past it and its whole delete
 * set, without the changes Yjs holds back (Y.encodeStateAsUpdate would add those).
 */
export function integratedSince(doc: Y.Doc, before: Map<number, number>): Uint8Array {
  const { pendingStructs, pendingDs } = doc.store;
  doc.store.pendingStructs = null;
  doc.store.pendingDs = null;
  try {
    return Y.encodeStateAsUpdate(doc, Y.encodeStateVector(before));
  } finally {
    doc.store.pendingStructs = pendingStructs;
    doc.store.pendingDs = pendingDs;
  }
}

/** Whether Yjs holds back any change (structs or deletions) until what it builds on arrives. */
export function holdsChanges(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

/** Whether Yjs holds deletions of changes it has not seen yet (applied whenever they arrive). */
export function holdsDeletes(doc: Y.Doc): boolean {
  return doc.store.pendingDs !== null;
}

/**
 * Whether two documents have integrated the same changes: the same clock for every client (what
 * their state vectors say, read from the stores without encoding them).
 */
export function sameClocks(a: Y.Doc, b: Y.Doc): boolean {
  if (a.store.clients.size !== b.store.clients.size) return false;
  for (const client of a.store.clients.keys()) {
    if (Y.getState(a.store, client) !== Y.getState(b.store, client)) return false;
  }
  return true;
}
