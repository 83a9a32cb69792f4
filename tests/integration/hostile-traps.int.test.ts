// Traps found by a red-team pass: changes that wait for someone else's next change, so that Yjs
// would apply them inside a transaction judged as the server's or the victim's. None may take
// effect, and the victim's next edits must go through untouched.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { SERVER_DEVICE } from '@kneadback/shared/docs/devices';
import {
  attackerReplica,
  expectRefused,
  expectVictimUnharmed,
  hostileSuite,
  snapshot,
  type Scene,
} from '../helpers/hostile-scene.ts';
import {
  deletedItemUpdate,
  itemIdOfKey,
  openHostileSocket,
  rootMap,
  syncUpdateMessage,
  type Outcome,
} from '../helpers/hostile.ts';

const { scene } = hostileSuite();

/** A client id nobody has used in this document. */
const freshClient = () => 1_000_000 + Math.floor(Math.random() * 1_000_000_000);

async function sendRaw(s: Scene, updates: Uint8Array[]): Promise<Outcome> {
  const socket = await openHostileSocket(s.target.url, s.partners.b.cookieHeader, s.exchangeId);
  const outcome = await socket.sendAndSettle(updates.map(syncUpdateMessage));
  socket.close();
  return outcome;
}

async function nextClockOf(
  replica: Y.Doc,
  pick: (devices: Map<string, string>) => number,
): Promise<{ client: number; clock: number }> {
  const client = pick(new Map(rootMap(replica, 'devices').entries() as Iterable<[string, string]>));
  return { client, clock: Y.getState(replica.store, client) };
}

describe('changes that wait for someone else', () => {
  it("B plants a removal of A's mark that waits for the server's next change", async () => {
    const s = await scene();
    const before = await snapshot(s);
    const replica = await attackerReplica(s);
    const serverNext = await nextClockOf(replica, (devices) =>
      Math.max(...[...devices].filter(([, owner]) => owner === SERVER_DEVICE).map(([id]) => Number(id))),
    );
    const mark = itemIdOfKey(replica, 'annotations', s.mark.id);
    const outcome = await sendRaw(s, [deletedItemUpdate({ client: freshClient(), clock: 0 }, mark, serverNext)]);
    expectRefused(outcome, 'a change waiting for the server');
    await expectVictimUnharmed(s, before);
  });

  it("B plants a removal of A's mark that waits for A's next change", async () => {
    const s = await scene();
    const before = await snapshot(s);
    const replica = await attackerReplica(s);
    const anasNext = { client: s.a.doc.clientID, clock: Y.getState(replica.store, s.a.doc.clientID) };
    const mark = itemIdOfKey(replica, 'annotations', s.mark.id);
    // Held, like a partner's change the server lost in a crash would be: it may wait on A. When
    // A's next edit (made by expectVictimUnharmed) completes it, it is judged as B's, refused,
    // and dropped; A's own edit goes through.
    await sendRaw(s, [deletedItemUpdate({ client: freshClient(), clock: 0 }, mark, anasNext)]);
    await expectVictimUnharmed(s, before);
  });

  it("B writes an already-deleted value over A's mark: the removal counts as B's", async () => {
    const s = await scene();
    const before = await snapshot(s);
    const replica = await attackerReplica(s);
    const mark = itemIdOfKey(replica, 'annotations', s.mark.id);
    const outcome = await sendRaw(s, [deletedItemUpdate({ client: freshClient(), clock: 0 }, mark, null)]);
    expectRefused(outcome, 'a removal by overwriting');
    await expectVictimUnharmed(s, before);
  });

  it('B floods the room with changes held for his own missing history: cut off, not merged forever', async () => {
    const s = await scene();
    const client = freshClient();
    const anchor = itemIdOfKey(await attackerReplica(s), 'annotations', s.mark.id);
    // each waits for clock 0 of B's own new device, which never comes
    const held = (clock: number) => deletedItemUpdate({ client, clock }, anchor, { client, clock: 0 });
    const socket = await openHostileSocket(s.target.url, s.partners.b.cookieHeader, s.exchangeId);
    let outcome: Outcome = { kind: 'processed' };
    for (let i = 1; i <= 300 && outcome.kind === 'processed'; i++) {
      outcome = await socket.sendAndSettle([syncUpdateMessage(held(i))]);
    }
    socket.close();
    expect(outcome).toMatchObject({ kind: 'closed', code: CollabCloseCode.refusedUpdate });
  });
});
