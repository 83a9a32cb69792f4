// Attacks on the server's "ask again" after a crash: a device that sends back another person's
// lost changes, or deletions of them, has those parts left out and is asked again (sync step 1)
// once the server has received them. Asking again must end, and what the server remembers to ask
// must stay small, whatever a device sends.
import { expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { messageSync } from 'y-websocket';
import * as Y from 'yjs';
import { readAnnotations, updateAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { replicaOf } from '../helpers/hostile.ts';
import { connectTo, hostileSuite } from '../helpers/hostile-scene.ts';
import { eventually } from '../helpers/eventually.ts';

const { scene } = hostileSuite();

/** Counts the sync step 1 messages ("send me what I lack") the server sends on `ws`. */
function countAsks(ws: WebSocket): { count: number } {
  const seen = { count: 0 };
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(decoder) !== messageSync) return;
    if (decoding.readVarUint(decoder) === syncProtocol.messageYjsSyncStep1) seen.count++;
  });
  return seen;
}

it("Ben's device holding Ana's lost overwrite of her stored text is not asked again and again", async () => {
  const s = await scene();
  const b = connectTo(s, s.partners.b.cookieHeader);
  await b.synced();
  await eventually(() => expect(readAnnotations(b.doc).map((m) => m.id)).toContain(s.mark.id));
  const asks = countAsks(b.provider.ws as unknown as WebSocket);

  // Ana's next value of her stored text, as a crash would leave it: on Ben's device, not on the
  // server (a copy of her device writes it; her own device never sends it)
  const anasLostDevice = replicaOf(s.a.doc, s.a.doc.clientID);
  updateAnnotation(anasLostDevice, s.mark.id, { text: 'relayed, never stored' });
  Y.applyUpdate(b.doc, Y.encodeStateAsUpdate(anasLostDevice, Y.encodeStateVector(b.doc)));

  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect(asks.count, 'sync step 1 messages the server sent Ben in 2 s').toBeLessThanOrEqual(1);
  expect(b.closes, "Ben's device is not closed").toEqual([]);
  anasLostDevice.destroy();
});
