// Technique notes' content through the real endpoints: search (words, facets, scopes, passages),
// versions (name, read, compare, restore seen live), Markdown export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { noteBody, noteDocName, setNoteField } from '@kneadback/shared/docs/note-doc';
import { noteBodyText } from '@kneadback/shared/docs/note-text';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { eventually } from '../helpers/eventually.ts';
import { appendParagraph, notesCast, sharedNote, type NotesCast } from '../helpers/notes.ts';
import { everyone, saveProfile } from '../helpers/profile-fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let cast: NotesCast;
const clients: DebriefClient[] = [];

beforeAll(async () => {
  server = await startTestServer({}, { unloadDelayMs: 50 });
  cast = await notesCast(server);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

async function openNote(cookieHeader: string, noteId: string): Promise<DebriefClient> {
  const client = connectDebrief(server.url, cookieHeader, noteDocName(noteId));
  clients.push(client);
  await client.synced();
  return client;
}

describe('search', () => {
  it('finds notes by words in title and body, by facets and scope, with the matching passage', async () => {
    const id = await sharedNote(cast, { title: 'Warm stones first' });
    const editor = await openNote(cast.editor.cookieHeader, id);
    appendParagraph(editor.doc, 'Keep the basalt stones at fifty degrees and test them on your forearm.');
    setNoteField(editor.doc, 'regions', ['posterior-upper-trapezius-left']);
    setNoteField(editor.doc, 'modality', 'hot-stone');
    setNoteField(editor.doc, 'tags', ['lastone']);
    const other = await sharedNote(cast, { title: 'Forearm glide' });

    const search = (user: typeof cast.owner, query: string) => user.client.get(`/api/notes?${query}`);
    const found = await eventually(async () => {
      const res = await search(cast.owner, 'q=basalt+forearm');
      expect(res.body.items.map((n: { id: string }) => n.id)).toEqual([id]);
      return res.body.items[0];
    });
    expect(found.snippet).toContain('basalt stones at fifty degrees');
    const [start, end] = found.highlights[0];
    expect(found.snippet.slice(start, end).toLowerCase()).toBe('basalt');

    const ids = async (user: typeof cast.owner, query: string) =>
      (await search(user, query)).body.items.map((n: { id: string }) => n.id);
    expect(await ids(cast.owner, 'regionId=posterior-upper-trapezius-left')).toEqual([id]);
    expect(await ids(cast.owner, 'modality=hot-stone&kind=technique')).toEqual([id]);
    expect(await ids(cast.owner, 'tag=lastone')).toEqual([id]);
    // relevance: a title match outranks a body match
    expect((await ids(cast.owner, 'q=forearm&scope=mine')).slice(0, 2)).toEqual([other, id]);
    expect(await ids(cast.reader, `q=basalt&scope=shared&authorId=${cast.owner.user.id}`)).toEqual([id]);
    expect(await ids(cast.reader, 'q=basalt&scope=mine')).toEqual([]);
    expect(await ids(cast.outsider, 'q=basalt')).toEqual([]);
    expect(await ids(cast.outsider, 'q=basalt&scope=community')).toEqual([]);

    await cast.owner.client.put(`/api/notes/${id}/community`, { published: true });
    expect(await ids(cast.outsider, 'q=basalt&scope=community')).toEqual([id]);

    const bad = await search(cast.owner, 'regionId=nowhere');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ field: 'regionId', message: 'regionId: unknown body region' });
  });
});

describe('history', () => {
  it('names a version, compares it with now, and restores it as an edit everyone connected sees', async () => {
    const id = await sharedNote(cast, { title: 'Thumb stacking' });
    const owner = await openNote(cast.owner.cookieHeader, id);
    const editor = await openNote(cast.editor.cookieHeader, id);
    appendParagraph(owner.doc, 'Stack the thumbs, pad over pad.');
    await eventually(async () =>
      expect(await server.collab.read(noteDocName(id), noteBodyText)).toBe('Stack the thumbs, pad over pad.'),
    );
    const named = await cast.owner.client.post(`/api/notes/${id}/versions`, { name: 'as Lena taught it' });
    expect(named.status).toBe(201);
    appendParagraph(editor.doc, 'Or use the knuckles instead.');
    await eventually(() => expect(noteBodyText(owner.doc)).toContain('knuckles'));

    const version = await cast.editor.client.get(`/api/notes/${id}/versions/${named.body.version.id}`);
    expect(version.body).toMatchObject({ title: 'Thumb stacking', text: 'Stack the thumbs, pad over pad.' });
    const compared = await cast.editor.client.get(`/api/notes/${id}/versions/${named.body.version.id}/compare`);
    const parts = (op: string) =>
      compared.body.diff.filter((p: { op: string }) => p.op === op).map((p: { text: string }) => p.text.trim());
    expect(parts('added')).toEqual(['Or use the knuckles instead.']);
    expect(parts('removed')).toEqual([]);
    expect(compared.body.then.markdown).not.toContain('knuckles');

    expect((await cast.reader.client.post(`/api/notes/${id}/versions/${named.body.version.id}/restore`)).status).toBe(
      403,
    );
    const restored = await cast.owner.client.post(`/api/notes/${id}/versions/${named.body.version.id}/restore`);
    expect(restored.status).toBe(204);
    await eventually(() => expect(noteBodyText(editor.doc)).toBe('Stack the thumbs, pad over pad.'));
    const versions = await cast.owner.client.get(`/api/notes/${id}/versions`);
    // the state before the restore is kept
    expect(versions.body.versions.map((v: { name: string | null; auto: boolean }) => v.auto)).toContain(true);
    expect(versions.body.versions.find((v: { auto: boolean }) => !v.auto)).toMatchObject({
      name: 'as Lena taught it',
      createdBy: { id: cast.owner.user.id },
    });
  });

  it('keeps at most one automatic version per ten minutes of editing', async () => {
    const id = await sharedNote(cast, { title: 'Draping' });
    const editor = await openNote(cast.editor.cookieHeader, id);
    const autos = async () =>
      (await cast.owner.client.get(`/api/notes/${id}/versions`)).body.versions.filter((v: { auto: boolean }) => v.auto);
    appendParagraph(editor.doc, 'Tuck the sheet firmly.');
    await eventually(async () => expect(await autos()).toHaveLength(1));
    appendParagraph(editor.doc, 'Fold back one leg at a time.');
    // the next projection (the edit searchable) came and went without a second version
    await eventually(async () =>
      expect((await cast.owner.client.get('/api/notes?q=fold+leg&scope=mine')).body.total).toBeGreaterThan(0),
    );
    expect(await autos()).toHaveLength(1);
  });

  it('exports a note as Markdown', async () => {
    const id = await sharedNote(cast, { title: 'Client in tears' });
    const owner = await openNote(cast.owner.cookieHeader, id);
    appendParagraph(owner.doc, 'Pause, keep a hand still on the back, offer a tissue.');
    await eventually(async () => expect(await server.collab.read(noteDocName(id), noteBodyText)).toContain('tissue'));
    const res = await cast.reader.client.get(`/api/notes/${id}/markdown`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(res.headers.get('content-disposition')).toContain('Client%20in%20tears.md');
    expect(res.text).toBe('# Client in tears\n\nPause, keep a hand still on the back, offer a tissue.\n');
  });
});

describe('hostile text in the Markdown export', () => {
  it('keeps code that holds backticks inside its code span, so it cannot become a link', async () => {
    const id = await sharedNote(cast, { title: 'Code span' });
    const owner = await openNote(cast.owner.cookieHeader, id);
    const text = new Y.XmlText();
    text.insert(0, 'a` [tap me](javascript:alert(1)) `b', { code: {} });
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [text]);
    noteBody(owner.doc).insert(noteBody(owner.doc).length, [paragraph]);
    await eventually(async () => expect(await server.collab.read(noteDocName(id), noteBodyText)).toContain('tap me'));
    const res = await cast.reader.client.get(`/api/notes/${id}/markdown`);
    expect(res.text).toBe('# Code span\n\n``a` [tap me](javascript:alert(1)) `b``\n');
  });

  it('escapes a title and a situation’s sections, and fences a code block holding a fence', async () => {
    const created = await cast.owner.client.post('/api/notes', {
      kind: 'situation',
      title: '[title](javascript:alert(1))',
    });
    const id = created.body.note.id;
    const owner = await openNote(cast.owner.cookieHeader, id);
    setNoteField(owner.doc, 'whatHappened', 'She said [call me](javascript:alert(2))');
    const text = new Y.XmlText();
    text.insert(0, 'x\n```\n[out](javascript:alert(3))');
    const block = new Y.XmlElement('codeBlock');
    block.insert(0, [text]);
    noteBody(owner.doc).insert(noteBody(owner.doc).length, [block]);
    await eventually(async () => expect(await server.collab.read(noteDocName(id), noteBodyText)).toContain('out'));
    const res = await cast.owner.client.get(`/api/notes/${id}/markdown`);
    expect(res.text).toBe(
      [
        '# \\[title\\](javascript:alert(1))',
        '## What happened\n\nShe said \\[call me\\](javascript:alert(2))',
        '````\nx\n```\n[out](javascript:alert(3))\n````\n',
      ].join('\n\n'),
    );
  });
});

describe('lessons', () => {
  it("says whether the teacher's profile shows a teaching certification for what the note names", async () => {
    const teacher = cast.editor;
    const certification = {
      title: 'LaStone Therapy Instructor',
      modality: 'hot-stone' as const,
      issuer: 'LaStone',
      year: 2019,
      qualifiesToTeach: true,
    };
    await saveProfile(teacher, { certifications: [certification] });
    const created = await cast.owner.client.post('/api/notes', { kind: 'lesson', title: 'Stone temperature' });
    expect(created.status).toBe(201);
    const id = created.body.note.id as string;
    const owner = await openNote(cast.owner.cookieHeader, id);
    setNoteField(owner.doc, 'teacherId', teacher.user.id);
    setNoteField(owner.doc, 'certification', 'lastone therapy instructor');
    const certified = async () => (await cast.owner.client.get(`/api/notes/${id}`)).body.note.teacherCertified;
    await eventually(async () => expect(await certified()).toBe(true));

    setNoteField(owner.doc, 'certification', 'Shiatsu teacher');
    await eventually(async () => expect(await certified()).toBe(false));

    // certifications shown to partners only: the note cannot vouch for them
    await saveProfile(teacher, {
      certifications: [certification],
      visibility: { ...everyone(), certifications: 'partners' },
    });
    await eventually(async () => expect(await certified()).toBeNull());
  });
});
