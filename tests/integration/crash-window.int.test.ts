// A change the server relayed and never stored: the server dies between relaying Ana's new mark
// to Ben and storing it, after Ben wrote over a field of it and replied under it. Both devices
// hold all of it; when they reconnect, in either order, nobody is refused and the stored document
// ends with Ana's mark and Ben's edits. The database is paused while the edits are made, then
// killed with the server, so what was in flight to it is lost for certain (no timing window).
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import {
  addAnnotation,
  addReply,
  readAnnotations,
  readThread,
  updateAnnotation,
} from '@kneadback/shared/docs/debrief-doc';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { ferretdbProcess, type FerretdbProcess } from '../helpers/ferretdb-process.ts';
import { readStoredDoc } from '../helpers/hostile.ts';
import { ReviewShards } from '../../server/src/features/review/review-shards.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';

let db: FerretdbProcess;
let proc: ServerProcess;
const clients: DebriefClient[] = [];

beforeAll(async () => {
  db = await ferretdbProcess();
  proc = await serverProcess(db.uri('kb_crash_window'));
  await proc.start();
});

afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

afterAll(async () => {
  db?.resume();
  await proc?.kill('SIGTERM');
  await db?.destroy();
});

async function withConnection<T>(use: (connection: mongoose.Connection) => Promise<T>): Promise<T> {
  const connection = await mongoose.createConnection(db.uri('kb_crash_window'), { retryWrites: false }).asPromise();
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

const storedDoc = (exchangeId: string) => withConnection((connection) => readStoredDoc(connection, exchangeId));

const connected = (c: DebriefClient) => c.provider.wsconnected && c.provider.synced;
const refusals = (c: DebriefClient) => c.closes.filter((close) => close.code === CollabCloseCode.refusedUpdate);

/** Both partners on the debrief, each with a change stored (their devices are known). */
async function debriefInUse(): Promise<{ partners: Partners; a: DebriefClient; b: DebriefClient }> {
  const partners = await createPartners(proc);
  const a = connectDebrief(proc.url, partners.a.cookieHeader, partners.exchangeId);
  const b = connectDebrief(proc.url, partners.b.cookieHeader, partners.exchangeId);
  clients.push(a, b);
  await Promise.all([a.synced(), b.synced()]);
  const first = addAnnotation(a.doc, partners.a.user.id, { ...upperTrapeziusPressure, text: 'stored' });
  await eventually(() => expect(readAnnotations(b.doc).map((m) => m.id)).toContain(first.id));
  addReply(b.doc, first.id, partners.b.user.id, { text: 'stored too' });
  // stored, and projected into both partners' Review (whose collections a killed database
  // could otherwise leave half created)
  await eventually(
    () =>
      withConnection(async (connection) => {
        expect(readThread(await readStoredDoc(connection, partners.exchangeId))).toHaveLength(1);
        for (const partner of [partners.a, partners.b]) {
          const records = await new ReviewShards(connection).of(partner.user.id).find({}).toArray();
          expect(records.map((r) => r.annotationId)).toEqual([first.id]);
        }
      }),
    { timeout: 10_000 },
  );
  return { partners, a, b };
}

async function crashAfterBenEditsAnasNewMark(first: 'ana' | 'ben') {
  const { partners, a, b } = await debriefInUse();
  db.pause(); // nothing from here on reaches the disk
  const lost = addAnnotation(a.doc, partners.a.user.id, { ...upperTrapeziusPressure, text: 'relayed, never stored' });
  await eventually(() => expect(readAnnotations(b.doc).map((m) => m.id)).toContain(lost.id));
  updateAnnotation(b.doc, lost.id, { text: 'Ben wrote over it' });
  const reply = addReply(b.doc, lost.id, partners.b.user.id, { text: 'Ben replied under it' });
  await eventually(() => expect(readThread(a.doc, lost.id).map((e) => e.id)).toEqual([reply.id]));

  await proc.kill('SIGKILL');
  await db.crash();
  const [early, late] = first === 'ana' ? [a, b] : [b, a];
  late.provider.disconnect();
  await db.start();
  await proc.start();
  await eventually(() => expect(connected(early)).toBe(true), { timeout: 20_000 });
  late.provider.connect();
  await eventually(() => expect(connected(late)).toBe(true), { timeout: 20_000 });

  await eventually(
    async () => {
      const stored = await storedDoc(partners.exchangeId);
      expect(readAnnotations(stored).find((m) => m.id === lost.id)?.text).toBe('Ben wrote over it');
      expect(readThread(stored, lost.id).map((e) => e.id)).toEqual([reply.id]);
    },
    { timeout: 15_000 },
  );
  expect(refusals(a), "Ana's device is not refused").toEqual([]);
  expect(refusals(b), "Ben's device is not refused").toEqual([]);
  expect(connected(a) && connected(b)).toBe(true);
}

it("stores Ana's lost mark with Ben's edits when Ben's device reconnects first", async () => {
  await crashAfterBenEditsAnasNewMark('ben');
}, 90_000);

it("stores Ana's lost mark with Ben's edits when Ana's device reconnects first", async () => {
  await crashAfterBenEditsAnasNewMark('ana');
}, 90_000);
