// y-websocket messages for tests that speak the protocol over raw sockets, framed by y-protocols
// and y-websocket's own message types, so they stay what a real client sends.
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { messageAwareness, messageSync } from 'y-websocket';

function message(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** A sync "update" message carrying `update` (bytes sent as they are, valid or not). */
export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  return message(messageSync, (e) => syncProtocol.writeUpdate(e, update));
}

/** A sync step 1 for `doc`'s state: "send me what I lack" (everything, for an empty doc). */
export function syncStep1Message(doc: Y.Doc = new Y.Doc()): Uint8Array {
  return message(messageSync, (e) => syncProtocol.writeSyncStep1(e, doc));
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  /** Sent as JSON text, exactly as given (so oversized or odd states can be built). */
  json: string;
}

/**
 * An awareness message in y-protocols/awareness encodeAwarenessUpdate's layout. Written with
 * lib0 because encodeAwarenessUpdate only encodes states an Awareness holds, as valid JSON.
 */
export function awarenessMessage(entries: readonly AwarenessEntry[]): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(update, e.clientId);
    encoding.writeVarUint(update, e.clock);
    encoding.writeVarString(update, e.json);
  }
  return message(messageAwareness, (e) => encoding.writeVarUint8Array(e, encoding.toUint8Array(update)));
}
