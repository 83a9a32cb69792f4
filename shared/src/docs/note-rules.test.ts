import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bindDevices } from './devices.ts';
import { DocGuard, type Admission } from './doc-guard.ts';
import { fieldsOf, initNoteDoc, metaOf, noteBody, readNoteFields, restoreNoteFrom, setNoteField } from './note-doc.ts';
import { MAX_NOTE_BYTES, noteKind } from './note-rules.ts';
import { noteBodyText, noteMarkdown } from './note-text.ts';

const ANA = 'aaaaaaaaaaaaaaaaaaaaaaaa';

/** The server's live note behind its guard, and Ana's device holding what the server has. */
function setup() {
  const live = new Y.Doc();
  live.transact(() => initNoteDoc(live, 'technique', { title: 'Stacked thumbs', regions: [] }));
  const guard = new DocGuard(noteKind, live);
  const device = new Y.Doc();
  Y.applyUpdate(device, Y.encodeStateAsUpdate(live));
  const send = (): Admission => {
    const result = guard.admit(Y.encodeStateAsUpdate(device, Y.encodeStateVector(live)), ANA);
    if (result.ok) {
      if (result.newDevices.size > 0) {
        const update = captureUpdate(live, () => bindDevices(live, result.newDevices));
        guard.mirror(update);
      }
      if (result.applied) Y.applyUpdate(live, result.applied);
    }
    return result;
  };
  return { live, device, send };
}

function captureUpdate(doc: Y.Doc, change: () => void): Uint8Array {
  let captured: Uint8Array = new Uint8Array();
  const listener = (u: Uint8Array) => (captured = u);
  doc.on('update', listener);
  doc.transact(change);
  doc.off('update', listener);
  return captured;
}

/** A paragraph as y-prosemirror writes it: an element holding one formatted text. */
function paragraph(text: string, format?: Record<string, unknown>): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  t.insert(0, text, format);
  p.insert(0, [t]);
  return p;
}

describe('note rules', () => {
  it('accepts the editor content: headings, lists, checklists, quotes, marks and web links', () => {
    const { device, send, live } = setup();
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', 2 as unknown as string);
    heading.insert(0, [new Y.XmlText('Setup')]);
    const task = new Y.XmlElement('taskItem');
    task.setAttribute('checked', true as unknown as string);
    task.insert(0, [paragraph('warm the stones')]);
    const tasks = new Y.XmlElement('taskList');
    tasks.insert(0, [task]);
    const link = { link: { href: 'https://example.org/lastone', target: '_blank', rel: 'noopener', class: null } };
    noteBody(device).insert(0, [heading, paragraph('see the guide', link), tasks, paragraph('bold', { bold: {} })]);
    setNoteField(device, 'steps', ['anchor', 'lean in']);
    expect(send()).toMatchObject({ ok: true });
    expect(noteBodyText(live)).toBe('Setup\nsee the guide\nwarm the stones\nbold');
    expect(noteMarkdown(live)).toContain('- [x] warm the stones');
    expect(noteMarkdown(live)).toContain('[see the guide](https://example.org/lastone)');
    expect(readNoteFields(live)).toMatchObject({
      kind: 'technique',
      title: 'Stacked thumbs',
      steps: ['anchor', 'lean in'],
    });
  });

  it.each([
    ['a script element', () => new Y.XmlElement('script'), 'the note\'s text cannot hold "script"'],
    ['an image', () => new Y.XmlElement('image'), 'the note\'s text cannot hold "image"'],
    [
      'a javascript: link',
      () => paragraph('click', { link: { href: 'javascript:alert(1)' } }),
      'links may only go to web (http/https) or e-mail (mailto) addresses',
    ],
    [
      'a data: link',
      () => paragraph('click', { link: { href: 'data:text/html,<script>' } }),
      'links may only go to web (http/https) or e-mail (mailto) addresses',
    ],
    [
      'a link with a leading space',
      () => paragraph('click', { link: { href: ' javascript:alert(1)' } }),
      'links may only go to web (http/https) or e-mail (mailto) addresses',
    ],
    ['an unknown mark', () => paragraph('x', { highlight: { color: 'red' } }), 'unknown formatting "highlight"'],
    [
      'an unknown attribute',
      () => {
        const p = paragraph('x');
        p.setAttribute('onclick', 'alert(1)');
        return p;
      },
      'paragraph has no attribute "onclick"',
    ],
    [
      'a heading level out of range',
      () => {
        const h = new Y.XmlElement('heading');
        h.setAttribute('level', 9 as unknown as string);
        return h;
      },
      'heading has an invalid level',
    ],
  ])('refuses %s in the body', (_what, make, reason) => {
    const { device, send, live } = setup();
    noteBody(device).insert(0, [make()]);
    expect(send()).toEqual({ ok: false, reason });
    expect(noteBody(live).length).toBe(0);
  });

  it('refuses hostile content added later inside existing text', () => {
    const { device, send } = setup();
    noteBody(device).insert(0, [paragraph('fine')]);
    expect(send()).toMatchObject({ ok: true });
    const text = (noteBody(device).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    text.format(0, 4, { link: { href: 'javascript:alert(1)' } });
    expect(send()).toMatchObject({ ok: false, reason: expect.stringContaining('links may only go') });
  });

  it('refuses embedded objects, maps in the body and other roots', () => {
    const embed = setup();
    const text = new Y.XmlText();
    text.insertEmbed(0, { image: 'x' });
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [text]);
    noteBody(embed.device).insert(0, [p]);
    expect(embed.send()).toMatchObject({ ok: false, reason: 'embedded content in text' });

    const other = setup();
    other.device.getMap('evil').set('x', 1);
    expect(other.send()).toMatchObject({ ok: false });
  });

  it('refuses changes to the kind and fields the kind does not have or invalid values', () => {
    const kind = setup();
    metaOf(kind.device).set('kind', 'lesson');
    expect(kind.send()).toMatchObject({ ok: false });

    const unknown = setup();
    fieldsOf(unknown.device).set('teacherId', ANA);
    expect(unknown.send()).toMatchObject({ ok: false, reason: 'a technique note has no field "teacherId"' });

    const long = setup();
    fieldsOf(long.device).set('title', 'x'.repeat(121));
    expect(long.send()).toMatchObject({ ok: false, reason: 'title: a title is at most 120 characters' });

    const tags = setup();
    fieldsOf(tags.device).set('tags', ['Not A Tag']);
    expect(tags.send()).toMatchObject({ ok: false });
  });

  it("checks a lesson's teacher fields: an id, a name, the writer's claim as a yes or no", () => {
    const live = new Y.Doc();
    live.transact(() => initNoteDoc(live, 'lesson', { title: 'Stone temperature' }));
    const guard = new DocGuard(noteKind, live);
    const device = new Y.Doc();
    Y.applyUpdate(device, Y.encodeStateAsUpdate(live));
    setNoteField(device, 'teacherId', 'cccccccccccccccccccccccc');
    setNoteField(device, 'teacherName', 'Lena');
    setNoteField(device, 'teacherClaimsCertification', true);
    setNoteField(device, 'certification', 'LaStone Therapy level 1');
    expect(guard.admit(Y.encodeStateAsUpdate(device, Y.encodeStateVector(live)), ANA)).toMatchObject({ ok: true });
    expect(() => setNoteField(device, 'teacherClaimsCertification', 'yes')).toThrow(/teacherClaimsCertification/);
    fieldsOf(device).set('teacherId', 'not-an-id');
    expect(guard.admit(Y.encodeStateAsUpdate(device, Y.encodeStateVector(live)), ANA)).toMatchObject({
      ok: false,
      reason: 'teacherId: must be a valid id',
    });
  });

  it('refuses a note growing past its size limit with a clear message', () => {
    const { device, send } = setup();
    const chunks = Array.from({ length: 12 }, () => paragraph('x'.repeat(MAX_NOTE_BYTES / 10)));
    noteBody(device).insert(0, chunks);
    expect(send()).toMatchObject({ ok: false, reason: 'the note would grow past its size limit (512 KB)' });
  });

  it('takes no changes before the server created the note', () => {
    const live = new Y.Doc();
    const guard = new DocGuard(noteKind, live);
    const device = new Y.Doc();
    noteBody(device).insert(0, [paragraph('hi')]);
    expect(guard.admit(Y.encodeStateAsUpdate(device), ANA)).toMatchObject({ ok: false });
  });

  it('restores a version as a new change on top', () => {
    const { device, send, live } = setup();
    noteBody(device).insert(0, [paragraph('first')]);
    send();
    const version = new Y.Doc();
    Y.applyUpdate(version, Y.encodeStateAsUpdate(live));
    noteBody(device).insert(1, [paragraph('second')]);
    setNoteField(device, 'title', 'Renamed');
    send();
    live.transact(() => restoreNoteFrom(live, version));
    expect(noteBodyText(live)).toBe('first');
    expect(readNoteFields(live)?.title).toBe('Stacked thumbs');
  });
});
