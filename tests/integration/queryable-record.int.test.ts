// The critique records in each partner's Review collection are what Review searches; the debrief
// documents are the truth. After any mix of edits by two live partners, and after a start-up
// repair of a log that was never compacted, the two must say the same thing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addAnnotation,
  addReply,
  deleteAnnotation,
  deleteReply,
  editReply,
  moveAnnotation,
  readAnnotations,
  readThread,
  setAnnotationStatus,
  toggleReaction,
  updateAnnotation,
} from '@kneadback/shared/docs/debrief-doc';
import { mongoDocStore, snapshotCollectionName } from '../../server/src/collab/mongo-doc-store.ts';
import { ProjectionStates } from '../../server/src/features/debriefs/model.ts';
import { ReviewShards } from '../../server/src/features/review/review-shards.ts';
import { DebriefProjector, type DebriefContext } from '../../server/src/features/debriefs/projector.ts';
import { repairUncleanDebriefs } from '../../server/src/features/debriefs/repair.ts';
import { exchangeModel } from '../../server/src/features/exchanges/model.ts';
import { createLogger } from '../../server/src/logger.ts';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createExchange, createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { TestClient } from '../helpers/http-client.ts';
import { startServer } from '../../server/src/server.ts';
import type { Annotation, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { CritiqueView } from '@kneadback/shared/schemas/review';

let server: TestServer;
let partners: Partners;
const clients: DebriefClient[] = [];

function connect(cookie: string, exchangeId: string): DebriefClient {
  const client = connectDebrief(server.url, cookie, exchangeId);
  clients.push(client);
  return client;
}

/** A projector as the server builds one, on the test's database, writing Review through `shards`. */
function projectorOn(shards: ReviewShards): DebriefProjector {
  const Exchanges = exchangeModel(server.connection);
  return new DebriefProjector({
    states: new ProjectionStates(server.connection),
    shards,
    contextOf: async (id) => {
      const e = await Exchanges.findById(id).lean();
      return e
        ? { exchangeDate: e.date, partnerA: String(e.partnerA), partnerB: e.partnerB ? String(e.partnerB) : null }
        : null;
    },
    logger: createLogger('silent'),
  });
}

/** The critique records of one debrief in one person's Review collection. */
function recordsOf(userId: string, exchangeId: string) {
  return new ReviewShards(server.connection).of(userId).find({ exchangeId }).toArray();
}

function recordOf(userId: string, exchangeId: string, annotationId: string) {
  return new ReviewShards(server.connection).of(userId).findOne({ _id: `${exchangeId}:${annotationId}` });
}

/** Everything a person can see of the document, for "both partners see the same" checks. */
function visible(doc: Y.Doc) {
  return { annotations: readAnnotations(doc), thread: readThread(doc) };
}

/** The critique record of annotation `a` as `viewer` (one of the partners) should find it. */
function expectedRecord(viewer: string, a: Annotation, thread: ThreadEntry[], exchangeId: string, ctx: DebriefContext) {
  const giverId = a.round === 1 ? ctx.partnerA : ctx.partnerB;
  const receiverId = a.round === 1 ? ctx.partnerB : ctx.partnerA;
  const entries = thread.filter((t) => t.annotationId === a.id);
  return {
    _id: `${exchangeId}:${a.id}`,
    exchangeId,
    annotationId: a.id,
    round: a.round,
    role: viewer === giverId ? 'given' : 'received',
    partnerId: viewer === giverId ? receiverId : giverId,
    authorId: a.authorId,
    exchangeDate: ctx.exchangeDate,
    view: a.position.view,
    regionId: a.position.regionId,
    x: a.position.x,
    y: a.position.y,
    category: a.category,
    pressure: a.pressure,
    verdict: a.verdict,
    wanted: a.wanted,
    tags: a.tags,
    text: a.text,
    status: a.status,
    createdAt: new Date(a.createdAt),
    replyCount: entries.filter((t) => t.kind === 'reply' && !t.deleted).length,
    thread: entries.map((t) => ({
      id: t.id,
      authorId: t.authorId,
      kind: t.kind,
      text: t.text,
      createdAt: new Date(t.createdAt),
      editedAt: t.editedAt === null ? null : new Date(t.editedAt),
      deleted: t.deleted,
    })),
  };
}

/**
 * In each partner's Review collection, every annotation of the document has exactly one record
 * with the same values, seen from that partner's side, and there is no record of anything the
 * document no longer holds.
 */
async function expectRecordMatches(doc: Y.Doc, exchangeId: string, ctx: DebriefContext): Promise<void> {
  const annotations = readAnnotations(doc);
  const thread = readThread(doc);
  for (const viewer of [ctx.partnerA, ctx.partnerB!]) {
    const records = await recordsOf(viewer, exchangeId);
    expect(records.map((r) => r.annotationId).sort()).toEqual(annotations.map((a) => a.id).sort());
    for (const a of annotations) {
      expect(
        records.find((r) => r.annotationId === a.id),
        `${viewer}'s record of annotation ${a.id}`,
      ).toEqual(expectedRecord(viewer, a, thread, exchangeId, ctx));
    }
  }
}

/** What each partner's Review shows of the debrief says the same as the document. */
async function expectReviewMatches(doc: Y.Doc, exchangeId: string, ctx: DebriefContext): Promise<void> {
  const annotations = readAnnotations(doc);
  const thread = readThread(doc);
  for (const viewer of [partners.a, partners.b]) {
    const res = await viewer.client.get('/api/review/critiques?pageSize=100&sort=oldest');
    expect(res.status).toBe(200);
    const items = (res.body.items as CritiqueView[]).filter((i) => i.exchangeId === exchangeId);
    expect(items.map((i) => i.annotationId)).toEqual(annotations.map((a) => a.id));
    for (const [index, a] of annotations.entries()) {
      const {
        _id,
        partnerId,
        createdAt,
        thread: entries,
        ...same
      } = expectedRecord(viewer.user.id, a, thread, exchangeId, ctx);
      expect(items[index], `${viewer.user.displayName}'s Review of ${a.id}`).toEqual({
        ...same,
        partner: expect.objectContaining({ id: partnerId }),
        createdAt: createdAt.toISOString(),
        thread: entries.map((t) => ({
          ...t,
          createdAt: t.createdAt.toISOString(),
          editedAt: t.editedAt?.toISOString() ?? null,
        })),
      });
    }
  }
}

beforeAll(async () => {
  server = await startTestServer({}, { unloadDelayMs: 50 });
  partners = await createPartners(server, '2026-11-27');
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

describe('the queryable record matches the documents', () => {
  it('after adds, edits, moves, resolves, deletes and replies by two live partners', async () => {
    const { a: ana, b: ben, exchangeId } = partners;
    const ctx: DebriefContext = { exchangeDate: '2026-11-27', partnerA: ana.user.id, partnerB: ben.user.id };
    const a = connect(ana.cookieHeader, exchangeId);
    const b = connect(ben.cookieHeader, exchangeId);
    await Promise.all([a.synced(), b.synced()]);

    // Ben receives round 1 and writes its marks; Ana writes round 2's
    const trap = addAnnotation(b.doc, ben.user.id, { ...upperTrapeziusPressure, tags: ['sharp-elbow'] });
    const thumb = addAnnotation(b.doc, ben.user.id, {
      round: 1,
      position: { view: 'posterior', x: 140, y: 175, regionId: 'posterior-infraspinatus-teres-left' },
      category: 'thumb-technique',
      tags: ['tip-not-pad'],
      text: 'Tip, not the pad',
    });
    const habit = addAnnotation(a.doc, ana.user.id, {
      round: 2,
      position: { view: 'posterior', x: 166, y: 200, regionId: 'posterior-rhomboids-left' },
      category: 'habit',
      tags: ['rushing'],
      text: 'Rushed the back',
    });
    const praise = addAnnotation(a.doc, ana.user.id, {
      round: 2,
      position: { view: 'anterior', x: 200, y: 248, regionId: 'anterior-abdomen' },
      category: 'praise',
      tags: ['good-pacing'],
    });
    const question = addAnnotation(a.doc, ana.user.id, {
      round: 2,
      position: { view: 'anterior', x: 250, y: 398, regionId: 'anterior-quadriceps-left' },
      category: 'question',
      text: 'Was the draping ok here?',
    });
    await eventually(() => {
      expect(readAnnotations(a.doc)).toHaveLength(5);
      expect(readAnnotations(b.doc)).toHaveLength(5);
    });
    // every mark is on record before the edits, so the record's deletions below are real ones
    await eventually(() => expectRecordMatches(a.doc, exchangeId, ctx), { timeout: 10_000 });

    // edits of each other's marks, some at the same time on different fields
    updateAnnotation(a.doc, trap.id, { text: 'Ease off on the left trap' });
    updateAnnotation(b.doc, trap.id, { pressure: 9, wanted: 6 });
    updateAnnotation(a.doc, habit.id, { category: 'pressure', pressure: 5, verdict: 'just-right', tags: [] });
    moveAnnotation(b.doc, thumb.id, { view: 'posterior', x: 236, y: 248, regionId: 'posterior-lower-trapezius-right' });
    updateAnnotation(a.doc, question.id, { tags: ['draping-gaps'] });

    // a conversation, with a deleted reply, an edited one and a reaction
    const r1 = addReply(a.doc, trap.id, ana.user.id, { text: 'Sorry, I will ease off' });
    const r2 = addReply(b.doc, trap.id, ben.user.id, { text: 'Thanks', mentions: [ana.user.id] });
    const r3 = addReply(b.doc, question.id, ben.user.id, { text: 'Drapig was fine' });
    addReply(a.doc, praise.id, ana.user.id, { text: 'Note to self: keep this pace' });
    await eventually(() => expect(readThread(a.doc)).toHaveLength(4));
    await eventually(() => expectRecordMatches(a.doc, exchangeId, ctx), { timeout: 10_000 });
    deleteReply(b.doc, r2.id, ben.user.id);
    editReply(b.doc, r3.id, ben.user.id, 'Draping was fine');
    toggleReaction(b.doc, r1.id, ben.user.id, '👍');

    // resolve one, resolve and reopen another, delete one with its thread
    setAnnotationStatus(b.doc, habit.id, 'resolved', ben.user.id);
    setAnnotationStatus(a.doc, question.id, 'resolved', ana.user.id);
    await eventually(() => expect(readAnnotations(b.doc).find((x) => x.id === question.id)?.status).toBe('resolved'));
    setAnnotationStatus(b.doc, question.id, 'open', ben.user.id);
    await eventually(() => expect(readAnnotations(a.doc).some((x) => x.id === praise.id)).toBe(true));
    deleteAnnotation(a.doc, praise.id, ana.user.id);

    // both partners converge...
    await eventually(() => {
      expect(visible(b.doc)).toEqual(visible(a.doc));
      expect(readAnnotations(a.doc)).toHaveLength(4);
    });
    const shown = readAnnotations(a.doc);
    expect(shown.find((x) => x.id === trap.id)).toMatchObject({
      text: 'Ease off on the left trap',
      pressure: 9,
      wanted: 6,
    });
    expect(shown.find((x) => x.id === habit.id)).toMatchObject({ category: 'pressure', status: 'resolved' });
    expect(shown.find((x) => x.id === thumb.id)?.position.regionId).toBe('posterior-lower-trapezius-right');
    expect(shown.find((x) => x.id === question.id)).toMatchObject({ status: 'open', statusChangedBy: ben.user.id });
    expect(readThread(a.doc, praise.id)).toEqual([]);

    // ...and the record says what the document says, as does each partner's Review
    await eventually(() => expectRecordMatches(a.doc, exchangeId, ctx), { timeout: 10_000 });
    await eventually(() => expectReviewMatches(a.doc, exchangeId, ctx));
    for (const viewer of [ana, ben]) {
      expect(await recordOf(viewer.user.id, exchangeId, praise.id)).toBeNull();
      const trapRecord = await recordOf(viewer.user.id, exchangeId, trap.id);
      expect(trapRecord?.replyCount).toBe(1);
      expect(trapRecord?.thread).toHaveLength(2);
    }

    // the unload writes once more; a reopened document still matches the record
    for (const c of clients.splice(0)) c.destroy();
    await eventually(() => expect(server.collab.loadedDoc(exchangeId)).toBeUndefined());
    const reopened = connect(ana.cookieHeader, exchangeId);
    await reopened.synced();
    expect(visible(reopened.doc)).toEqual(visible(a.doc));
    await expectRecordMatches(reopened.doc, exchangeId, ctx);
    await expectReviewMatches(reopened.doc, exchangeId, ctx);
    reopened.destroy();
    await eventually(() => expect(server.collab.loadedDoc(exchangeId)).toBeUndefined());
  });

  it('after a start-up repair of a document left open by a crash, its log never compacted', async () => {
    const { a: ana, b: ben } = partners;
    const store = mongoDocStore(server.connection);
    // nothing is open: the previous test's debrief was unloaded and compacted cleanly
    await eventually(async () => expect(await store.openDocs()).toEqual([]));

    const exchangeId = await createExchange(partners, '2026-12-04');
    const ctx: DebriefContext = { exchangeDate: '2026-12-04', partnerA: ana.user.id, partnerB: ben.user.id };
    const projector = projectorOn(new ReviewShards(server.connection));

    // What a crashed server leaves: the document loaded (so marked open), updates appended to
    // its log, then no closing compaction and no projection.
    const written = new Y.Doc();
    const pending: Uint8Array[] = [];
    written.on('update', (update: Uint8Array) => pending.push(update));
    let seq = (await store.load(exchangeId)).lastSeq;
    expect(seq).toBe(0);
    const appendPending = () =>
      store.appendMany(pending.splice(0).map((update) => ({ docId: exchangeId, seq: ++seq, update })));

    const first = addAnnotation(written, ben.user.id, upperTrapeziusPressure);
    const second = addAnnotation(written, ana.user.id, {
      round: 2,
      position: { view: 'posterior', x: 166, y: 200, regionId: 'posterior-rhomboids-left' },
      category: 'habit',
      tags: ['rushing'],
    });
    const third = addAnnotation(written, ana.user.id, {
      round: 2,
      position: { view: 'anterior', x: 200, y: 248, regionId: 'anterior-abdomen' },
      category: 'praise',
    });
    updateAnnotation(written, first.id, { text: 'edited before the crash' });
    addReply(written, first.id, ana.user.id, { text: 'noted' });
    setAnnotationStatus(written, second.id, 'resolved', ben.user.id);
    await appendPending();

    for (const viewer of [ana, ben]) expect(await recordsOf(viewer.user.id, exchangeId)).toEqual([]);
    expect(await store.openDocs()).toEqual([exchangeId]);

    expect(await repairUncleanDebriefs(store, projector, createLogger('silent'))).toBe(1);
    await expectRecordMatches(written, exchangeId, ctx);
    await expectReviewMatches(written, exchangeId, ctx);
    expect(await store.openDocs()).toEqual([]);
    // the snapshot now covers the whole log, so the log window can be dropped once it is past
    const snapshot = await server.connection
      .collection(snapshotCollectionName(exchangeId))
      .findOne({ _id: exchangeId as never });
    expect(snapshot).toMatchObject({ open: false, upToSeq: seq });

    // Another crash later: loaded again, more log after the snapshot, a stale projection. Repair
    // catches up, including the deletion of a mark that still has a record.
    const reloaded = await store.load(exchangeId);
    expect(reloaded.lastSeq).toBe(seq);
    expect(reloaded.updates).toHaveLength(1); // the snapshot holds everything
    updateAnnotation(written, first.id, { text: 'edited after the snapshot', tags: ['elbow'] });
    deleteAnnotation(written, third.id, ana.user.id);
    setAnnotationStatus(written, second.id, 'open', ana.user.id);
    await appendPending();
    expect(await store.openDocs()).toEqual([exchangeId]);
    expect(await repairUncleanDebriefs(store, projector, createLogger('silent'))).toBe(1);
    await expectRecordMatches(written, exchangeId, ctx);
    await expectReviewMatches(written, exchangeId, ctx);
    for (const viewer of [ana, ben]) expect(await recordOf(viewer.user.id, exchangeId, third.id)).toBeNull();
    expect(await store.openDocs()).toEqual([]);

    // nothing left to repair, and the live server serves the repaired document
    expect(await repairUncleanDebriefs(store, projector, createLogger('silent'))).toBe(0);
    const client = connect(ben.cookieHeader, exchangeId);
    await client.synced();
    expect(visible(client.doc)).toEqual(visible(written));
  });

  it('removes the records of a mark that a crash right after writing them lost', async () => {
    const { a: ana, b: ben } = partners;
    const exchangeId = await createExchange(partners, '2026-12-05');
    /** The server dies as the records are written, before anything else of the projection. */
    class DyingAfterRecords extends ReviewShards {
      override async put(records: Parameters<ReviewShards['put']>[0]): Promise<void> {
        await super.put(records);
        throw new Error('the server died here');
      }
    }
    const before = new Y.Doc();
    const lost = addAnnotation(before, ben.user.id, { ...upperTrapeziusPressure, text: 'lost in the crash' });
    await expect(projectorOn(new DyingAfterRecords(server.connection)).projectOnce(exchangeId, before)).rejects.toThrow(
      'the server died here',
    );
    for (const viewer of [ana, ben]) expect(await recordOf(viewer.user.id, exchangeId, lost.id)).not.toBeNull();

    // after the restart the mark is not in the document (its resent copy was refused, say)
    const after = new Y.Doc();
    const kept = addAnnotation(after, ana.user.id, { ...upperTrapeziusPressure, round: 2, text: 'kept' });
    await projectorOn(new ReviewShards(server.connection)).projectOnce(exchangeId, after);
    for (const viewer of [ana, ben]) {
      expect(await recordOf(viewer.user.id, exchangeId, lost.id)).toBeNull();
      expect(await recordOf(viewer.user.id, exchangeId, kept.id)).not.toBeNull();
    }
    await expectRecordMatches(after, exchangeId, {
      exchangeDate: '2026-12-05',
      partnerA: ana.user.id,
      partnerB: ben.user.id,
    });
  });

  it("puts marks made before the partner joined into the partner's Review as they join, the debrief unopened", async () => {
    const created = await partners.a.client.post('/api/exchanges', { date: '2026-11-29' });
    expect(created.status).toBe(201);
    const exchangeId: string = created.body.exchange.id;
    const alone = connect(partners.a.cookieHeader, exchangeId);
    await alone.synced();
    const mark = addAnnotation(alone.doc, partners.a.user.id, { ...upperTrapeziusPressure, text: 'before Ben joined' });
    await eventually(async () => expect(await recordOf(partners.a.user.id, exchangeId, mark.id)).not.toBeNull());
    alone.destroy();
    await eventually(() => expect(server.collab.loadedDoc(exchangeId)).toBeUndefined());

    const joined = await partners.b.client.post('/api/exchanges/join', {
      inviteToken: created.body.exchange.inviteToken,
    });
    expect(joined.status).toBe(200);
    await eventually(async () => {
      expect(await recordOf(partners.b.user.id, exchangeId, mark.id)).toMatchObject({
        role: 'received',
        partnerId: partners.a.user.id,
        text: 'before Ben joined',
      });
      expect(await recordOf(partners.a.user.id, exchangeId, mark.id)).toMatchObject({
        role: 'given',
        partnerId: partners.b.user.id,
      });
    });
    expect(server.collab.loadedDoc(exchangeId)).toBeUndefined();
  });

  it('keeps Review in step after the server restarts on the same database', async () => {
    // A second server process on the same database is what a restart looks like to the
    // projection: nothing cached in memory, every collection already there. Here the database
    // also holds the shared critiques collection earlier versions wrote and nothing read.
    await server.connection.collection('critiques').insertOne({ _id: 'old:record' as never, text: 'unread' });
    await server.connection.collection('migrations').deleteOne({ _id: 'drop-critiques' as never });
    const restarted = await startServer(server.config, createLogger('silent'));
    expect(await server.connection.db!.listCollections({ name: 'critiques' }).toArray()).toEqual([]);
    expect(await server.connection.collection('migrations').findOne({ _id: 'drop-critiques' as never })).not.toBeNull();
    const debrief = connectDebrief(restarted.url, partners.a.cookieHeader, partners.exchangeId);
    try {
      await debrief.synced();
      const mark = addAnnotation(debrief.doc, partners.a.user.id, {
        ...upperTrapeziusPressure,
        round: 2,
        text: 'after the restart',
      });
      const review = new TestClient(restarted.url);
      await eventually(
        async () => {
          const res = await review.get('/api/review/critiques?pageSize=100', {
            headers: { cookie: partners.b.cookieHeader },
          });
          expect(res.status).toBe(200);
          expect(res.body.items.map((i: CritiqueView) => i.annotationId)).toContain(mark.id);
        },
        { timeout: 10_000 },
      );
      // Ben's Review showing the mark says nothing of Ana's, written by the same projection after it
      await eventually(() =>
        expectRecordMatches(debrief.doc, partners.exchangeId, {
          exchangeDate: '2026-11-27',
          partnerA: partners.a.user.id,
          partnerB: partners.b.user.id,
        }),
      );
    } finally {
      debrief.destroy();
      // bounded: a server whose projection cannot write waits for it on shutdown
      await Promise.race([restarted.stop(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    }
  });
});
