import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addAnnotation,
  addReply,
  annotationsOf,
  createDebriefUndoManager,
  deleteAnnotation,
  editReply,
  metaOf,
  readAnnotations,
  readThread,
  setAnnotationStatus,
  threadOf,
  toggleReaction,
  updateAnnotation,
} from './debrief-doc.ts';
import { debriefKind, MAX_MARKS_PER_DEBRIEF } from './debrief-rules.ts';
import { bindDevices, deviceOwner, DEVICES_ROOT } from './devices.ts';
import { DocGuard, type Admission, type DocKind } from './doc-guard.ts';
import type { AnnotationInput } from '../schemas/annotation.ts';

const ANA = 'aaaaaaaaaaaaaaaaaaaaaaaa';
const BEN = 'bbbbbbbbbbbbbbbbbbbbbbbb';
const trap: AnnotationInput = {
  round: 1,
  position: { view: 'posterior', x: 170, y: 149, regionId: 'posterior-upper-trapezius-left' },
  category: 'praise',
};

/** The server's live document behind its guard, and one device per partner. */
function setup(kind: DocKind = debriefKind, opts: { guid?: string } = {}) {
  // the hub names the document by its exchange's id (see DocRoom.doc)
  const live = new Y.Doc({ guid: opts.guid });
  const guard = new DocGuard(kind, live);
  const devices: Record<string, Y.Doc> = { [ANA]: new Y.Doc(), [BEN]: new Y.Doc() };
  const liveUpdate = (u: Uint8Array, origin: unknown) => {
    if (origin !== 'admitted') guard.mirror(u);
  };
  live.on('update', liveUpdate);
  /** Sends everything `user`'s device has and the server lacks; applies it when admitted. */
  const send = (user: string, update?: Uint8Array): Admission => {
    const device = devices[user]!;
    const result = guard.admit(update ?? Y.encodeStateAsUpdate(device, Y.encodeStateVector(live)), user);
    if (result.ok) {
      if (result.newDevices.size > 0) live.transact(() => bindDevices(live, result.newDevices));
      if (result.applied) Y.applyUpdate(live, result.applied, 'admitted');
    }
    return result;
  };
  /** Brings a device up to date with the server. */
  const pull = (user: string) => Y.applyUpdate(devices[user]!, Y.encodeStateAsUpdate(live));
  return { live, guard, ana: devices[ANA]!, ben: devices[BEN]!, send, pull };
}

/** A mark by Ana that both devices have. */
function withAnasMark() {
  const s = setup();
  const mark = addAnnotation(s.ana, ANA, trap);
  expect(s.send(ANA)).toMatchObject({ ok: true });
  s.pull(BEN);
  return { ...s, mark };
}

/** lib0's variable-length unsigned integers, as Yjs updates encode them. */
function varUints(values: number[]): Uint8Array {
  const bytes: number[] = [];
  for (let v of values) {
    while (v > 0x7f) {
      bytes.push(0x80 | (v & 0x7f));
      v = Math.floor(v / 128);
    }
    bytes.push(v);
  }
  return Uint8Array.from(bytes);
}

const refused = (reason?: RegExp) => ({
  ok: false,
  reason: reason ? expect.stringMatching(reason) : expect.any(String),
});

describe('debrief rules, judged on what a change does', () => {
  it('accepts marks, replies, status changes and reactions written by their authors', () => {
    const s = withAnasMark();
    const reply = addReply(s.ben, s.mark.id, BEN, { text: 'felt great' });
    setAnnotationStatus(s.ben, s.mark.id, 'resolved', BEN);
    toggleReaction(s.ben, reply.id, BEN, '👍');
    updateAnnotation(s.ben, s.mark.id, { text: 'Ben adds a note to the shared mark' });
    expect(s.send(BEN)).toMatchObject({ ok: true });
    expect(readThread(s.live, s.mark.id)).toHaveLength(2);
    expect(readAnnotations(s.live)[0]).toMatchObject({
      status: 'resolved',
      text: 'Ben adds a note to the shared mark',
    });
  });

  it('lets an author delete their own mark, and undo that', () => {
    const s = withAnasMark();
    const undo = createDebriefUndoManager(s.ana);
    deleteAnnotation(s.ana, s.mark.id, ANA);
    expect(s.send(ANA)).toMatchObject({ ok: true });
    expect(readAnnotations(s.live)).toHaveLength(0);
    undo.undo();
    expect(s.send(ANA)).toMatchObject({ ok: true });
    expect(readAnnotations(s.live)).toHaveLength(1);
  });

  it("refuses deleting a partner's mark, reply, reaction or the schema version", () => {
    const s = withAnasMark();
    const reply = addReply(s.ana, s.mark.id, ANA, { text: 'mine' });
    toggleReaction(s.ana, reply.id, ANA, '💡');
    expect(s.send(ANA)).toMatchObject({ ok: true });
    s.pull(BEN);
    const attacks: ((doc: Y.Doc) => void)[] = [
      (doc) => annotationsOf(doc).delete(s.mark.id),
      (doc) => threadOf(doc).delete(reply.id),
      (doc) => (threadOf(doc).get(reply.id)!.get('reactions') as Y.Map<boolean>).delete(`💡|${ANA}`),
      (doc) => metaOf(doc).delete('schemaVersion'),
      (doc) => metaOf(doc).set('schemaVersion', 99),
    ];
    for (const attack of attacks) {
      const ben = new Y.Doc();
      Y.applyUpdate(ben, Y.encodeStateAsUpdate(s.live));
      attack(ben);
      expect(s.guard.admit(Y.encodeStateAsUpdate(ben, Y.encodeStateVector(s.live)), BEN)).toEqual(refused());
    }
    expect(readAnnotations(s.live)).toHaveLength(1);
    expect(readThread(s.live, s.mark.id)[0]?.reactions).toEqual({ '💡': [ANA] });
  });

  it('refuses deleting one’s own mark once the partner replied or reacted in its thread', () => {
    const replied = withAnasMark();
    addReply(replied.ben, replied.mark.id, BEN, { text: 'a question' });
    expect(replied.send(BEN)).toMatchObject({ ok: true });
    replied.pull(ANA);
    annotationsOf(replied.ana).delete(replied.mark.id);
    expect(replied.send(ANA)).toEqual(refused(/partner/));

    const reacted = withAnasMark();
    const reply = addReply(reacted.ana, reacted.mark.id, ANA, { text: 'mine' });
    reacted.send(ANA);
    reacted.pull(BEN);
    toggleReaction(reacted.ben, reply.id, BEN, '👍');
    expect(reacted.send(BEN)).toMatchObject({ ok: true });
    reacted.pull(ANA);
    reacted.ana.transact(() => {
      threadOf(reacted.ana).delete(reply.id);
      annotationsOf(reacted.ana).delete(reacted.mark.id);
    });
    expect(reacted.send(ANA)).toEqual(refused(/reacted/));
  });

  it('refuses forged identity: authorId, statusChangedBy, reactions, times in the future', () => {
    const s = withAnasMark();
    const attempts: ((doc: Y.Doc) => void)[] = [
      (doc) => addAnnotation(doc, ANA, trap),
      (doc) => addReply(doc, s.mark.id, ANA, { text: 'in her name' }),
      (doc) => annotationsOf(doc).get(s.mark.id)!.set('statusChangedBy', ANA),
      (doc) => annotationsOf(doc).get(s.mark.id)!.set('authorId', BEN),
      (doc) => addAnnotation(doc, BEN, trap, { now: Date.now() + 3 * 60 * 60_000 }),
      (doc) => {
        const reply = addReply(doc, s.mark.id, BEN, { text: 'hi' });
        (threadOf(doc).get(reply.id)!.get('reactions') as Y.Map<boolean>).set(`👍|${ANA}`, true);
      },
    ];
    for (const attempt of attempts) {
      const ben = new Y.Doc();
      Y.applyUpdate(ben, Y.encodeStateAsUpdate(s.live));
      attempt(ben);
      expect(s.guard.admit(Y.encodeStateAsUpdate(ben, Y.encodeStateVector(s.live)), BEN)).toEqual(refused());
    }
  });

  it("refuses changing a partner's reply, directly or by flipping its kind, or re-setting its author", () => {
    const s = withAnasMark();
    const reply = addReply(s.ana, s.mark.id, ANA, { text: 'her words' });
    s.send(ANA);
    const attempts: ((entry: Y.Map<unknown>) => void)[] = [
      (entry) => entry.set('text', 'my words'),
      (entry) => {
        entry.set('kind', 'resolved');
        entry.set('text', 'my words');
        entry.set('kind', 'reply');
      },
      (entry) => {
        entry.delete('authorId');
        entry.set('authorId', BEN);
      },
      (entry) => entry.delete('mentions'),
    ];
    for (const attempt of attempts) {
      const ben = new Y.Doc();
      Y.applyUpdate(ben, Y.encodeStateAsUpdate(s.live));
      ben.transact(() => attempt(threadOf(ben).get(reply.id)!));
      expect(s.guard.admit(Y.encodeStateAsUpdate(ben, Y.encodeStateVector(s.live)), BEN)).toEqual(refused());
    }
    expect(readThread(s.live, s.mark.id)[0]).toMatchObject({ text: 'her words', authorId: ANA, kind: 'reply' });
  });

  it('refuses invalid values, unknown fields, a key that is not the id and unknown roots; ignores device records', () => {
    const s = withAnasMark();
    const mark = (doc: Y.Doc) => annotationsOf(doc).get(s.mark.id)!;
    const attempts: [(doc: Y.Doc) => void, RegExp][] = [
      [(doc) => mark(doc).set('x', 'foo'), /^invalid mark: x: /],
      [(doc) => mark(doc).set('hidden', true), /^invalid mark: a mark has no field "hidden"/],
      [(doc) => mark(doc).set('position', { view: 'back', x: 1, y: 1, regionId: 'x' }), /no field "position"/],
      [(doc) => mark(doc).set('__proto__', { view: 'back' }), /no field "__proto__"/],
      [(doc) => mark(doc).set('text', new Y.Text('embedded')), /^invalid mark: text: /],
      // a whole new mark of Ben's own, with a field its shape lacks or an embedded value
      ...(
        [
          ['position', 'x'.repeat(10_000), /storedPosition/],
          ['__proto__', { view: 'back' }, /__proto__/],
          ['category', new Y.Text('pressure'), /^invalid mark: category: /],
        ] as const
      ).map(([key, value, reason]): [(doc: Y.Doc) => void, RegExp] => [
        (doc) => {
          const own = addAnnotation(doc, BEN, trap);
          annotationsOf(doc).get(own.id)!.set(key, value);
        },
        reason,
      ]),
      [
        (doc) => {
          const reply = addReply(doc, s.mark.id, BEN, { text: 'a reply of his own' });
          threadOf(doc).get(reply.id)!.set('__proto__', { text: 'hidden' });
        },
        /^invalid thread entry: .*__proto__/,
      ],
      [(doc) => mark(doc).set('text', 'x'.repeat(2_001)), /^invalid mark: text: /],
      [(doc) => mark(doc).set('regionId', 'the-moon'), /^invalid mark: regionId: unknown body region/],
      [(doc) => mark(doc).set('tags', ['Not A Tag']), /^invalid mark: tags\.0: /],
      [
        (doc) => {
          // a valid field beside an invalid one
          mark(doc).set('text', 'fine');
          mark(doc).set('category', 'nonsense');
        },
        /^invalid mark: category: /,
      ],
      [
        (doc) => {
          const copy = new Y.Map<unknown>();
          for (const [k, v] of mark(doc).entries()) copy.set(k, k === 'authorId' ? BEN : v);
          annotationsOf(doc).set('fresh-key', copy);
        },
        /key must equal its id/,
      ],
      [(doc) => doc.getMap('junk').set('a', 'x'.repeat(1000)), /"junk" is not part of a debrief/],
      [(doc) => doc.getArray('junk').push(['x']), /"junk" is not part of a debrief/],
    ];
    for (const [attempt, reason] of attempts) {
      const ben = new Y.Doc();
      Y.applyUpdate(ben, Y.encodeStateAsUpdate(s.live));
      attempt(ben);
      expect(s.guard.admit(Y.encodeStateAsUpdate(ben, Y.encodeStateVector(s.live)), BEN)).toEqual(refused(reason));
    }
    expect(readAnnotations(s.live)).toEqual([s.mark]);
    // device records are the server's: from a device they read as records a crashed server
    // lost, and are left out like them
    const ben = new Y.Doc();
    Y.applyUpdate(ben, Y.encodeStateAsUpdate(s.live));
    ben.getMap(DEVICES_ROOT).set('123', BEN);
    expect(s.send(BEN, Y.encodeStateAsUpdate(ben, Y.encodeStateVector(s.live)))).toMatchObject({ ok: true });
    expect(deviceOwner(s.live, 123)).toBeUndefined();
  });

  it('refuses a value packed as several elements under one key (Y.Map reads the last)', () => {
    const s = withAnasMark();
    const ben = new Y.Doc();
    Y.applyUpdate(ben, Y.encodeStateAsUpdate(s.live));
    const mark = annotationsOf(ben).get(s.mark.id)!;
    ben.transact((tr) => {
      const left = mark._map.get('text')!;
      const id = Y.createID(ben.clientID, Y.getState(ben.store, ben.clientID));
      new Y.Item(id, left, left.lastId, null, null, mark, 'text', new Y.ContentAny(['ok', 'x'.repeat(50)])).integrate(
        tr,
        0,
      );
    });
    expect(s.guard.admit(Y.encodeStateAsUpdate(ben, Y.encodeStateVector(s.live)), BEN)).toEqual(
      refused(/several values/),
    );
  });

  it("gives no effect to changes under a partner's device id, even after the server forgot its memory", () => {
    const s = withAnasMark();
    const ben = new Y.Doc();
    Y.applyUpdate(ben, Y.encodeStateAsUpdate(s.live));
    ben.clientID = s.ana.clientID; // after loading: Yjs would pick a new id on seeing its own in a remote change
    addAnnotation(ben, BEN, trap);
    const update = Y.encodeStateAsUpdate(ben, Y.encodeStateVector(s.live));
    // the server cannot tell them from Ana's changes it lost in a crash, which Ben's device
    // would send back the same way: left out, not refused
    const nothingApplied = {
      ok: true,
      applied: null,
      newDevices: new Map(),
      askAgainAt: new Map(),
      completedOthers: false,
    };
    expect(s.guard.admit(update, BEN)).toEqual(nothingApplied);
    // a fresh guard over the stored document (a reloaded room) still knows the binding
    expect(new DocGuard(debriefKind, s.live).admit(update, BEN)).toEqual(nothingApplied);
    expect(readAnnotations(s.live)).toEqual([s.mark]);
    // Ana's own next change, in the very clocks Ben wrote under, is hers
    const hers = addAnnotation(s.ana, ANA, trap);
    expect(s.send(ANA)).toMatchObject({ ok: true });
    expect(readAnnotations(s.live).map((m) => m.id)).toEqual([s.mark.id, hers.id]);
  });

  it("never lets a deletion of a partner's changes the server has not received take effect", () => {
    const s = withAnasMark();
    const anaClock = Y.getState(s.live.store, s.ana.clientID);
    // an update of no structs and one deletion: Ana's next 1,000 clocks
    const deletesOnly = varUints([0, 1, s.ana.clientID, 1, anaClock, 1_000]);
    expect(s.send(BEN, deletesOnly)).toMatchObject({ ok: true, applied: null });
    addReply(s.ana, s.mark.id, ANA, { text: 'after the attack' });
    expect(s.send(ANA)).toMatchObject({ ok: true });
    expect(readThread(s.live, s.mark.id)).toHaveLength(1);
  });

  it('leaves out the bindings a server lost in a crash when a device sends them back, and binds the device again', () => {
    const s = setup();
    // the server before the crash bound Ana's device and relayed that, then died before storing it
    const lostServer = new Y.Doc();
    lostServer.transact(() => bindDevices(lostServer, new Map([[s.ana.clientID, ANA]])));
    Y.applyUpdate(s.ana, Y.encodeStateAsUpdate(lostServer));
    const mark = addAnnotation(s.ana, ANA, trap);
    expect(s.send(ANA)).toMatchObject({ ok: true });
    expect(readAnnotations(s.live)).toEqual([mark]);
    expect(deviceOwner(s.live, s.ana.clientID)).toBe(ANA);
    expect(deviceOwner(s.live, lostServer.clientID)).toBeUndefined();
  });

  it('judges a change held for missing history when it becomes applicable', () => {
    const s = withAnasMark();
    const reply = addReply(s.ben, s.mark.id, BEN, { text: 'first' });
    const first = Y.encodeStateAsUpdate(s.ben, Y.encodeStateVector(s.live));
    const before = Y.encodeStateVector(s.ben);
    (threadOf(s.ben).get(reply.id)!.get('reactions') as Y.Map<boolean>).set(`👍|${ANA}`, true);
    const forged = Y.encodeStateAsUpdate(s.ben, before); // builds on `first`, which has not arrived
    expect(s.send(BEN, forged)).toMatchObject({ ok: true, applied: null });
    expect(s.send(BEN, first)).toEqual(refused(/your own/));
    expect(readThread(s.live)).toHaveLength(0);
  });

  it('keeps a change held for missing history while it lets its copy go (rest)', () => {
    const s = withAnasMark();
    const reply = addReply(s.ben, s.mark.id, BEN, { text: 'first' });
    const first = Y.encodeStateAsUpdate(s.ben, Y.encodeStateVector(s.live));
    const before = Y.encodeStateVector(s.ben);
    (threadOf(s.ben).get(reply.id)!.get('reactions') as Y.Map<boolean>).set(`👍|${ANA}`, true);
    expect(s.send(BEN, Y.encodeStateAsUpdate(s.ben, before))).toMatchObject({ ok: true, applied: null });
    s.guard.rest();
    expect(s.send(BEN, first)).toEqual(refused(/your own/));
    expect(readThread(s.live)).toHaveLength(0);
  });

  it('judges as before after resting, and from a new guard that has not copied the document yet', () => {
    const s = withAnasMark();
    s.guard.rest();
    const reloaded = new DocGuard(debriefKind, s.live);
    annotationsOf(s.ben).delete(s.mark.id); // Ana's mark; only a deletion, no new structs
    const deletion = Y.encodeStateAsUpdate(s.ben, Y.encodeStateVector(s.live));
    expect(reloaded.admit(deletion, BEN)).toEqual(refused());
    expect(s.send(BEN, deletion)).toEqual(refused());
    // a device in step sends back what the server has: nothing to apply
    expect(reloaded.admit(Y.encodeStateAsUpdate(s.live), BEN)).toEqual({
      ok: true,
      applied: null,
      newDevices: new Map(),
      askAgainAt: new Map(),
      completedOthers: false,
    });
    addReply(s.ana, s.mark.id, ANA, { text: 'after resting' });
    expect(s.send(ANA)).toMatchObject({ ok: true });
    expect(readThread(s.live, s.mark.id)).toHaveLength(1);
    expect(readAnnotations(s.live)).toHaveLength(1);
  });

  it('refuses the mark past the per-debrief cap and growth past the size limit', () => {
    const s = setup();
    for (let i = 0; i < MAX_MARKS_PER_DEBRIEF; i++) addAnnotation(s.ana, ANA, trap);
    expect(s.send(ANA)).toMatchObject({ ok: true });
    addAnnotation(s.ana, ANA, trap);
    expect(s.send(ANA)).toEqual(refused(/at most/));

    const small = setup({ ...debriefKind, maxBytes: 32 * 1024 });
    const mark = addAnnotation(small.ana, ANA, trap);
    small.send(ANA);
    let result: Admission = {
      ok: true,
      applied: null,
      newDevices: new Map(),
      askAgainAt: new Map(),
      completedOthers: false,
    };
    for (let i = 0; i < 20 && result.ok; i++) {
      addReply(small.ana, mark.id, ANA, { text: 'x'.repeat(4_000) });
      result = small.send(ANA);
    }
    expect(result).toEqual(refused(/size limit/));
    expect(Y.encodeStateAsUpdate(small.live).length).toBeLessThanOrEqual(32 * 1024);
  });
});

const HOUR = 60 * 60_000;

describe('times: never before what they follow, whenever they arrive', () => {
  /** An exchange created two days ago (its id holds that second), with Ana's mark made an hour ago on both devices. */
  function withOldExchange() {
    const exchangeCreatedAt = Date.now() - 48 * HOUR;
    const guid =
      Math.floor(exchangeCreatedAt / 1000)
        .toString(16)
        .padStart(8, '0') + '0'.repeat(16);
    const s = setup(debriefKind, { guid });
    const mark = addAnnotation(s.ana, ANA, trap, { now: Date.now() - HOUR });
    expect(s.send(ANA)).toMatchObject({ ok: true });
    s.pull(BEN);
    return { ...s, mark, exchangeCreatedAt };
  }

  /** What the server answers to `change` on a copy of Ben's device (his device is left as it was). */
  function bensAttempt(s: ReturnType<typeof withOldExchange>, change: (doc: Y.Doc) => void) {
    const ben = new Y.Doc();
    Y.applyUpdate(ben, Y.encodeStateAsUpdate(s.live));
    change(ben);
    return s.guard.admit(Y.encodeStateAsUpdate(ben, Y.encodeStateVector(s.live)), BEN);
  }

  it.each<[string, (s: ReturnType<typeof withOldExchange>, doc: Y.Doc) => void, RegExp]>([
    [
      'a reply dated 1970',
      (s, doc) => addReply(doc, s.mark.id, BEN, { text: 'first!' }, { now: 0 }),
      /before its mark/,
    ],
    [
      'a reply dated three hours before the mark it answers',
      (s, doc) => addReply(doc, s.mark.id, BEN, { text: 'before' }, { now: s.mark.createdAt - 3 * HOUR }),
      /before its mark/,
    ],
    ['a mark dated 1970', (_s, doc) => addAnnotation(doc, BEN, trap, { now: 0 }), /before the exchange/],
    [
      'a mark dated a day before the exchange was created',
      (s, doc) => addAnnotation(doc, BEN, trap, { now: s.exchangeCreatedAt - 24 * HOUR }),
      /before the exchange/,
    ],
    [
      "Ana's mark stamped as edited in 1970",
      (s, doc) => annotationsOf(doc).get(s.mark.id)!.set('updatedAt', 1),
      /updatedAt is before it was made/,
    ],
    [
      "Ana's mark given a status change time and nothing else",
      (s, doc) => annotationsOf(doc).get(s.mark.id)!.set('statusChangedAt', Date.now()),
      /change together/,
    ],
    [
      "Ana's mark given a status and nothing else",
      (s, doc) => annotationsOf(doc).get(s.mark.id)!.set('status', 'resolved'),
      /change together/,
    ],
    [
      "Ana's mark resolved in 1970",
      (s, doc) => setAnnotationStatus(doc, s.mark.id, 'resolved', BEN, { now: 2 }),
      /(statusChangedAt|updatedAt) is before it was made/,
    ],
  ])('refuses %s', (_what, change, reason) => {
    const s = withOldExchange();
    expect(bensAttempt(s, (doc) => change(s, doc))).toEqual(refused(reason));
  });

  it('refuses a reply edited before it was written', () => {
    const s = withOldExchange();
    const reply = addReply(s.ben, s.mark.id, BEN, { text: 'hm' });
    expect(s.send(BEN)).toMatchObject({ ok: true });
    editReply(s.ben, reply.id, BEN, 'hmm', { now: 0 });
    expect(s.send(BEN)).toEqual(refused(/edited before it was written/));
  });

  // concurrent writes to one key are ordered by the devices' Yjs client ids: both orders
  it.each([-1, 1])(
    "accepts what an offline device wrote hours ago, after what reached the server since, and clocks a bit off (client id %i from Ana's)",
    (offset) => {
      const s = withOldExchange();
      s.ben.clientID = s.ana.clientID + offset;
      // Ben, offline since Ana's mark, answers it and resolves it, and makes a mark of his own
      const offlineReply = addReply(
        s.ben,
        s.mark.id,
        BEN,
        { text: 'too deep, yes' },
        { now: s.mark.createdAt + 60_000 },
      );
      setAnnotationStatus(s.ben, s.mark.id, 'resolved', BEN, { now: s.mark.createdAt + 2 * 60_000 });
      addAnnotation(s.ben, BEN, trap, { now: s.exchangeCreatedAt + 60_000 });
      // meanwhile Ana, online, replies and resolves it too, her clock 30 minutes behind his
      addReply(s.ana, s.mark.id, ANA, { text: 'later words' }, { now: Date.now() });
      setAnnotationStatus(s.ana, s.mark.id, 'resolved', ANA, { now: s.mark.createdAt - 30 * 60_000 });
      expect(s.send(ANA)).toMatchObject({ ok: true });
      // Ben's device comes back: everything it wrote arrives, older than Ana's words
      expect(s.send(BEN)).toMatchObject({ ok: true });
      const thread = readThread(s.live, s.mark.id);
      expect(thread.map((t) => t.id)).toContain(offlineReply.id);
      expect(thread.at(-1)).toMatchObject({ authorId: ANA, text: 'later words' });
      expect(readAnnotations(s.live)).toHaveLength(2);
    },
  );

  it('lets a status change be undone, and a reply be written with a clock half an hour behind the mark', () => {
    const s = withOldExchange();
    const undo = createDebriefUndoManager(s.ben);
    setAnnotationStatus(s.ben, s.mark.id, 'resolved', BEN);
    expect(s.send(BEN)).toMatchObject({ ok: true });
    undo.undo();
    expect(s.send(BEN)).toMatchObject({ ok: true });
    expect(readAnnotations(s.live)[0]).toMatchObject({ status: 'open', statusChangedAt: null });
    addReply(s.ben, s.mark.id, BEN, { text: 'my tablet runs late' }, { now: s.mark.createdAt - 30 * 60_000 });
    expect(s.send(BEN)).toMatchObject({ ok: true });
  });
});

describe('after a crash lost changes the server had relayed', () => {
  /**
   * Ana's mark reached Ben's device (relayed) but the server died before storing it, and with it
   * the device records it had written meanwhile (Ben's device, first bound then, unless `benBound`).
   */
  function lostMark(benBound: boolean) {
    const s = withAnasMark();
    if (benBound) {
      addReply(s.ben, s.mark.id, BEN, { text: 'stored before the crash' });
      expect(s.send(BEN)).toMatchObject({ ok: true });
      s.pull(ANA);
    }
    const lostServer = new Y.Doc();
    lostServer.transact(() => bindDevices(lostServer, new Map([[s.ben.clientID, BEN]])));
    const lost = addAnnotation(s.ana, ANA, trap);
    const relay = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from));
    relay(s.ana, s.ben);
    /** Ben writes over a field of the lost mark and replies under it; both go to Ana. */
    const benEditsIt = () => {
      updateAnnotation(s.ben, lost.id, { text: 'Ben adds to it' });
      const reply = addReply(s.ben, lost.id, BEN, { text: 'a reply under it' });
      if (!benBound) relay(lostServer, s.ben);
      relay(s.ben, s.ana);
      return reply;
    };
    return { ...s, lost, benEditsIt };
  }

  it("takes Ben's overwrite and reply, sent back before Ana's device sends her mark", () => {
    const s = lostMark(true);
    const reply = s.benEditsIt();
    const first = s.send(BEN);
    expect(first).toMatchObject({ ok: true });
    if (!first.ok) return;
    expect(readAnnotations(s.live).map((m) => m.id)).toEqual([s.mark.id]); // nothing of Ana's planted
    expect(first.askAgainAt.size).toBeGreaterThan(0);
    // Ben's edits, held for her mark, take effect with it: what applies goes to her device too
    expect(s.send(ANA)).toMatchObject({ ok: true, completedOthers: true });
    expect(s.guard.received(new Map([[BEN, first.askAgainAt]]))).toEqual([BEN]); // the server asks Ben's device again
    expect(s.send(BEN)).toMatchObject({ ok: true });
    expect(readAnnotations(s.live).find((m) => m.id === s.lost.id)).toMatchObject({ text: 'Ben adds to it' });
    expect(readThread(s.live, s.lost.id).map((e) => e.id)).toEqual([reply.id]);
  });

  it("takes Ana's mark when her device sends first, though it shows Ben's overwrite and his device was bound in the lost part", () => {
    const s = lostMark(false);
    const reply = s.benEditsIt();
    // her device holds the overwritten fields deleted: her mark is whole only with Ben's values
    const first = s.send(ANA);
    expect(first).toMatchObject({ ok: true, applied: null });
    if (!first.ok) return;
    expect(s.send(BEN)).toMatchObject({ ok: true });
    expect(s.guard.received(new Map([[BEN, first.askAgainAt]]))).toEqual([BEN]); // the server asks Ana's device again
    expect(s.send(ANA)).toMatchObject({ ok: true });
    expect(deviceOwner(s.live, s.ben.clientID)).toBe(BEN);
    expect(readAnnotations(s.live).find((m) => m.id === s.lost.id)).toMatchObject({ text: 'Ben adds to it' });
    expect(readThread(s.live, s.lost.id).map((e) => e.id)).toEqual([reply.id]);
  });

  it("asks Ben's device again only once the server has more than it had: not for Ana's lost overwrite of her stored value", () => {
    const s = withAnasMark();
    updateAnnotation(s.ana, s.mark.id, { text: 'stored' });
    expect(s.send(ANA)).toMatchObject({ ok: true });
    s.pull(BEN);
    // her next value, relayed to Ben and lost: his device holds it and the deletion of the stored one
    updateAnnotation(s.ana, s.mark.id, { text: 'relayed, never stored' });
    Y.applyUpdate(s.ben, Y.encodeStateAsUpdate(s.ana));
    const sent = s.send(BEN);
    expect(sent).toMatchObject({ ok: true, applied: null });
    if (!sent.ok) return;
    // asked again at once, his device would answer the same, and again, until Ana's device is back
    expect(s.guard.received(new Map([[BEN, sent.askAgainAt]]))).toEqual([]);
    expect(readAnnotations(s.live)[0]).toMatchObject({ text: 'stored' });
  });

  it("does not refuse Ben's device when all it sends back is Ana's lost mark", () => {
    const s = lostMark(true);
    expect(s.send(BEN)).toEqual({
      ok: true,
      applied: null,
      newDevices: new Map(),
      askAgainAt: new Map(),
      completedOthers: false,
    });
    expect(s.send(ANA)).toMatchObject({ ok: true });
    expect(readAnnotations(s.live).map((m) => m.id)).toEqual([s.mark.id, s.lost.id]);
  });
});
