import { afterEach, describe, expect, it } from 'vitest';
import { CollabCloseCode, MAX_AWARENESS_ENTRIES } from '@kneadback/shared/collab-protocol';
import { addAnnotation, readAnnotations } from '@kneadback/shared/docs/debrief-doc';
import { MAX_PRESENCE_BYTES } from '@kneadback/shared/docs/presence';
import { awarenessMessage } from '../../../../tests/helpers/sync-messages.ts';
import type { CollabUser } from '../connection.ts';
import { ANA, BEN, DOC, closeOf, eventually, markInput, newServer, type CoreServer } from './core-server.ts';
import type { DebriefClient } from '../../../../tests/helpers/collab-client.ts';

let server: CoreServer;
afterEach(() => server?.stop());

const presenceOf = (user: CollabUser, extra: object = {}) => ({ user: { id: user.id }, ...extra });
/** The presence `viewer` shows for `device`'s client id (undefined: none). */
const seenBy = (viewer: DebriefClient, device: number) => viewer.provider.awareness.getStates().get(device);

async function partners(): Promise<{ ana: DebriefClient; ben: DebriefClient }> {
  server = await newServer();
  return server.partners();
}

describe('presence', () => {
  it("relays a person's own presence to the partner, and drops it when they leave", async () => {
    const { ana, ben } = await partners();
    ana.provider.awareness.setLocalState(presenceOf(ANA, { pointer: 1 }));
    await eventually(() => expect(seenBy(ben, ana.doc.clientID)).toEqual(presenceOf(ANA, { pointer: 1 })));
    // a device joining later is told who is there
    const late = server.connect(BEN);
    await eventually(() => expect(seenBy(late, ana.doc.clientID)).toEqual(presenceOf(ANA, { pointer: 1 })));
    ana.provider.disconnect();
    await eventually(() => expect(seenBy(ben, ana.doc.clientID)).toBeUndefined());
  });

  it('drops presence that names someone else, and keeps the connection', async () => {
    const { ana, ben } = await partners();
    ana.provider.awareness.setLocalState(presenceOf(BEN));
    ben.provider.awareness.setLocalState(presenceOf(BEN, { marker: 'after' }));
    await eventually(() => expect(seenBy(ana, ben.doc.clientID)).toEqual(presenceOf(BEN, { marker: 'after' })));
    // the server handles Ana's messages in order, so hers was dropped before this arrives
    ana.provider.awareness.setLocalState(presenceOf(ANA, { marker: 'own' }));
    await eventually(() => expect(seenBy(ben, ana.doc.clientID)).toEqual(presenceOf(ANA, { marker: 'own' })));
    expect(ana.closes).toEqual([]);
  });

  it("ignores entries for another connection's device, even naming the sender", async () => {
    const { ana, ben } = await partners();
    ben.provider.awareness.setLocalState(presenceOf(BEN));
    await eventually(() => expect(seenBy(ana, ben.doc.clientID)).toEqual(presenceOf(BEN)));
    const raw = await server.raw(ANA, DOC, 'message');
    const takeover = { clientId: ben.doc.clientID, clock: 1_000, json: JSON.stringify(presenceOf(ANA)) };
    const own = { clientId: 4242, clock: 1, json: JSON.stringify(presenceOf(ANA)) };
    raw.send(awarenessMessage([takeover, own]));
    await eventually(() => expect(seenBy(ben, own.clientId)).toEqual(presenceOf(ANA)));
    expect(seenBy(ana, ben.doc.clientID)).toEqual(presenceOf(BEN));
    // nor may it clear the other device's entry
    raw.send(
      awarenessMessage([
        { ...takeover, json: 'null' },
        { ...own, clock: 2, json: 'null' },
      ]),
    );
    await eventually(() => expect(seenBy(ben, own.clientId)).toBeUndefined());
    expect(seenBy(ana, ben.doc.clientID)).toEqual(presenceOf(BEN));
  });

  it("keeps presence under a device id that wrote in the document its writer's, even while she is away", async () => {
    const { ana, ben } = await partners();
    const mark = addAnnotation(ana.doc, ANA.id, markInput("Ana's"));
    await eventually(() => expect(readAnnotations(ben.doc).map((m) => m.id)).toContain(mark.id));
    ana.provider.disconnect();
    const raw = await server.raw(BEN, DOC, 'message');
    const squat = { clientId: ana.doc.clientID, clock: 1_000, json: JSON.stringify(presenceOf(BEN)) };
    const own = { clientId: 4343, clock: 1, json: JSON.stringify(presenceOf(BEN)) };
    raw.send(awarenessMessage([squat, own]));
    await eventually(() => expect(seenBy(ben, own.clientId)).toEqual(presenceOf(BEN)));
    expect(seenBy(ben, ana.doc.clientID)).toBeUndefined();
    // back, her pointer shows at once (it used to be dropped until the squatter's connection closed)
    ana.provider.connect();
    ana.provider.awareness.setLocalState(presenceOf(ANA, { pointer: 'back' }));
    await eventually(() => expect(seenBy(ben, ana.doc.clientID)).toEqual(presenceOf(ANA, { pointer: 'back' })));
    expect(raw.readyState).toBe(raw.OPEN); // dropped quietly, as y-websocket re-broadcasts what it sees
  });

  it(`closes a connection sending more than ${MAX_AWARENESS_ENTRIES} presence entries with 4422`, async () => {
    await partners();
    const raw = await server.raw(ANA, DOC, 'message');
    const entries = Array.from({ length: MAX_AWARENESS_ENTRIES + 1 }, (_, i) => ({
      clientId: 100 + i,
      clock: 1,
      json: JSON.stringify(presenceOf(ANA)),
    }));
    raw.send(awarenessMessage(entries));
    expect((await closeOf(raw)).code).toBe(CollabCloseCode.refusedUpdate);
  });

  it(`closes a connection sending presence over ${MAX_PRESENCE_BYTES} bytes with 4422`, async () => {
    await partners();
    const raw = await server.raw(ANA, DOC, 'message');
    const json = JSON.stringify(presenceOf(ANA, { padding: 'x'.repeat(MAX_PRESENCE_BYTES) }));
    raw.send(awarenessMessage([{ clientId: 7, clock: 1, json }]));
    expect((await closeOf(raw)).code).toBe(CollabCloseCode.refusedUpdate);
  });
});
