// Tools for playing a hostile partner against the Yjs endpoint: raw y-websocket messages, Yjs
// operations that bypass shared/src/docs (what a modified client could send), and a read of the
// stored document that changes nothing in the database.
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import type mongoose from 'mongoose';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { LEGACY_SNAPSHOTS, snapshotCollectionName } from '../../server/src/collab/mongo-doc-store.ts';
import { messageSync } from 'y-websocket';
import * as syncProtocol from 'y-protocols/sync';
import { rawCollabSocket } from './collab-client.ts';
import { syncStep1Message } from './sync-messages.ts';

export { awarenessMessage, syncStep1Message, syncUpdateMessage, type AwarenessEntry } from './sync-messages.ts';

/**
 * An update (format v1) with no structs and one delete range: deletes `length` clocks of
 * `client` from `clock` on. Yjs has no public API that writes a delete set for clocks a
 * document does not have, so the layout of Y.UpdateDecoderV1 is written by hand:
 *   structs:    varUint(number of clients = 0)
 *   delete set: varUint(clients = 1), varUint(client), varUint(ranges = 1), varUint(clock), varUint(length)
 */
export function deleteRangeUpdate(client: number, clock: number, length: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarUint(encoder, length);
  return encoding.toUint8Array(encoder);
}

export interface ItemId {
  client: number;
  clock: number;
}

/**
 * An update (format v1) of one item with the given origins, holding `length` deleted clocks
 * (ContentDeleted): written over a map key it removes that key's value. Origins may name clocks
 * the server does not have yet, which makes Yjs hold the item until they arrive. Layout of
 * Y.UpdateDecoderV1: one client, one struct (info byte, origins), content, an empty delete set.
 */
export function deletedItemUpdate(item: ItemId, origin: ItemId, rightOrigin: ItemId | null, length = 1): Uint8Array {
  const CONTENT_DELETED = 1;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, item.client);
  encoding.writeVarUint(encoder, item.clock);
  encoding.writeUint8(encoder, CONTENT_DELETED | 0x80 | (rightOrigin ? 0x40 : 0));
  for (const id of rightOrigin ? [origin, rightOrigin] : [origin]) {
    encoding.writeVarUint(encoder, id.client);
    encoding.writeVarUint(encoder, id.clock);
  }
  encoding.writeVarUint(encoder, length);
  encoding.writeVarUint(encoder, 0);
  return encoding.toUint8Array(encoder);
}

/* eslint-disable no-restricted-syntax -- the hostile suite writes what shared/src/docs never would,
   so it reaches into the document's types directly; nothing outside tests may do this */
/** A top-level map of a debrief document, for raw reads and hostile writes. */
export function rootMap(doc: Y.Doc, name: string): Y.Map<unknown> {
  return doc.getMap<unknown>(name);
}
/** A top-level array (debriefs have none: only an attacker writes one). */
export function rootArray(doc: Y.Doc, name: string): Y.Array<unknown> {
  return doc.getArray<unknown>(name);
}
/* eslint-enable no-restricted-syntax */

/** A nested map of a root map (a mark, a thread entry), which must exist. */
export function childMap(doc: Y.Doc, root: 'annotations' | 'thread', key: string): Y.Map<unknown> {
  const map = rootMap(doc, root).get(key);
  if (!(map instanceof Y.Map)) throw new Error(`${root}.${key} is not a map in this document`);
  return map;
}

/**
 * Writes `key` of `map` as ONE item holding several values (a ContentAny of length > 1). Y.Map
 * reads the last value of an item; a check that reads the first one sees something else. Yjs's
 * own map.set always writes one value; this does what typeMapSet does, with more values.
 */
export function setMultiValue(map: Y.Map<unknown>, key: string, values: unknown[]): void {
  const doc = map.doc;
  if (!doc) throw new Error('the map must be part of a document');
  Y.transact(doc, (transaction) => {
    const left = map._map.get(key) ?? null;
    const id = Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID));
    new Y.Item(id, left, left?.lastId ?? null, null, null, map, key, new Y.ContentAny(values)).integrate(
      transaction,
      0,
    );
  });
}

/**
 * A separate copy of a document's state: the attacker's local replica, writing as `clientId`
 * when given. The id is set after the state is in: Yjs gives a document a new client id when a
 * remote update carries changes under its own.
 */
export function replicaOf(doc: Y.Doc, clientId?: number): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  if (clientId !== undefined) copy.clientID = clientId;
  return copy;
}

/**
 * Records every local change made to `doc` inside `craft` as one update per transaction, so
 * an attack can be sent as one message or several.
 */
export function craftUpdates(doc: Y.Doc, craft: (doc: Y.Doc) => void): Uint8Array[] {
  const updates: Uint8Array[] = [];
  const record = (update: Uint8Array) => updates.push(update);
  doc.on('update', record);
  try {
    craft(doc);
  } finally {
    doc.off('update', record);
  }
  return updates;
}

/** What a hostile connection's messages led to. */
export type Outcome =
  | { kind: 'closed'; code: number; reason: string }
  /** The server answered a sync step 1 sent after the messages: it had processed them. */
  | { kind: 'processed' }
  | { kind: 'no-answer' };

export interface HostileSocket {
  ws: WebSocket;
  /** Sends the messages, then a sync step 1, and waits for its answer or a close. */
  sendAndSettle(messages: readonly Uint8Array[], timeoutMs?: number): Promise<Outcome>;
  /** The close so far, if the server closed the socket. */
  closed(): { code: number; reason: string } | null;
  close(): void;
}

/**
 * A raw socket to the Yjs endpoint, opened and greeted (the server's sync step 1 received, so
 * access was decided and the room is loaded) before anything hostile is sent.
 */
export async function openHostileSocket(baseUrl: string, cookie: string, exchangeId: string): Promise<HostileSocket> {
  const ws = rawCollabSocket(baseUrl, cookie, exchangeId);
  let closeEvent: { code: number; reason: string } | null = null;
  const closedPromise = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve((closeEvent = { code, reason: reason.toString() }))),
  );
  ws.on('error', () => undefined); // a refused socket reports through 'close'
  let step2Answers = 0;
  const onStep2: (() => void)[] = [];
  const greeted = new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== messageSync) return;
      const step = decoding.readVarUint(decoder);
      if (step === syncProtocol.messageYjsSyncStep1) resolve();
      if (step === syncProtocol.messageYjsSyncStep2) {
        step2Answers++;
        for (const f of onStep2.splice(0)) f();
      }
    });
    void closedPromise.then((c) =>
      reject(new Error(`hostile socket closed before the greeting: ${c.code} ${c.reason}`)),
    );
  });
  await greeted;

  return {
    ws,
    closed: () => closeEvent,
    close: () => ws.close(),
    async sendAndSettle(messages, timeoutMs = 5_000) {
      if (closeEvent) return { kind: 'closed', ...closeEvent };
      const answersBefore = step2Answers;
      const answered = new Promise<Outcome>((resolve) => {
        const check = () => (step2Answers > answersBefore ? resolve({ kind: 'processed' }) : onStep2.push(check));
        onStep2.push(check);
      });
      for (const m of messages) if (ws.readyState === ws.OPEN) ws.send(m);
      if (ws.readyState === ws.OPEN) ws.send(syncStep1Message());
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race<Outcome>([
        closedPromise.then((c) => ({ kind: 'closed', ...c })),
        answered,
        new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve({ kind: 'no-answer' }), timeoutMs))),
      ]);
      clearTimeout(timer);
      // a close that races the answer is still the server's verdict on these messages
      if (outcome.kind === 'processed' && closeEvent)
        return { kind: 'closed', ...(closeEvent as { code: number; reason: string }) };
      return outcome;
    },
  };
}

/**
 * The debrief as stored in the database: the snapshot plus every log entry of the document
 * (re-applying what the snapshot already holds is harmless in Yjs). Reads only; unlike
 * DocStore.load it does not mark the document open.
 */
export async function readStoredDoc(connection: mongoose.Connection, docId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const bucketed = await connection.collection(snapshotCollectionName(docId)).findOne({ _id: docId as never });
  const snapshot = bucketed?.state
    ? bucketed
    : await connection.collection(LEGACY_SNAPSHOTS).findOne({ _id: docId as never });
  if (snapshot?.state) Y.applyUpdate(doc, bytesOf(snapshot.state));
  const collections = await connection.db!.listCollections({}, { nameOnly: true }).toArray();
  const entries: { seq: number; update: unknown }[] = [];
  for (const { name } of collections) {
    if (!name.startsWith('yjs_log_')) continue;
    for (const e of await connection.collection(name).find({ docId }).toArray())
      entries.push({ seq: e.seq as number, update: e.update });
  }
  for (const e of entries.sort((a, b) => a.seq - b.seq)) Y.applyUpdate(doc, bytesOf(e.update));
  return doc;
}

function bytesOf(value: unknown): Uint8Array {
  const v = value as { buffer: Uint8Array; length(): number } | Uint8Array;
  if (v instanceof Uint8Array) return v;
  return v.buffer.subarray(0, v.length());
}

/**
 * Everything a document holds, below the shared module's validation: the names of its
 * top-level types and the raw JSON of the three a debrief has. Invalid values (hidden by
 * readAnnotations) and junk show up here.
 */
export function rawContent(doc: Y.Doc): {
  roots: string[];
  annotations: Record<string, unknown>;
  thread: Record<string, unknown>;
  meta: Record<string, unknown>;
} {
  const annotations = rootMap(doc, 'annotations').toJSON();
  const thread = rootMap(doc, 'thread').toJSON();
  const meta = rootMap(doc, 'meta').toJSON();
  return { roots: [...doc.share.keys()].sort(), annotations, thread, meta };
}

/**
 * Writes a new map with `fields` under `key` of a root map, in one transaction (joining the
 * caller's, if any). A field may itself be a new Y.Map (a thread entry's reactions).
 */
export function writeMap(
  doc: Y.Doc,
  root: 'annotations' | 'thread',
  key: string,
  fields: Record<string, unknown>,
): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  doc.transact(() => {
    rootMap(doc, root).set(key, map);
    for (const [field, value] of Object.entries(fields)) map.set(field, value);
  });
  return map;
}

/** The raw fields of an existing mark or thread entry (the flat shape stored in the document). */
/** The id of the last clock of the item that holds `key`'s value in a root's map. */
export function itemIdOfKey(doc: Y.Doc, root: 'annotations' | 'thread', key: string): ItemId {
  const item = rootMap(doc, root)._map.get(key);
  if (!item) throw new Error(`no ${root} entry ${key}`);
  return { client: item.id.client, clock: item.id.clock + item.length - 1 };
}

export function rawFields(doc: Y.Doc, root: 'annotations' | 'thread', key: string): Record<string, unknown> {
  return childMap(doc, root, key).toJSON() as Record<string, unknown>;
}
