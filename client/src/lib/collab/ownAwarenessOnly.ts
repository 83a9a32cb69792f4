import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { messageAwareness } from 'y-websocket';

/**
 * y-websocket re-sends every awareness change it sees, including the partner's states it just
 * received and their time-outs: with pointers at 20 updates a second that doubles the traffic,
 * and the hub only drops them again (earlier versions closed the socket with 4422 for "presence
 * of another person's device"). So only this device's own state goes out: the provider's socket
 * (its public WebSocketPolyfill option) keeps only `ownClientId`'s entries of each awareness
 * message it sends, and sends nothing when none is left. It reads the wire format only, which
 * the server reads too, never the provider's internals.
 */
export function ownAwarenessOnlySocket(
  ownClientId: number,
  Base: typeof WebSocket = globalThis.WebSocket,
): typeof WebSocket {
  return class OwnAwarenessOnlySocket extends Base {
    override send(data: string | ArrayBufferLike | Blob | ArrayBufferView): void {
      const kept = data instanceof Uint8Array ? ownAwarenessOnly(data, ownClientId) : data;
      if (kept) super.send(kept);
    }
  };
}

/** `message` with only `ownClientId`'s awareness entries (null: none left); other messages as they are. */
export function ownAwarenessOnly(message: Uint8Array, ownClientId: number): Uint8Array | null {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== messageAwareness) return message;
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const entries: { clock: number; json: string }[] = [];
  for (let count = decoding.readVarUint(update); count > 0; count--) {
    const clientId = decoding.readVarUint(update);
    const entry = { clock: decoding.readVarUint(update), json: decoding.readVarString(update) };
    if (clientId === ownClientId) entries.push(entry);
  }
  if (entries.length === 0) return null;
  const kept = encoding.createEncoder();
  encoding.writeVarUint(kept, entries.length);
  for (const { clock, json } of entries) {
    encoding.writeVarUint(kept, ownClientId);
    encoding.writeVarUint(kept, clock);
    encoding.writeVarString(kept, json);
  }
  const out = encoding.createEncoder();
  encoding.writeVarUint(out, messageAwareness);
  encoding.writeVarUint8Array(out, encoding.toUint8Array(kept));
  return encoding.toUint8Array(out);
}
