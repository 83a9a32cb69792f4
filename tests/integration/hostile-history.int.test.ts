// Attacks on the history rather than the content: a delete aimed at clocks the partner has not
// used yet (held by Yjs until they exist), and writing under the partner's Yjs client id once the
// server has forgotten whose it is (the room unloaded, or the server restarted).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { createLogger } from '../../server/src/logger.ts';
import { startServer } from '../../server/src/server.ts';
import { deleteRangeUpdate, openHostileSocket, replicaOf, syncUpdateMessage } from '../helpers/hostile.ts';
import {
  anasMark,
  attack,
  attackerReplica,
  connectTo,
  dispose,
  expectRefused,
  expectVictimUnharmed,
  HOSTILE_UNLOAD_DELAY_MS,
  hostileSuite,
  snapshot,
  type Scene,
} from '../helpers/hostile-scene.ts';
import { eventually } from '../helpers/eventually.ts';

const { scene, server } = hostileSuite();

describe('a delete aimed at the future', () => {
  it("B sends a delete set covering clocks A has not used yet; A's later edits survive", async () => {
    const s = await scene();
    const before = await snapshot(s);
    const anasClient = s.a.doc.clientID;
    const nextClock = Y.getState(s.a.doc.store, anasClient);
    const socket = await openHostileSocket(s.target.url, s.partners.b.cookieHeader, s.exchangeId);
    const outcome = await socket.sendAndSettle([syncUpdateMessage(deleteRangeUpdate(anasClient, nextClock, 100_000))]);

    // Refusing it at once is one sound answer; holding it but never applying it unchecked is
    // the other. Either way the socket must not have been closed for any other reason.
    if (outcome.kind === 'closed') expectRefused(outcome, 'the delete of future clocks');
    else expect.soft(outcome.kind, 'the server answered after the delete').toBe('processed');

    // Ana's next edits land exactly in the clocks the delete names.
    await expectVictimUnharmed(s, before);
    const late = socket.closed();
    if (late) expectRefused({ kind: 'closed', ...late }, 'the delete of future clocks, once applicable');
    socket.close();
  });
});

describe("writing under the partner's Yjs client id after the server forgot whose it is", () => {
  /**
   * Ana writes from her device (client id X) and leaves; the room unloads. Ben syncs a replica,
   * takes client id X and writes a perfectly ordinary mark of his own under it. Then Ana comes
   * back on the same device and keeps editing.
   */
  async function stealClientIdAfterUnload(s: Scene, unloaded: () => boolean): Promise<void> {
    const anasDoc = s.a.doc;
    const anasClient = anasDoc.clientID;
    const before = await snapshot(s);
    s.a.provider.destroy(); // Ana leaves; her device keeps its document (and client id)
    s.clients.splice(s.clients.indexOf(s.a), 1);
    await eventually(() => expect(unloaded(), 'the room unloaded').toBe(true), { timeout: 10_000 });

    const bensDevice = await attackerReplica(s);
    const replica = replicaOf(bensDevice, anasClient);
    bensDevice.destroy();
    await eventually(() => expect(unloaded(), 'the room unloaded again').toBe(true), { timeout: 10_000 });
    const outcome = await attack(
      s,
      (doc) => addAnnotation(doc, s.partners.b.user.id, { ...anasMark, round: 1, text: 'under her device id' }),
      { replica },
    );
    // (a harness check: Ben's replica really wrote under Ana's client id)
    expect(replica.clientID).toBe(anasClient);
    // Refusing it is one sound answer; leaving it out is the other (the server cannot tell it
    // from Ana's changes it lost in a crash, which Ben's device sends back the same way). Either
    // way it must have no effect, and the socket must not have been closed for another reason.
    if (outcome.kind === 'closed') expectRefused(outcome, "writing under Ana's client id");
    else expect.soft(outcome.kind, 'the server answered after the change').toBe('processed');

    s.a = connectTo(s, s.partners.a.cookieHeader, anasDoc);
    await s.a.synced();
    await expectVictimUnharmed(s, before);
  }

  it("B writes new changes under A's client id after the room unloads", async () => {
    const s = await scene();
    await stealClientIdAfterUnload(s, () => server().collab.loadedDoc(s.exchangeId) === undefined);
  });

  it("B writes new changes under A's client id after the server restarts", async () => {
    const s = await scene();
    s.a.provider.destroy();
    s.clients.splice(s.clients.indexOf(s.a), 1);
    await eventually(() => expect(server().collab.loadedDoc(s.exchangeId)).toBeUndefined(), { timeout: 10_000 });
    // A second server on the same database is what a restart looks like: nothing in memory.
    const restarted = await startServer(server().config, createLogger('silent'), {
      unloadDelayMs: HOSTILE_UNLOAD_DELAY_MS,
    });
    try {
      s.target = { url: restarted.url, connection: restarted.connection };
      s.a = connectTo(s, s.partners.a.cookieHeader, s.a.doc);
      await s.a.synced();
      await stealClientIdAfterUnload(s, () => restarted.collab.loadedDoc(s.exchangeId) === undefined);
    } finally {
      dispose(s);
      // bounded: a server whose projection cannot write waits for it on shutdown
      await Promise.race([restarted.stop(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
  });
});
