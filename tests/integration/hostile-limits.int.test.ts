// Limits a hostile partner runs into: string lengths the schema allows, marks and thread entries
// per debrief, and awareness (presence) messages. Each is refused with a close code (or, over
// HTTP, a 409); the server stays up and Ana's work and editing are untouched.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Types } from 'mongoose';
import {
  addAnnotation,
  addReply,
  readAnnotation,
  readAnnotations,
  readThread,
  updateAnnotation,
} from '@kneadback/shared/docs/debrief-doc';
import { MAX_DEBRIEF_BYTES, MAX_THREAD_ENTRIES_PER_DEBRIEF } from '@kneadback/shared/docs/debrief-rules';
import { newId } from '@kneadback/shared/docs/origins';
import { MAX_ANNOTATION_TEXT, MAX_REPLY_TEXT } from '@kneadback/shared/schemas/annotation';
import { MAX_PRESENCE_BYTES } from '@kneadback/shared/docs/presence';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import {
  awarenessMessage,
  childMap,
  craftUpdates,
  openHostileSocket,
  rawFields,
  syncUpdateMessage,
  writeMap,
} from '../helpers/hostile.ts';
import {
  anasMark,
  attackerReplica,
  expectAttackRefused,
  expectRefused,
  expectVictimUnharmed,
  hostileSuite,
  review,
  sharedConstant,
  snapshot,
  storedDoc,
  type Scene,
} from '../helpers/hostile-scene.ts';
import { eventually } from '../helpers/eventually.ts';

/** Tags are at most 40 characters (tagSchema in shared/src/schemas/annotation.ts). */
const MAX_TAG_LENGTH = 40;
/** Used only while shared/src/docs exports no MAX_MARKS_PER_DEBRIEF (then the test fails anyway). */
const ASSUMED_MARKS_CAP = 300;

const { scene, server } = hostileSuite();

describe('string lengths, written raw', () => {
  it.each<[string, (s: Scene, doc: Y.Doc) => void]>([
    [
      `a mark note of ${MAX_ANNOTATION_TEXT + 1} characters (into A's mark)`,
      (s, doc) => childMap(doc, 'annotations', s.mark.id).set('text', 'n'.repeat(MAX_ANNOTATION_TEXT + 1)),
    ],
    [
      `a reply of ${MAX_REPLY_TEXT + 1} characters (B's own, in A's thread)`,
      (s, doc) => {
        const { reactions: _reactions, ...fields } = rawFields(doc, 'thread', s.reply.id);
        const id = newId();
        writeMap(doc, 'thread', id, {
          ...fields,
          id,
          authorId: s.partners.b.user.id,
          text: 'r'.repeat(MAX_REPLY_TEXT + 1),
          createdAt: Date.now(),
          reactions: new Y.Map(),
        });
      },
    ],
    [
      `a tag of ${MAX_TAG_LENGTH + 1} characters (on A's mark)`,
      (s, doc) => childMap(doc, 'annotations', s.mark.id).set('tags', ['t'.repeat(MAX_TAG_LENGTH + 1)]),
    ],
  ])('B writes %s', async (_what, craft) => {
    const s = await scene();
    await expectAttackRefused(s, (doc) => craft(s, doc));
  });
});

describe('marks per debrief', () => {
  it('B fills the debrief to its mark cap, then one more mark is refused (4422)', async () => {
    const exported = await sharedConstant('MAX_MARKS_PER_DEBRIEF');
    expect.soft(exported, 'shared/src/docs exports MAX_MARKS_PER_DEBRIEF').toBeTypeOf('number');
    const cap = exported ?? ASSUMED_MARKS_CAP;
    const s = await scene();
    const ben = s.partners.b.user.id;
    const replica = await attackerReplica(s);
    const benMark = { ...anasMark, round: 1 as const, category: 'praise' as const, pressure: null, verdict: null };

    // Ben's own, valid marks, in messages of 100, until the debrief holds exactly `cap` (Ana's
    // counts); each of these is legitimate. Then one more.
    const own = cap - readAnnotations(replica).length;
    const messages: Uint8Array[] = [];
    for (let done = 0; done < own; done += 100) {
      const batch = Math.min(100, own - done);
      const [update] = craftUpdates(replica, (doc) =>
        doc.transact(() => {
          for (let i = 0; i < batch; i++) addAnnotation(doc, ben, { ...benMark, text: `praise ${done + i}` });
        }),
      );
      messages.push(syncUpdateMessage(update!));
    }
    const [overCap] = craftUpdates(replica, (doc) => addAnnotation(doc, ben, { ...benMark, text: 'one too many' }));
    const socket = await openHostileSocket(s.target.url, s.partners.b.cookieHeader, s.exchangeId);
    const upToCap = await socket.sendAndSettle(messages, 20_000);
    expect(upToCap, `marks up to the cap (${cap}) are accepted`).toEqual({ kind: 'processed' });
    const outcome = await socket.sendAndSettle([syncUpdateMessage(overCap!)]);
    socket.close();
    expectRefused(outcome, `mark number ${cap + 1}`);

    // stored: at most the cap, Ana's mark unchanged
    const stored = await eventually(
      async () => {
        const doc = await storedDoc(s);
        expect(readAnnotations(doc).length).toBeGreaterThanOrEqual(cap);
        return doc;
      },
      { timeout: 20_000 },
    );
    expect(readAnnotations(stored).length, 'marks in the stored debrief').toBe(cap);
    expect(readAnnotations(stored).find((a) => a.id === s.mark.id)).toEqual(s.mark);
    expect(readAnnotations(s.a.doc).find((a) => a.id === s.mark.id)).toEqual(s.mark);
    const anas = await review(s, '&category=pressure');
    expect(anas.map((i) => [i.annotationId, i.text, i.replyCount])).toEqual([[s.mark.id, s.mark.text, 1]]);

    // Ana keeps editing: a reply (a full debrief refuses new marks, from anyone)
    const reply = addReply(s.a.doc, s.mark.id, s.partners.a.user.id, { text: 'still here' });
    await eventually(async () => expect(readThread(await storedDoc(s)).map((t) => t.id)).toContain(reply.id), {
      timeout: 10_000,
    });
    expect(s.a.closes, "Ana's own connection is not closed").toEqual([]);
  });
});

describe('thread entries per debrief', () => {
  it('B resolves and reopens a mark over HTTP until the thread is full: then 409, and Ana keeps editing', async () => {
    const cap = MAX_THREAD_ENTRIES_PER_DEBRIEF;
    const s = await scene();
    // The thread filled to one below the cap by the server, in the name of someone who is neither
    // partner: filling it through Ben would also send Ana thousands of notifications.
    const stranger = new Types.ObjectId().toHexString();
    await server().collab.edit(s.exchangeId, (doc) =>
      doc.transact(() => {
        for (let i = readThread(doc).length; i < cap - 1; i++) addReply(doc, s.mark.id, stranger, { text: `${i}` });
      }),
    );
    const setStatus = (status: string) =>
      s.partners.b.client.post(`/api/debriefs/${s.exchangeId}/annotations/${s.mark.id}/status`, { status });

    expect((await setStatus('resolved')).status, `thread entry number ${cap}`).toBe(204);
    const refused = await setStatus('open');
    expect(refused.status, `thread entry number ${cap + 1}`).toBe(409);
    expect(refused.body.error).toEqual({
      code: 'too_many_thread_entries',
      message: `this debrief is full: it holds at most ${cap} replies and status changes`,
    });

    // the full debrief still takes Ana's edits to her mark
    updateAnnotation(s.a.doc, s.mark.id, { text: 'Too much on the left upper trap, and fast' });
    await eventually(
      async () =>
        expect(readAnnotation(await storedDoc(s), s.mark.id)?.text).toBe('Too much on the left upper trap, and fast'),
      { timeout: 10_000 },
    );
    expect(readThread(await storedDoc(s))).toHaveLength(cap);
    expect(s.a.closes, "Ana's own connection is not closed").toEqual([]);
  });
});

describe('bytes per debrief', () => {
  it('B changes a mark status over HTTP in a debrief just under its size limit: 409, and Ana keeps editing', async () => {
    const s = await scene();
    const stranger = new Types.ObjectId().toHexString();
    const longReply = { text: 'r'.repeat(MAX_REPLY_TEXT) };
    // Filled by the server to a few hundred bytes under the limit (long replies by someone who is
    // neither partner), fewer entries than the thread's cap: only the size stands in the way.
    await server().collab.edit(s.exchangeId, (doc) =>
      doc.transact(() => {
        const room = () => MAX_DEBRIEF_BYTES - Y.encodeStateAsUpdate(doc).length;
        while (room() > 60 * MAX_REPLY_TEXT) for (let i = 0; i < 50; i++) addReply(doc, s.mark.id, stranger, longReply);
        while (room() > MAX_REPLY_TEXT + 1_000) addReply(doc, s.mark.id, stranger, longReply);
        addReply(doc, s.mark.id, stranger, { text: 'r'.repeat(room() - 450) });
      }),
    );
    const size = () => server().collab.read(s.exchangeId, (doc) => Y.encodeStateAsUpdate(doc).length);
    const filled = await size();
    expect(MAX_DEBRIEF_BYTES - filled).toBeGreaterThan(0);
    expect(MAX_DEBRIEF_BYTES - filled).toBeLessThan(300); // a status change adds about 390

    const refused = await s.partners.b.client.post(`/api/debriefs/${s.exchangeId}/annotations/${s.mark.id}/status`, {
      status: 'resolved',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({
      code: 'debrief_too_large',
      message: 'this debrief is full: it holds at most 4 MB',
    });
    expect(await size()).toBe(filled);

    // a change that adds next to nothing still fits: Ana's edit to her mark's text
    updateAnnotation(s.a.doc, s.mark.id, { text: 'Too much on the left upper trap!' });
    await eventually(
      async () => expect(readAnnotation(await storedDoc(s), s.mark.id)?.text).toBe('Too much on the left upper trap!'),
      { timeout: 10_000 },
    );
    expect(s.a.closes, "Ana's own connection is not closed").toEqual([]);
  });
});

describe('awareness (presence) messages', () => {
  const validPresence = (s: Scene, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ user: { id: s.partners.b.user.id, name: 'Ben', color: '#1f7a6d' }, ...extra });

  it.each<[string, (s: Scene) => Uint8Array]>([
    [
      'with 10,000 entries',
      (s) =>
        awarenessMessage(
          Array.from({ length: 10_000 }, (_, i) => ({ clientId: 1_000_000 + i, clock: 1, json: validPresence(s) })),
        ),
    ],
    [
      `with a state of ${MAX_PRESENCE_BYTES + 1}+ ASCII characters`,
      (s) =>
        awarenessMessage([
          { clientId: 4242, clock: 1, json: validPresence(s, { pad: 'p'.repeat(MAX_PRESENCE_BYTES) }) },
        ]),
    ],
    [
      `with a state under ${MAX_PRESENCE_BYTES} characters but over ${MAX_PRESENCE_BYTES} bytes (UTF-8)`,
      (s) =>
        awarenessMessage([
          { clientId: 4243, clock: 1, json: validPresence(s, { pad: 'é'.repeat(MAX_PRESENCE_BYTES / 2 + 100) }) },
        ]),
    ],
  ])('B sends an awareness message %s: closed, the server stays up', async (_what, message) => {
    const s = await scene();
    const before = await snapshot(s);
    const socket = await openHostileSocket(s.target.url, s.partners.b.cookieHeader, s.exchangeId);
    const outcome = await socket.sendAndSettle([message(s)]);
    socket.close();
    expect.soft(outcome.kind, 'the connection is closed').toBe('closed');
    if (outcome.kind === 'closed') {
      expect.soft([CollabCloseCode.refusedUpdate, CollabCloseCode.tooLarge], 'its close code').toContain(outcome.code);
    }
    const health = await fetch(`${s.target.url}/healthz`);
    expect(health.status, '/healthz').toBe(200);
    await expectVictimUnharmed(s, before);
  });
});
