// Attacks on the server's "ask again" after a crash: a device that sends back another person's
// lost changes, or deletions of them, has those parts left out and is asked again (sync step 1)
// once the server has received them. Asking again must end, and what the server remembers to ask
// must stay small, whatever a device sends.
import { expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { messageSync } from 'y-websocket';
import * as Y from 'yjs';
import { readAnnotations, updateAnnotation } from '@kneadback/shared/docs/debrief-doc';
import type { DebriefClient } from '../helpers/collab-client.ts';
import { openHostileSocket, replicaOf, syncUpdateMessage } from '../helpers/hostile.ts';
import { connectTo, hostileSuite, type Scene } from '../helpers/hostile-scene.ts';
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

/**
 * An update of no structs deleting one future clock of each of `count` made-up devices (client
 * ids from `first` on): Yjs update format v1 written by hand, as deleteRangeUpdate does for one.
 */
function deletionsOfMadeUpDevices(first: number, count: number): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, count);
  for (let client = first; client < first + count; client++) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 1_000_000);
    encoding.writeVarUint(encoder, 1);
  }
  return encoding.toUint8Array(encoder);
}

/** Server CPU seconds (this process runs it) while Ana makes `edits` edits that reach Ben. */
async function cpuOfAnasEdits(s: Scene, b: DebriefClient, edits: number): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < edits; i++) {
    const text = `edit ${i} ${Math.random()}`;
    updateAnnotation(s.a.doc, s.mark.id, { text });
    await eventually(() => expect(readAnnotations(b.doc).find((m) => m.id === s.mark.id)?.text).toBe(text));
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1e6;
}

it('deletions naming hundreds of thousands of made-up devices leave nothing to remember that costs every later change', async () => {
  const s = await scene();
  const b = connectTo(s, s.partners.b.cookieHeader);
  await b.synced();
  const baseline = await cpuOfAnasEdits(s, b, 20);

  const socket = await openHostileSocket(s.target.url, s.partners.b.cookieHeader, s.exchangeId);
  const perMessage = 60_000;
  const messages = Array.from({ length: 8 }, (_, i) =>
    syncUpdateMessage(deletionsOfMadeUpDevices(1_000 + i * perMessage, perMessage)),
  );
  const outcome = await socket.sendAndSettle(messages, 30_000);
  expect(['processed', 'closed']).toContain(outcome.kind);

  const after = await cpuOfAnasEdits(s, b, 20);
  expect(after, `server CPU for 20 edits after the attack (before: ${baseline.toFixed(3)} s)`).toBeLessThan(
    Math.max(3 * baseline, 0.5),
  );
  socket.close();
}, 60_000);
