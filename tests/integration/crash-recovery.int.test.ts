import { afterAll, expect, it, inject } from 'vitest';
import * as Y from 'yjs';
import mongoose from 'mongoose';
import { addAnnotation, readAnnotations, updateAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { MAX_MARKS_PER_DEBRIEF } from '@kneadback/shared/docs/debrief-rules';
import { mongoDocStore } from '../../server/src/collab/mongo-doc-store.ts';
import { ReviewShards } from '../../server/src/features/review/review-shards.ts';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createPartners, upperTrapeziusPressure } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';
import { withDatabaseName } from '../helpers/test-server.ts';

const dbUri = withDatabaseName(inject('mongoUri'), `kb_crash_${Date.now()}`);
let proc: ServerProcess | undefined;
const clients: DebriefClient[] = [];

afterAll(async () => {
  for (const c of clients) c.destroy();
  await proc?.kill('SIGTERM');
});

function snapshot(doc: Y.Doc) {
  return readAnnotations(doc)
    .map((a) => `${a.id}:${a.text}`)
    .sort();
}

it('loses nothing either partner saw when the server is SIGKILLed mid-debrief', async () => {
  proc = await serverProcess(dbUri);
  await proc.start();
  const partners = await createPartners(proc);
  const a = connectDebrief(proc.url, partners.a.cookieHeader, partners.exchangeId);
  const b = connectDebrief(proc.url, partners.b.cookieHeader, partners.exchangeId);
  clients.push(a, b);
  await Promise.all([a.synced(), b.synced()]);

  // Both partners keep editing through the crash and the restart, like people on tablets would.
  let editing = true;
  let n = 0;
  /** Ana's device's clock after each of her edits: a new mark each, then (near the debrief's mark limit) new texts of her last one. */
  const editsOfA: number[] = [];
  let lastMarkOfA = '';
  const editLoop = (async () => {
    while (editing) {
      // a slow machine's restart must not push Ana past the limit (her marks would be refused)
      if (lastMarkOfA && readAnnotations(a.doc).length >= MAX_MARKS_PER_DEBRIEF - 20) {
        updateAnnotation(a.doc, lastMarkOfA, { text: `a${n}` });
      } else {
        lastMarkOfA = addAnnotation(a.doc, partners.a.user.id, { ...upperTrapeziusPressure, text: `a${n}` }).id;
      }
      editsOfA.push(Y.getState(a.doc.store, a.doc.clientID));
      const theirs = readAnnotations(b.doc).at(-1);
      if (theirs) updateAnnotation(b.doc, theirs.id, { text: `b${n}` });
      else addAnnotation(b.doc, partners.b.user.id, { ...upperTrapeziusPressure, round: 2, text: `b${n}` });
      n++;
      await new Promise((r) => setTimeout(r, 15));
    }
  })();

  await eventually(() => expect(readAnnotations(b.doc).length).toBeGreaterThan(20), { timeout: 10_000 });
  await proc.kill('SIGKILL');
  // edits keep happening while the server is down, offline on both devices
  await eventually(() => expect(a.provider.wsconnected || b.provider.wsconnected).toBe(false), { timeout: 10_000 });
  const editsBeforeDown = n;
  await eventually(() => expect(n).toBeGreaterThanOrEqual(editsBeforeDown + 10), { timeout: 10_000 });
  await proc.start();
  await eventually(() => expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true), { timeout: 20_000 });
  // and after the restart, until an edit Ana made since has gone from one partner to the other
  const editsBeforeRestart = editsOfA.length;
  await eventually(() => expect(editsOfA.length).toBeGreaterThan(editsBeforeRestart + 5), { timeout: 10_000 });
  const editedSince = editsOfA[editsBeforeRestart + 5]!;
  await eventually(() => expect(Y.getState(b.doc.store, a.doc.clientID)).toBeGreaterThanOrEqual(editedSince), {
    timeout: 10_000,
  });
  editing = false;
  await editLoop;

  // Both browsers converge on the same content...
  await eventually(() => expect(snapshot(a.doc)).toEqual(snapshot(b.doc)), { timeout: 10_000 });
  const shown = snapshot(a.doc);
  expect(shown.length).toBeGreaterThan(20);

  // ...the stored document holds every one of those edits...
  const connection = await mongoose.createConnection(dbUri, { retryWrites: false }).asPromise();
  try {
    await eventually(
      async () => {
        const stored = await mongoDocStore(connection).load(partners.exchangeId);
        const doc = new Y.Doc();
        for (const u of stored.updates) Y.applyUpdate(doc, u);
        expect(snapshot(doc)).toEqual(shown);
      },
      { timeout: 10_000 },
    );
    // ...and so do the critique records each partner's Review reads.
    await eventually(
      async () => {
        for (const partner of [partners.a, partners.b]) {
          const records = await new ReviewShards(connection)
            .of(partner.user.id)
            .find({ exchangeId: partners.exchangeId })
            .toArray();
          expect(records.map((r) => `${r.annotationId}:${r.text}`).sort()).toEqual(shown);
        }
      },
      { timeout: 10_000 },
    );
  } finally {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  }
}, 90_000);
