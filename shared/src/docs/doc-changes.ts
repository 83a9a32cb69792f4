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
 * The new keys `update` writes directly under the root map `root`, with their writers and values
 * (Y.Map.set of a new key on a root map encodes the root's name as the item's parent).
 */
export function keysWrittenUnderRoot(
  update: Uint8Array,
  root: string,
): { writer: number; key: string; value: unknown }[] {
  const written: { writer: number; key: string; value: unknown }[] = [];
  for (const struct of Y.decodeUpdate(update).structs) {
    // before integration an item's parent is as encoded: a root type's name, an ID, or null
    if (!(struct instanceof Y.Item) || (struct.parent as unknown) !== root || struct.parentSub === null) continue;
    written.push({ writer: struct.id.client, key: struct.parentSub, value: struct.content.getContent().at(-1) });
  }
  return written;
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

/** The Yjs client id that wrote each key's current value in `map`. */
export function keyWriters(map: Y.Map<unknown>): Map<string, number> {
  const writers = new Map<string, number>();
  for (const [key, item] of map._map) if (!item.deleted) writers.set(key, item.id.client);
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

/**
 * The clock `doc` has of each client, counting changes it holds back until what they build on
 * arrives. The held changes are read once, here: ask the returned function about many clients.
 */
export function clocksWithHeld(doc: Y.Doc): (client: number) => number {
  const held = doc.store.pendingStructs ? Y.parseUpdateMetaV2(doc.store.pendingStructs.update).to : new Map();
  return (client) => Math.max(Y.getState(doc.store, client), held.get(client) ?? 0);
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

/** The changes Yjs holds back in `doc` until what they build on arrives (see restoreHeld). */
export function heldChanges(doc: Y.Doc): Pick<Y.Doc['store'], 'pendingStructs' | 'pendingDs'> {
  return { pendingStructs: doc.store.pendingStructs, pendingDs: doc.store.pendingDs };
}

/** Holds `held` back in `doc` again, as in the copy it was taken from (doc must lack the same history). */
export function restoreHeld(doc: Y.Doc, held: ReturnType<typeof heldChanges>): void {
  doc.store.pendingStructs = held.pendingStructs;
  doc.store.pendingDs = held.pendingDs;
}

/** Whether Yjs holds back any change (structs or deletions) until what it builds on arrives. */
export function holdsChanges(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
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

/** Clock ranges per client, [from, to) (to may be Infinity). */
export type ClockRanges = ReadonlyMap<number, readonly (readonly [from: number, to: number])[]>;

/**
 * `update` without the deletions of the clocks in `leaveOut`; `leftOut` tells, per client, the
 * end of the last deleted range it left out. Yjs writes an update's delete set after its structs,
 * as `encodeSnapshot` writes one: the structs are kept byte for byte and the rest written anew.
 */
export function withoutDeletes(
  update: Uint8Array,
  leaveOut: ClockRanges,
): { update: Uint8Array; leftOut: Map<number, number> } {
  const { ds } = Y.decodeUpdate(update);
  const kept = Y.createDeleteSet();
  const leftOut = new Map<number, number>();
  for (const [client, deletions] of ds.clients) {
    const ranges = leaveOut.get(client) ?? [];
    const pieces = deletions.flatMap(({ clock, len }) => subtract([clock, clock + len], ranges));
    if (pieces.length > 0)
      kept.clients.set(
        client,
        pieces.map(([from, to]) => ({ clock: from, len: to - from })),
      );
    const keptLength = pieces.reduce((sum, [from, to]) => sum + to - from, 0);
    if (keptLength < deletions.reduce((sum, d) => sum + d.len, 0)) {
      leftOut.set(client, Math.max(...deletions.map((d) => d.clock + d.len)));
    }
  }
  if (leftOut.size === 0) return { update, leftOut };
  const rewritten = Y.diffUpdate(update, EMPTY_STATE_VECTOR); // the structs, then the delete set as Yjs writes it
  const allDeletes = deleteSetBytes(ds);
  const structsEnd = rewritten.length - allDeletes.length;
  if (structsEnd < 0 || !rewritten.subarray(structsEnd).every((byte, i) => byte === allDeletes[i])) {
    throw new Error('an update did not end with its delete set'); // a Yjs release changed its encoding
  }
  const keptDeletes = deleteSetBytes(kept);
  const out = new Uint8Array(structsEnd + keptDeletes.length);
  out.set(rewritten.subarray(0, structsEnd));
  out.set(keptDeletes, structsEnd);
  return { update: out, leftOut };
}

const EMPTY_STATE_VECTOR = Uint8Array.of(0);

/** A delete set as an update writes it (a snapshot is the delete set, then its state vector: here empty, one 0). */
function deleteSetBytes(ds: ReturnType<typeof Y.createDeleteSet>): Uint8Array {
  return Y.encodeSnapshot(Y.createSnapshot(ds, new Map())).subarray(0, -1);
}

function subtract(range: readonly [number, number], cuts: readonly (readonly [number, number])[]): [number, number][] {
  let pieces: [number, number][] = [[range[0], range[1]]];
  for (const [cutFrom, cutTo] of cuts) {
    pieces = pieces.flatMap(([from, to]): [number, number][] => {
      if (cutTo <= from || cutFrom >= to) return [[from, to]];
      const left: [number, number][] = cutFrom > from ? [[from, cutFrom]] : [];
      return cutTo < to ? [...left, [cutTo, to]] : left;
    });
  }
  return pieces;
}

/**
 * Map entries (values under a key) that structs of `update` written by `writers` write over: a
 * value set under a key has the key's previous value as its origin, and deletes it when it
 * integrates. Whether an origin is a map entry is read from `doc` when it has it, else by
 * following origins left through the update to the key's first value, whose key is encoded.
 */
export function entriesOverwrittenBy(update: Uint8Array, doc: Y.Doc, writers: (client: number) => boolean): Y.ID[] {
  const byClient = new Map<number, (Y.Item | Y.GC | Y.Skip)[]>();
  const structs = Y.decodeUpdate(update).structs;
  for (const struct of structs) {
    const ofClient = byClient.get(struct.id.client);
    if (ofClient) ofClient.push(struct);
    else byClient.set(struct.id.client, [struct]);
  }
  const structAt = (id: Y.ID) =>
    byClient.get(id.client)?.find((s) => s.id.clock <= id.clock && id.clock < s.id.clock + s.length);
  const isMapEntry = (start: Y.ID): boolean => {
    let id = start;
    for (let steps = 0; steps <= structs.length; steps++) {
      if (id.clock < Y.getState(doc.store, id.client)) {
        const item = Y.getItem(doc.store, id);
        return item instanceof Y.Item && item.parentSub !== null;
      }
      const struct = structAt(id);
      if (!(struct instanceof Y.Item) || struct.rightOrigin !== null) return false;
      if (struct.origin === null) return struct.parentSub !== null;
      id = struct.origin;
    }
    return false;
  };
  const overwritten: Y.ID[] = [];
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || !writers(struct.id.client)) continue;
    if (struct.origin !== null && struct.rightOrigin === null && isMapEntry(struct.origin)) {
      overwritten.push(struct.origin);
    }
  }
  return overwritten;
}
