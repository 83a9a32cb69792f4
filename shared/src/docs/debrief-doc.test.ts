import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  DEBRIEF_SCHEMA_VERSION,
  SCHEMA_VERSION_KEY,
  addAnnotation,
  addReply,
  annotationsOf,
  createDebriefUndoManager,
  deleteAnnotation,
  deleteReply,
  editReply,
  moveAnnotation,
  readAnnotations,
  metaOf,
  readThread,
  schemaVersionOf,
  setAnnotationStatus,
  toggleReaction,
  updateAnnotation,
  upgradeDebrief,
} from './debrief-doc.ts';
import { annotationSchema, markPositionSchema, type AnnotationInput } from '../schemas/annotation.ts';

const ANA = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const BEN = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const trap: AnnotationInput = {
  round: 1,
  position: { view: 'posterior', x: 170, y: 149, regionId: 'posterior-upper-trapezius-left' },
  category: 'pressure',
  pressure: 8,
  verdict: 'too-deep',
};

function sync(from: Y.Doc, to: Y.Doc) {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

describe('annotations', () => {
  it('has no rule spanning fields in the stored mark schema, so a field can be judged alone', () => {
    // parseStoredMarkField judges one field at a time: a refinement over several would go unchecked
    for (const schema of [annotationSchema, markPositionSchema]) expect(schema._zod.def.checks ?? []).toEqual([]);
  });

  it('adds, edits, moves and deletes a mark, with typed reads', () => {
    const doc = new Y.Doc();
    const mark = addAnnotation(doc, ANA, trap, { now: 1000 });
    expect(readAnnotations(doc)).toEqual([mark]);
    expect(mark).toMatchObject({ authorId: ANA, status: 'open', tags: [], text: '', createdAt: 1000 });

    updateAnnotation(doc, mark.id, { text: 'ease off', tags: ['rushing'] }, { now: 2000 });
    moveAnnotation(doc, mark.id, { view: 'posterior', x: 230, y: 149, regionId: 'posterior-upper-trapezius-right' });
    const [moved] = readAnnotations(doc);
    expect(moved).toMatchObject({
      text: 'ease off',
      tags: ['rushing'],
      position: { regionId: 'posterior-upper-trapezius-right' },
    });

    deleteAnnotation(doc, mark.id, ANA);
    expect(readAnnotations(doc)).toEqual([]);
  });

  it('refuses values that break the schema', () => {
    const doc = new Y.Doc();
    expect(() => addAnnotation(doc, ANA, { ...trap, pressure: 42 })).toThrow();
    expect(() => addAnnotation(doc, ANA, { ...trap, category: 'massage' as never })).toThrow();
    expect(() => addAnnotation(doc, ANA, { ...trap, position: { ...trap.position, x: 9000 } })).toThrow();
    expect(() => addAnnotation(doc, ANA, { ...trap, position: { ...trap.position, regionId: 'nowhere' } })).toThrow();
    expect(readAnnotations(doc)).toEqual([]);
  });

  it('drops pressure values when a mark stops being about pressure', () => {
    const doc = new Y.Doc();
    const mark = addAnnotation(doc, ANA, trap);
    updateAnnotation(doc, mark.id, { category: 'habit' });
    expect(readAnnotations(doc)[0]).toMatchObject({ category: 'habit', pressure: null, verdict: null });
  });

  it('skips invalid values written by someone bypassing the module, with a warning', () => {
    const good = new Y.Doc();
    const mark = addAnnotation(good, ANA, trap);
    const bad = new Y.Doc();
    sync(good, bad);
    // a raw write, as a buggy or hostile client could make
    bad.transact(() =>
      (bad as unknown as { getMap(n: string): Y.Map<Y.Map<unknown>> })
        .getMap('annotations')
        .get(mark.id)!
        .set('pressure', 42),
    );
    sync(bad, good);
    const onInvalid = vi.fn();
    expect(readAnnotations(good, onInvalid)).toEqual([]);
    expect(onInvalid).toHaveBeenCalledWith('annotation', mark.id, expect.anything());
  });

  it('merges concurrent edits of different fields by two partners', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const mark = addAnnotation(a, ANA, trap);
    sync(a, b);
    updateAnnotation(a, mark.id, { text: 'from Ana' });
    moveAnnotation(b, mark.id, { view: 'posterior', x: 172, y: 150, regionId: 'posterior-upper-trapezius-left' });
    sync(a, b);
    sync(b, a);
    expect(readAnnotations(a)).toEqual(readAnnotations(b));
    expect(readAnnotations(a)[0]).toMatchObject({ text: 'from Ana', position: { x: 172 } });
  });

  it('undoes only my own changes, never my partner’s', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const undo = createDebriefUndoManager(a);
    const mine = addAnnotation(a, ANA, trap);
    sync(a, b);
    const theirs = addAnnotation(b, BEN, { ...trap, round: 2 });
    sync(b, a);
    undo.undo();
    expect(readAnnotations(a).map((x) => x.id)).toEqual([theirs.id]);
    undo.redo();
    expect(
      readAnnotations(a)
        .map((x) => x.id)
        .sort(),
    ).toEqual([mine.id, theirs.id].sort());
  });
});

describe('threads', () => {
  it('keeps replies, edits, tombstones, reactions and status changes in order', () => {
    const doc = new Y.Doc();
    const mark = addAnnotation(doc, ANA, trap);
    const reply = addReply(doc, mark.id, BEN, { text: 'was it the angle or the depth?', mentions: [ANA] }, { now: 10 });
    editReply(doc, reply.id, BEN, 'the angle or the depth?', { now: 20 });
    toggleReaction(doc, reply.id, ANA, '👍');
    setAnnotationStatus(doc, mark.id, 'resolved', ANA, { now: 30 });
    const [first, second] = readThread(doc, mark.id);
    expect(first).toMatchObject({
      kind: 'reply',
      text: 'the angle or the depth?',
      editedAt: 20,
      reactions: { '👍': [ANA] },
    });
    expect(second).toMatchObject({ kind: 'resolved', authorId: ANA, createdAt: 30 });
    expect(readAnnotations(doc)[0]).toMatchObject({ status: 'resolved', statusChangedBy: ANA, statusChangedAt: 30 });

    deleteReply(doc, reply.id, BEN);
    expect(readThread(doc, mark.id)[0]).toMatchObject({ deleted: true, text: '' });
  });

  it("refuses to change someone else's reply, an empty reply or one that is too long", () => {
    const doc = new Y.Doc();
    const mark = addAnnotation(doc, ANA, trap);
    const reply = addReply(doc, mark.id, BEN, { text: 'mine' });
    expect(() => editReply(doc, reply.id, ANA, 'hijacked')).toThrow(/author/);
    expect(() => deleteReply(doc, reply.id, ANA)).toThrow(/author/);
    expect(() => addReply(doc, mark.id, ANA, { text: '   ' })).toThrow();
    expect(() => addReply(doc, mark.id, ANA, { text: 'x'.repeat(5000) })).toThrow();
  });

  it('deleting a mark removes its thread', () => {
    const doc = new Y.Doc();
    const mark = addAnnotation(doc, ANA, trap);
    addReply(doc, mark.id, ANA, { text: 'note to self' });
    deleteAnnotation(doc, mark.id, ANA);
    expect(readThread(doc)).toEqual([]);
  });

  it('only the author deletes a mark, and not once the partner has written in its thread', () => {
    const doc = new Y.Doc();
    const mark = addAnnotation(doc, ANA, trap);
    expect(() => deleteAnnotation(doc, mark.id, BEN)).toThrow(/only the author/);
    addReply(doc, mark.id, BEN, { text: 'hi' });
    expect(() => deleteAnnotation(doc, mark.id, ANA)).toThrow(/resolve the mark instead/);
    expect(readAnnotations(doc)).toHaveLength(1);
  });
});

describe('schema version', () => {
  /** A step from version 1 to 2 that (for the test) rewrites every mark's note. */
  const noteUpgrade = {
    steps: { 1: (doc: Y.Doc) => annotationsOf(doc).forEach((mark) => mark.set('text', `v2: ${mark.get('text')}`)) },
    current: 2,
  };
  const updatesOf = (doc: Y.Doc) => {
    const seen: unknown[] = [];
    doc.on('update', (_update: Uint8Array, origin: unknown) => seen.push(origin));
    return seen;
  };

  it('is written with the first mark and read as current', () => {
    const doc = new Y.Doc();
    expect(schemaVersionOf(doc)).toBe('current');
    addAnnotation(doc, BEN, { ...trap, text: 'note' });
    expect(metaOf(doc).get(SCHEMA_VERSION_KEY)).toBe(DEBRIEF_SCHEMA_VERSION);
    expect(schemaVersionOf(doc)).toBe('current');
    const seen = updatesOf(doc);
    upgradeDebrief(doc, 'server');
    expect(seen).toEqual([]);
  });

  it('upgrades an older document step by step in one transaction of the given origin', () => {
    const doc = new Y.Doc();
    addAnnotation(doc, BEN, { ...trap, text: 'note' });
    expect(schemaVersionOf(doc, 2)).toBe('older');
    const seen = updatesOf(doc);
    upgradeDebrief(doc, 'server', noteUpgrade);
    expect(seen).toEqual(['server']);
    expect(readAnnotations(doc)[0]?.text).toBe('v2: note');
    expect(metaOf(doc).get(SCHEMA_VERSION_KEY)).toBe(2);
    expect(schemaVersionOf(doc, 2)).toBe('current');
  });

  it('leaves a document from a newer version, or one it has no step for, as it is', () => {
    const newer = new Y.Doc();
    addAnnotation(newer, BEN, { ...trap, text: 'note' });
    metaOf(newer).set(SCHEMA_VERSION_KEY, 3);
    expect(schemaVersionOf(newer, 2)).toBe('newer');
    const seen = updatesOf(newer);
    upgradeDebrief(newer, 'server', noteUpgrade);
    expect(seen).toEqual([]);

    const older = new Y.Doc();
    addAnnotation(older, BEN, { ...trap, text: 'note' });
    expect(() => upgradeDebrief(older, 'server', { steps: {}, current: 2 })).toThrow(/from schema version 1/);
    expect(readAnnotations(older)[0]?.text).toBe('note');
    expect(metaOf(older).get(SCHEMA_VERSION_KEY)).toBe(1);
  });
});
