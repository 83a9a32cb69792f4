import { afterEach, describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { messageAwareness, messageSync, WebsocketProvider } from 'y-websocket';
import { ownAwarenessOnly, ownAwarenessOnlySocket } from './ownAwarenessOnly.ts';

/** A socket that opens at once and keeps what the provider sends through it. */
class RecordingSocket {
  static sent: Uint8Array[] = [];
  readonly OPEN = 1;
  readyState = 1;
  binaryType = 'arraybuffer';
  onopen: (() => void) | null = null;
  onmessage: unknown = null;
  onclose: unknown = null;
  onerror: unknown = null;
  constructor() {
    queueMicrotask(() => this.onopen?.());
  }
  send(data: Uint8Array) {
    RecordingSocket.sent.push(data);
  }
  close() {}
}

/** The client ids of an awareness message's entries (null for any other message). */
function awarenessClients(message: Uint8Array): number[] | null {
  const decoder = decoding.createDecoder(message);
  if (decoding.readVarUint(decoder) !== messageAwareness) return null;
  const update = decoding.createDecoder(decoding.readVarUint8Array(decoder));
  const ids: number[] = [];
  for (let count = decoding.readVarUint(update); count > 0; count--) {
    ids.push(decoding.readVarUint(update));
    decoding.readVarUint(update);
    decoding.readVarString(update);
  }
  return ids;
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageAwareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0)) f();
  RecordingSocket.sent = [];
});

describe('ownAwarenessOnly', () => {
  it("keeps this device's awareness entries, drops the rest, and leaves other messages alone", () => {
    const own = new awarenessProtocol.Awareness(new Y.Doc());
    const partner = new awarenessProtocol.Awareness(new Y.Doc());
    own.setLocalState({ who: 'me' });
    partner.setLocalState({ who: 'partner' });
    awarenessProtocol.applyAwarenessUpdate(
      own,
      awarenessProtocol.encodeAwarenessUpdate(partner, [partner.clientID]),
      'remote',
    );
    const both = awarenessMessage(own, [own.clientID, partner.clientID]);
    const kept = ownAwarenessOnly(both, own.clientID)!;
    expect(awarenessClients(kept)).toEqual([own.clientID]);
    expect(kept).toEqual(awarenessMessage(own, [own.clientID]));
    expect(ownAwarenessOnly(awarenessMessage(own, [partner.clientID]), own.clientID)).toBeNull();
    const sync = Uint8Array.from([messageSync, 0, 1, 0]);
    expect(ownAwarenessOnly(sync, own.clientID)).toBe(sync);
    own.destroy();
    partner.destroy();
  });

  it("makes y-websocket's provider send only this device's presence, never the partner's it relays", async () => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider('ws://collab.test', 'debrief', doc, {
      disableBc: true,
      WebSocketPolyfill: ownAwarenessOnlySocket(doc.clientID, RecordingSocket as unknown as typeof WebSocket),
    });
    cleanup.push(() => provider.destroy());
    await new Promise((resolve) => provider.on('status', ({ status }) => status === 'connected' && resolve(null)));
    const sentAwareness = () => RecordingSocket.sent.map(awarenessClients).filter((ids) => ids !== null);

    // on connecting the provider announces this device (an empty state until the app fills it in)
    expect(sentAwareness()).toEqual([[doc.clientID]]);
    provider.awareness.setLocalState({ who: 'me' });
    expect(sentAwareness()).toEqual([[doc.clientID], [doc.clientID]]);

    // a partner's presence arriving, then timing out: the provider would re-send both
    const partner = new awarenessProtocol.Awareness(new Y.Doc());
    cleanup.push(() => partner.destroy());
    partner.setLocalState({ who: 'partner' });
    const arriving = awarenessProtocol.encodeAwarenessUpdate(partner, [partner.clientID]);
    awarenessProtocol.applyAwarenessUpdate(provider.awareness, arriving, provider);
    expect(provider.awareness.getStates().get(partner.clientID)).toEqual({ who: 'partner' });
    awarenessProtocol.removeAwarenessStates(provider.awareness, [partner.clientID], 'timeout');
    expect(sentAwareness()).toHaveLength(2);

    provider.awareness.setLocalState({ who: 'me, moved' });
    expect(sentAwareness()).toEqual([[doc.clientID], [doc.clientID], [doc.clientID]]);
  });
});
