import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { addAnnotation, readAnnotations } from '@kneadback/shared/docs/debrief-doc';
import { syncUpdateMessage } from '../../../../tests/helpers/sync-messages.ts';
import { ControlledStore } from './controlled-store.ts';
import { ANA, BEN, DOC, closeOf, eventually, markInput, newServer, type CoreServer } from './core-server.ts';

let server: CoreServer;
afterEach(() => server?.stop());

/** Ben's device writing a mark in Ana's name: a change the debrief's rules refuse. */
function forgedMark(text: string): Uint8Array {
  const forger = new Y.Doc();
  addAnnotation(forger, ANA.id, markInput(text));
  return syncUpdateMessage(Y.encodeStateAsUpdate(forger));
}

describe("the guard's refusal", () => {
  it("closes the sender's connection with 4422 and leaves the partner's document and the store untouched", async () => {
    const store = new ControlledStore();
    server = await newServer({ store });
    const ana = server.connect(ANA);
    await ana.synced();
    addAnnotation(ana.doc, ANA.id, markInput("Ana's own"));
    await eventually(async () => expect(readAnnotations(await store.stored(DOC))).toHaveLength(1));

    const ben = await server.raw(BEN);
    ben.send(forgedMark('forged'));
    expect(await closeOf(ben)).toEqual({ code: CollabCloseCode.refusedUpdate, reason: expect.any(String) });

    expect(readAnnotations(ana.doc).map((m) => m.text)).toEqual(["Ana's own"]);
    expect(readAnnotations(server.hub.loadedDoc(DOC)!).map((m) => m.text)).toEqual(["Ana's own"]);
    // Ana's connection carries on: her next change is still relayed and stored
    addAnnotation(ana.doc, ANA.id, markInput('after the refusal'));
    await eventually(async () =>
      expect(readAnnotations(await store.stored(DOC)).map((m) => m.text)).toEqual(["Ana's own", 'after the refusal']),
    );
    expect(ana.closes).toEqual([]);
  });

  it('makes the refused account wait before it may reconnect, and lets it back in after', async () => {
    server = await newServer();
    const ben = await server.raw(BEN);
    ben.send(forgedMark('forged'));
    expect((await closeOf(ben)).code).toBe(CollabCloseCode.refusedUpdate);
    expect((await closeOf(await server.raw(BEN))).code).toBe(CollabCloseCode.tooManyMessages);
    // someone else is not held back
    const ana = server.connect(ANA);
    await ana.synced();
    // the first pause is half a second: a real client's back-off gets it back in
    const again = server.connect(BEN);
    await again.synced();
    expect(again.provider.wsconnected).toBe(true);
  });
});
