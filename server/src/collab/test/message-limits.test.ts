import { afterEach, describe, expect, it } from 'vitest';
import { CollabCloseCode, MAX_COLLAB_MESSAGE_BYTES } from '@kneadback/shared/collab-protocol';
import { syncStep1Message, syncUpdateMessage } from '../../../../tests/helpers/sync-messages.ts';
import type { CollabUser } from '../connection.ts';
import { ANA, BEN, DOC, closeOf, eventually, markInput, newServer, type CoreServer } from './core-server.ts';
import { addAnnotation, readAnnotations, updateAnnotation } from '@kneadback/shared/docs/debrief-doc';
import * as Y from 'yjs';

let server: CoreServer;
afterEach(() => server?.stop());

const greeted = (user: CollabUser) => server.raw(user, DOC, 'message');

/** The partner still edits live through all of it. */
async function expectPartnersUnharmed(): Promise<void> {
  const { ana, ben } = await server.partners();
  const before = readAnnotations(ben.doc).length;
  addAnnotation(ana.doc, ANA.id, markInput('still working'));
  await eventually(() => expect(readAnnotations(ben.doc)).toHaveLength(before + 1));
}

describe('message limits', () => {
  it('closes a connection sending faster than its budget with 4430', async () => {
    server = await newServer();
    const ws = await greeted(BEN);
    const closed = closeOf(ws);
    // a burst of 600 passes; this is a sustained flood
    for (let i = 0; i < 1_000 && ws.readyState === ws.OPEN; i++) ws.send(syncStep1Message());
    expect((await closed).code).toBe(CollabCloseCode.tooManyMessages);
    await expectPartnersUnharmed();
  });

  it('closes a connection sending a message over the size limit with 1009', async () => {
    server = await newServer();
    const ws = await greeted(BEN);
    ws.send(new Uint8Array(MAX_COLLAB_MESSAGE_BYTES + 1));
    expect((await closeOf(ws)).code).toBe(CollabCloseCode.tooLarge);
    await expectPartnersUnharmed();
  });

  it.each([
    ['a text frame', 'hello'],
    ['an empty update (yjs#498)', syncUpdateMessage(new Uint8Array(0))],
    ['a truncated update', syncUpdateMessage(Y.encodeStateAsUpdate(new Y.Doc())).slice(0, 2)],
    ['bytes that are no update', syncUpdateMessage(Uint8Array.from([7, 7, 7, 7]))],
  ])('closes a connection sending %s with 4400', async (_what, message) => {
    server = await newServer();
    const ws = await greeted(BEN);
    ws.send(message);
    expect((await closeOf(ws)).code).toBe(CollabCloseCode.malformedMessage);
    await expectPartnersUnharmed();
  });
});

describe('messages before access is decided', () => {
  /** Authentication held until released: whatever the socket sends meanwhile waits in the hub. */
  async function serverDecidingSlowly(): Promise<() => void> {
    let release!: () => void;
    const decided = new Promise<void>((resolve) => (release = resolve));
    server = await newServer({
      hooks: {
        async authenticate() {
          await decided;
          return BEN;
        },
      },
    });
    return release;
  }

  it('closes a socket sending more than 64 messages before access with 4408', async () => {
    const release = await serverDecidingSlowly();
    const ws = await server.raw(BEN);
    for (let i = 0; i < 65; i++) ws.send(syncStep1Message());
    expect((await closeOf(ws)).code).toBe(CollabCloseCode.tooSlow);
    release();
  });

  it('closes a socket sending more than 2 MiB before access with 4408', async () => {
    const release = await serverDecidingSlowly();
    const ws = await server.raw(BEN);
    const large = syncUpdateMessage(new Uint8Array(MAX_COLLAB_MESSAGE_BYTES - 64));
    for (let i = 0; i < 3; i++) ws.send(large);
    expect((await closeOf(ws)).code).toBe(CollabCloseCode.tooSlow);
    release();
  });

  it('applies what a device sent before access once it is decided, in order', async () => {
    const release = await serverDecidingSlowly();
    const ws = await server.raw(BEN);
    const device = new Y.Doc();
    const updates: Uint8Array[] = [];
    device.on('update', (u: Uint8Array) => updates.push(u));
    const mark = addAnnotation(device, BEN.id, markInput('first'));
    updateAnnotation(device, mark.id, { text: 'then edited' });
    for (const u of updates) ws.send(syncUpdateMessage(u));
    release();
    await eventually(() =>
      expect(readAnnotations(server.hub.loadedDoc(DOC)!).map((m) => m.text)).toEqual(['then edited']),
    );
    expect(ws.readyState).toBe(ws.OPEN);
  });
});
