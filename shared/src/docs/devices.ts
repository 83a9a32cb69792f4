import type * as Y from 'yjs';

/**
 * Which person writes with each Yjs client id (one per open document in a browser), in every
 * live document of every kind:
 *   devices: Y.Map<clientId, userId | SERVER_DEVICE>
 * Written only by the server, in the document itself, so the binding is stored, reloaded and
 * compacted with the edits it vouches for (an in-memory binding was lost when a room unloaded,
 * and a partner could then write under the other's device id). Clients never write here.
 */
export const DEVICES_ROOT = 'devices';
/** The server's own writes (e.g. a mark resolved from a later debrief). */
export const SERVER_DEVICE = 'server';

const devicesOf = (doc: Y.Doc) => doc.getMap<string>(DEVICES_ROOT);

export function deviceOwner(doc: Y.Doc, clientId: number): string | undefined {
  return devicesOf(doc).get(String(clientId));
}

/** Call inside a transaction of the server's, with the bindings of an accepted change. */
export function bindDevices(doc: Y.Doc, bindings: ReadonlyMap<number, string>): void {
  const devices = devicesOf(doc);
  for (const [clientId, owner] of bindings) {
    if (devices.get(String(clientId)) !== owner) devices.set(String(clientId), owner);
  }
}
