import { afterEach, describe, expect, it } from 'vitest';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import type { AccessDecision } from '../hub.ts';
import { ControlledStore } from './controlled-store.ts';
import { addAnnotation, readAnnotations } from '@kneadback/shared/docs/debrief-doc';
import { ANA, DOC, closeOf, eventually, markInput, newServer, type CoreServer } from './core-server.ts';

let server: CoreServer;
afterEach(() => server?.stop());

// recheckAccess (a note unshared, a block) closes the connections in place. A device whose access
// was granted before the change but whose document was still loading must not join on that old
// answer: it is asked again.
describe('access changing while a device joins', () => {
  it('turns away a device that lost access while its document loaded', async () => {
    const store = new ControlledStore();
    const release = store.holdLoads();
    let access: AccessDecision = 'allowed';
    server = await newServer({ store, hooks: { authorize: async () => access } });
    const ws = await server.raw(ANA, DOC, 'open');
    const closed = closeOf(ws);
    await eventually(() => expect(store.loads).toBe(1));

    access = 'forbidden';
    await server.hub.recheckAccess(DOC);
    release();

    expect(await closed).toMatchObject({ code: CollabCloseCode.forbidden, reason: 'access revoked' });
    expect(server.hub.stats().connections).toBe(0);
  });

  it('joins read-only a device whose write access was taken away while its document loaded', async () => {
    const store = new ControlledStore();
    const release = store.holdLoads();
    let access: AccessDecision = 'allowed';
    server = await newServer({ store, hooks: { authorize: async () => access } });
    const client = server.connect(ANA, DOC);
    await eventually(() => expect(store.loads).toBe(1));

    access = 'read-only';
    await server.hub.recheckAccess(DOC);
    release();
    await client.synced();

    addAnnotation(client.doc, ANA.id, markInput('written by a reader'));
    await eventually(() => expect(client.closes[0]).toMatchObject({ code: CollabCloseCode.readOnly }));
    expect(await server.hub.read(DOC, (doc) => readAnnotations(doc))).toEqual([]);
  });
});
