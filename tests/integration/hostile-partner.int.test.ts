// A hostile partner (Ben) sends raw Yjs updates that the shared document module would never
// write, aimed at his partner Ana's work. The server must refuse each one (close 4422) and Ana's
// marks, replies and reactions must stay as they were: on her devices, in the stored document,
// in Review. Legitimate edits through the shared module, by either partner, still pass.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addAnnotation,
  addReply,
  createDebriefUndoManager,
  deleteAnnotation,
  deleteReply,
  editReply,
  readAnnotations,
  readThread,
  setAnnotationStatus,
  toggleReaction,
  updateAnnotation,
} from '@kneadback/shared/docs/debrief-doc';
import { newId } from '@kneadback/shared/docs/origins';
import { childMap, rawContent, rawFields, rootArray, rootMap, setMultiValue, writeMap } from '../helpers/hostile.ts';
import {
  anasMark,
  attack,
  connectTo,
  expectAttackRefused,
  expectRefused,
  expectVictimUnharmed,
  hostileSuite,
  review,
  snapshot,
  storedDoc,
  type Scene,
} from '../helpers/hostile-scene.ts';
import { eventually } from '../helpers/eventually.ts';

const YEAR_MS = 365 * 24 * 60 * 60_000;

const { scene } = hostileSuite();

/** Writes a copy of Ana's mark (its raw fields) under `key`, with `changes`, created and updated `at`. */
function writeMarkCopy(doc: Y.Doc, s: Scene, key: string, changes: Record<string, unknown>, at = Date.now()): void {
  writeMap(doc, 'annotations', key, {
    ...rawFields(doc, 'annotations', s.mark.id),
    ...changes,
    createdAt: at,
    updatedAt: at,
  });
}

describe("deleting the partner's work with a raw delete", () => {
  it("B deletes A's mark (the key of the annotations map)", async () => {
    const s = await scene();
    await expectAttackRefused(s, (doc) => rootMap(doc, 'annotations').delete(s.mark.id));
  });

  it("B deletes A's reply (the key of the thread map)", async () => {
    const s = await scene();
    await expectAttackRefused(s, (doc) => rootMap(doc, 'thread').delete(s.reply.id));
  });

  it("B deletes A's reaction on her reply", async () => {
    const s = await scene();
    const ana = s.partners.a.user.id;
    await expectAttackRefused(s, (doc) => {
      const reactions = childMap(doc, 'thread', s.reply.id).get('reactions') as Y.Map<unknown>;
      reactions.delete(`👍|${ana}`);
    });
  });

  it.each([
    ['deletes', (meta: Y.Map<unknown>) => meta.delete('schemaVersion')],
    ['changes', (meta: Y.Map<unknown>) => meta.set('schemaVersion', 99)],
  ])("B %s the debrief's meta (schemaVersion)", async (_how, change) => {
    const s = await scene();
    const before = await snapshot(s);
    expect(before.raw.meta).toHaveProperty('schemaVersion');
    const outcome = await attack(s, (doc) => change(rootMap(doc, 'meta')));
    expectRefused(outcome);
    // before Ana's probe, which would write schemaVersion again if it were missing
    const fresh = connectTo(s, s.partners.a.cookieHeader);
    await fresh.synced();
    expect(rawContent(fresh.doc).meta, 'meta on a device opening the debrief now').toEqual(before.raw.meta);
    await expectVictimUnharmed(s, before);
  });
});

describe('writing outside the debrief shape', () => {
  it.each([
    ['map', (doc: Y.Doc, i: number) => rootMap(doc, 'junk').set(`blob${i}`, 'x'.repeat(900_000))],
    ['array', (doc: Y.Doc) => rootArray(doc, 'junk').push(['x'.repeat(900_000)])],
  ])(
    'B writes 900 KB of junk into a new top-level %s, three times: refused, the stored debrief does not grow',
    async (_kind, write) => {
      const s = await scene();
      // expectVictimUnharmed includes: the stored document grew by < 16 KB
      await expectAttackRefused(
        s,
        (doc) => {
          for (let i = 0; i < 3; i++) doc.transact(() => write(doc, i));
        },
        { messagePerTransaction: true },
      );
    },
  );
});

describe('a map value written as one item holding several values (Y.Map reads the last)', () => {
  it('B writes a new mark whose authorId item holds [B, A]: it reads as written by A', async () => {
    const s = await scene();
    const ben = s.partners.b.user.id;
    const ana = s.partners.a.user.id;
    const id = newId();
    await expectAttackRefused(s, (doc) =>
      doc.transact(() => {
        const { authorId: _author, ...fields } = rawFields(doc, 'annotations', s.mark.id);
        const map = writeMap(doc, 'annotations', id, {
          ...fields,
          id,
          text: 'you are bad at this',
          createdAt: Date.now(),
        });
        setMultiValue(map, 'authorId', [ben, ana]);
      }),
    );
  });

  it('B writes a new mark whose createdAt item holds [now, a year ahead]', async () => {
    const s = await scene();
    const ben = s.partners.b.user.id;
    const id = newId();
    await expectAttackRefused(s, (doc) =>
      doc.transact(() => {
        const { createdAt: _created, ...fields } = rawFields(doc, 'annotations', s.mark.id);
        const map = writeMap(doc, 'annotations', id, { ...fields, id, authorId: ben, text: 'pinned on top forever' });
        const now = Date.now();
        setMultiValue(map, 'createdAt', [now, now + YEAR_MS]);
      }),
    );
  });
});

describe("invalid values and foreign keys in the partner's mark", () => {
  it.each([
    ['x: "foo" (an invalid value of a known field, which hides the mark)', 'x', 'foo'],
    ['an unknown extra key', 'surprise', 'foo'],
  ])("B writes %s into A's mark", async (_what, key, value) => {
    const s = await scene();
    await expectAttackRefused(s, (doc) => childMap(doc, 'annotations', s.mark.id).set(key, value));
  });

  it("B writes a new map under a fresh key carrying A's mark's inner id (key ≠ id)", async () => {
    const s = await scene();
    const ben = s.partners.b.user.id;
    await expectAttackRefused(s, (doc) =>
      writeMarkCopy(doc, s, newId(), { id: s.mark.id, authorId: ben, text: "Ben's version of Ana's mark" }),
    );
  });
});

describe('forging identity, time and ownership', () => {
  it.each<[string, (s: Scene, doc: Y.Doc) => void]>([
    [
      'B writes a new mark with authorId = A',
      (s, doc) => {
        const id = newId();
        writeMarkCopy(doc, s, id, { id, authorId: s.partners.a.user.id, text: 'forged in her name' });
      },
    ],
    [
      'B writes his own mark with createdAt a year in the future',
      (s, doc) => {
        const id = newId();
        const future = Date.now() + YEAR_MS;
        writeMarkCopy(doc, s, id, { id, authorId: s.partners.b.user.id, text: 'from the future' }, future);
      },
    ],
    [
      "B backdates his reply in A's thread to 1970, before her mark and her reply",
      (s, doc) => addReply(doc, s.mark.id, s.partners.b.user.id, { text: 'you said it felt great' }, { now: 0 }),
    ],
    [
      'B writes his own mark dated 1970',
      (s, doc) => {
        const id = newId();
        writeMarkCopy(doc, s, id, { id, authorId: s.partners.b.user.id, text: 'from 1970' }, 0);
      },
    ],
    [
      "B stamps A's mark as edited and its status changed in 1970, without changing its status",
      (s, doc) =>
        doc.transact(() => {
          childMap(doc, 'annotations', s.mark.id).set('updatedAt', 1);
          childMap(doc, 'annotations', s.mark.id).set('statusChangedAt', 2);
        }),
    ],
    [
      "B restamps when A's mark's status changed, to now, without changing its status",
      (s, doc) => childMap(doc, 'annotations', s.mark.id).set('statusChangedAt', Date.now()),
    ],
    [
      "B reacts as A (an emoji|A key in her reply's reactions)",
      (s, doc) =>
        (childMap(doc, 'thread', s.reply.id).get('reactions') as Y.Map<unknown>).set(
          `🙏|${s.partners.a.user.id}`,
          true,
        ),
    ],
    ["B edits A's reply text directly", (s, doc) => childMap(doc, 'thread', s.reply.id).set('text', 'I was wrong')],
    [
      "B overwrites A's mark key with a new map of his own",
      (s, doc) => writeMarkCopy(doc, s, s.mark.id, { authorId: s.partners.b.user.id, text: 'replaced by Ben' }),
    ],
  ])('%s', async (_what, craft) => {
    const s = await scene();
    await expectAttackRefused(s, (doc) => craft(s, doc));
  });
});

describe('legitimate edits through the shared module are accepted (the guard refuses only attacks)', () => {
  /** Ana and Ben live on the debrief, each with a normal provider. */
  async function live(): Promise<Scene & { b: ReturnType<typeof connectTo> }> {
    const s = await scene();
    const b = connectTo(s, s.partners.b.cookieHeader);
    await b.synced();
    await eventually(() => expect(readThread(b.doc).map((t) => t.id)).toContain(s.reply.id));
    return { ...s, b };
  }

  /** Both devices, a fresh device, the stored document and Review agree; nobody was cut off. */
  async function expectAcceptedEverywhere(s: Scene & { b: ReturnType<typeof connectTo> }): Promise<void> {
    await eventually(() => expect(rawContent(s.b.doc), 'both partners see the same').toEqual(rawContent(s.a.doc)), {
      timeout: 10_000,
    });
    await eventually(
      async () => expect(rawContent(await storedDoc(s)), 'the stored document').toEqual(rawContent(s.a.doc)),
      { timeout: 10_000 },
    );
    const fresh = connectTo(s, s.partners.a.cookieHeader);
    await fresh.synced();
    expect(rawContent(fresh.doc), 'a device opening the debrief now').toEqual(rawContent(s.a.doc));
    const annotations = readAnnotations(s.a.doc);
    const thread = readThread(s.a.doc);
    await eventually(
      async () => {
        const items = await review(s);
        expect(items.map((i) => i.annotationId).sort(), "Ana's Review").toEqual(annotations.map((a) => a.id).sort());
        for (const a of annotations) {
          const item = items.find((i) => i.annotationId === a.id)!;
          const entries = thread.filter((t) => t.annotationId === a.id);
          expect(item).toMatchObject({ authorId: a.authorId, text: a.text, status: a.status, tags: a.tags });
          expect(item.thread.map((t) => ({ id: t.id, kind: t.kind, text: t.text, deleted: t.deleted }))).toEqual(
            entries.map((t) => ({ id: t.id, kind: t.kind, text: t.text, deleted: t.deleted })),
          );
        }
      },
      { timeout: 10_000 },
    );
    expect(s.a.closes, "Ana's connection closes").toEqual([]);
    expect(s.b.closes, "Ben's connection closes").toEqual([]);
  }

  it('A deletes her own mark that has no partner reply', async () => {
    const s = await live();
    const own = addAnnotation(s.a.doc, s.partners.a.user.id, { ...anasMark, text: 'never mind' });
    await eventually(() => expect(readAnnotations(s.b.doc).map((a) => a.id)).toContain(own.id));
    deleteAnnotation(s.a.doc, own.id, s.partners.a.user.id);
    await eventually(() => expect(readAnnotations(s.b.doc).map((a) => a.id)).not.toContain(own.id));
    await expectAcceptedEverywhere(s);
  });

  it("B edits the note, tags and pressure of A's mark (both partners may edit a mark's fields)", async () => {
    const s = await live();
    updateAnnotation(s.b.doc, s.mark.id, { text: 'Agreed, ease off there', tags: ['sharp-elbow', 'rushing'] });
    await eventually(() =>
      expect(readAnnotations(s.a.doc).find((a) => a.id === s.mark.id)?.text).toBe('Agreed, ease off there'),
    );
    await expectAcceptedEverywhere(s);
  });

  it("B replies in A's thread, reacts to A's reply, and edits then deletes his own reply", async () => {
    const s = await live();
    const ben = s.partners.b.user.id;
    const reply = addReply(s.b.doc, s.mark.id, ben, { text: 'Noted, lighter next time' });
    toggleReaction(s.b.doc, s.reply.id, ben, '🙏');
    editReply(s.b.doc, reply.id, ben, 'Noted, much lighter next time');
    const second = addReply(s.b.doc, s.mark.id, ben, { text: 'typo' });
    deleteReply(s.b.doc, second.id, ben);
    await eventually(() => expect(readThread(s.a.doc, s.mark.id)).toHaveLength(3));
    await expectAcceptedEverywhere(s);
  });

  it("B resolves A's mark and A reopens it", async () => {
    const s = await live();
    setAnnotationStatus(s.b.doc, s.mark.id, 'resolved', s.partners.b.user.id);
    await eventually(() => expect(readAnnotations(s.a.doc).find((a) => a.id === s.mark.id)?.status).toBe('resolved'));
    setAnnotationStatus(s.a.doc, s.mark.id, 'open', s.partners.a.user.id);
    await eventually(() => expect(readAnnotations(s.b.doc).find((a) => a.id === s.mark.id)?.status).toBe('open'));
    await expectAcceptedEverywhere(s);
  });

  it('A edits her reply and takes back her reaction', async () => {
    const s = await live();
    const ana = s.partners.a.user.id;
    editReply(s.a.doc, s.reply.id, ana, 'I meant the left elbow');
    toggleReaction(s.a.doc, s.reply.id, ana, '👍'); // removes it: deleting one's own reaction
    await eventually(() =>
      expect(readThread(s.b.doc, s.mark.id)[0]).toMatchObject({ text: 'I meant the left elbow', reactions: {} }),
    );
    await expectAcceptedEverywhere(s);
  });

  it('undo and redo of both partners’ own edits (createDebriefUndoManager)', async () => {
    const s = await live();
    const ana = s.partners.a.user.id;
    const ben = s.partners.b.user.id;
    const undoA = createDebriefUndoManager(s.a.doc);
    const undoB = createDebriefUndoManager(s.b.doc);

    const mark = addAnnotation(s.a.doc, ana, { ...anasMark, text: 'first thought' });
    undoA.stopCapturing();
    updateAnnotation(s.a.doc, mark.id, { text: 'second thought' });
    undoA.stopCapturing();
    undoA.undo(); // the edit
    undoA.undo(); // the mark itself (Ana deletes her own mark)
    undoA.redo(); // and back
    undoA.redo();
    const reply = addReply(s.b.doc, s.mark.id, ben, { text: 'hmm' });
    undoB.stopCapturing();
    undoB.undo(); // Ben deletes his own reply
    undoB.redo();

    await eventually(() => {
      expect(readAnnotations(s.b.doc).find((a) => a.id === mark.id)?.text).toBe('second thought');
      expect(readThread(s.a.doc).map((t) => t.id)).toContain(reply.id);
    });
    await expectAcceptedEverywhere(s);
    undoA.destroy();
    undoB.destroy();
  });
});
