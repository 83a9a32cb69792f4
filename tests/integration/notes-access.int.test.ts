// Technique notes, every access case through the real endpoints: owner, editor, reader,
// community reader, outsider and anonymous, over HTTP, Socket.IO and the Yjs endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { addAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { noteBody, noteDocName, readNoteFields } from '@kneadback/shared/docs/note-doc';
import { noteBodyText } from '@kneadback/shared/docs/note-text';
import { closeOf, connectDebrief, rawCollabSocket, type DebriefClient } from '../helpers/collab-client.ts';
import { createExchange, upperTrapeziusPressure } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { syncUpdateMessage } from '../helpers/hostile.ts';
import { signUpUser, TestClient, type SignedUpUser } from '../helpers/http-client.ts';
import {
  appendParagraph,
  noteEvents,
  notesCast,
  sharedNote,
  type NotesCast,
  type NotesEventsSocket,
} from '../helpers/notes.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let cast: NotesCast;
const clients: DebriefClient[] = [];
const sockets: NotesEventsSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({}, { unloadDelayMs: 50 });
  cast = await notesCast(server);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.disconnect();
  await server?.stop();
});

function openNote(user: SignedUpUser | null, noteId: string): DebriefClient {
  const client = connectDebrief(server.url, user?.cookieHeader ?? '', noteDocName(noteId));
  clients.push(client);
  return client;
}

const events = (user: SignedUpUser) => noteEvents(server, user, sockets);

const who = () => ({
  owner: cast.owner.client,
  editor: cast.editor.client,
  reader: cast.reader.client,
  community: cast.community.client,
  outsider: cast.outsider.client,
  anonymous: new TestClient(server.url),
});

describe('HTTP', () => {
  it('lets each person do exactly what their access allows', async () => {
    const published = await sharedNote(cast, { published: true });
    const privateNote = await sharedNote(cast);
    const status = async (client: TestClient, method: 'get' | 'post' | 'put', path: string, body?: unknown) =>
      (await client.request(method.toUpperCase(), path, body)).status;
    const expected = {
      owner: { read: 200, privateRead: 200, history: 200, version: 201, share: 200, helpful: 403 },
      editor: { read: 200, privateRead: 200, history: 200, version: 201, share: 403, helpful: 200 },
      reader: { read: 200, privateRead: 200, history: 403, version: 403, share: 403, helpful: 200 },
      community: { read: 200, privateRead: 404, history: 403, version: 403, share: 403, helpful: 200 },
      outsider: { read: 200, privateRead: 404, history: 403, version: 403, share: 403, helpful: 200 },
      anonymous: { read: 401, privateRead: 401, history: 401, version: 401, share: 401, helpful: 401 },
    };
    for (const [name, client] of Object.entries(who())) {
      const got = {
        read: await status(client, 'get', `/api/notes/${published}`),
        privateRead: await status(client, 'get', `/api/notes/${privateNote}`),
        history: await status(client, 'get', `/api/notes/${published}/versions`),
        version: await status(client, 'post', `/api/notes/${published}/versions`, { name: 'before the course' }),
        share: await status(client, 'put', `/api/notes/${published}/community`, { published: true }),
        helpful: await status(client, 'put', `/api/notes/${published}/helpful`),
      };
      expect({ name, ...got }).toEqual({ name, ...expected[name as keyof typeof expected] });
    }
    // on the private note, nobody outside it learns it exists
    expect((await cast.outsider.client.post(`/api/notes/${privateNote}/versions`, { name: 'x' })).status).toBe(404);
    expect((await cast.outsider.client.get(`/api/notes/${privateNote}/markdown`)).status).toBe(404);
    expect((await cast.outsider.client.get(`/api/notes/${privateNote}/comments`)).status).toBe(404);
    expect((await cast.community.client.put(`/api/notes/${privateNote}/helpful`)).status).toBe(404);
  });

  it('counts a helpful mark once per person and keeps comments to published notes', async () => {
    const id = await sharedNote(cast, { published: true });
    await cast.community.client.put(`/api/notes/${id}/helpful`);
    const twice = await cast.community.client.put(`/api/notes/${id}/helpful`);
    expect(twice.body).toEqual({ helpfulCount: 1, helpfulByMe: true });
    // two readers marking it at the same moment both count
    await Promise.all([
      cast.reader.client.put(`/api/notes/${id}/helpful`),
      cast.editor.client.put(`/api/notes/${id}/helpful`),
    ]);
    expect((await cast.outsider.client.get(`/api/notes/${id}`)).body.note).toMatchObject({ helpfulCount: 3 });

    const asked = await cast.community.client.post(`/api/notes/${id}/comments`, { text: 'How warm are the stones?' });
    expect(asked.status).toBe(201);
    const answer = await cast.owner.client.post(`/api/notes/${id}/comments`, { text: 'About 50 °C.' });
    expect(answer.status).toBe(201);
    expect(
      (await cast.owner.client.patch(`/api/notes/${id}/comments/${asked.body.comment.id}`, { text: 'x' })).status,
    ).toBe(403);
    const listed = await cast.outsider.client.get(`/api/notes/${id}/comments`);
    expect(listed.body.comments.map((c: { text: string }) => c.text)).toEqual([
      'How warm are the stones?',
      'About 50 °C.',
    ]);

    // comments and an edit racing each other all land (the thread is rewritten whole)
    const racing = await Promise.all([
      cast.community.client.patch(`/api/notes/${id}/comments/${asked.body.comment.id}`, { text: 'How hot, then?' }),
      ...['one', 'two', 'three', 'four'].map((text) => cast.owner.client.post(`/api/notes/${id}/comments`, { text })),
    ]);
    expect(racing.map((r) => r.status)).toEqual([200, 201, 201, 201, 201]);
    const after = await cast.outsider.client.get(`/api/notes/${id}/comments`);
    expect(after.body.comments.map((c: { text: string }) => c.text).sort()).toEqual(
      ['About 50 °C.', 'How hot, then?', 'four', 'one', 'three', 'two'].sort(),
    );

    const privateNote = await sharedNote(cast);
    const refused = await cast.reader.client.post(`/api/notes/${privateNote}/comments`, { text: 'hi' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/published/);
  });

  it('validates titles, tags and shares with the shared schemas, naming the field', async () => {
    const long = await cast.owner.client.post('/api/notes', { kind: 'technique', title: 'x'.repeat(121) });
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ field: 'title', message: 'title: a title is at most 120 characters' });
    const tag = await cast.owner.client.post('/api/notes', { kind: 'technique', tags: ['Not a tag!'] });
    expect(tag.status).toBe(400);
    expect(tag.body.error.field).toBe('tags.0');
    const kind = await cast.owner.client.post('/api/notes', { kind: 'recipe' });
    expect(kind.body.error.field).toBe('kind');

    const id = await sharedNote(cast);
    const stranger = await cast.owner.client.put(`/api/notes/${id}/shares/${cast.community.user.id}`, {
      role: 'editor',
    });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error.message).toBe('notes can be shared only with your exchange partners');
    const role = await cast.owner.client.put(`/api/notes/${id}/shares/${cast.editor.user.id}`, { role: 'admin' });
    expect(role.body.error.field).toBe('role');
  });
});

describe('history', () => {
  it('shows earlier versions only to the author and editors: a client named in a draft stays out of reach once published', async () => {
    const id = await sharedNote(cast, { title: 'Hard session' });
    const owner = openNote(cast.owner, id);
    await owner.synced();
    const stored = () => server.collab.read(noteDocName(id), noteBodyText);
    appendParagraph(owner.doc, 'Client Maria Souza (born 1961) got an erection during the session.');
    await eventually(async () => expect(await stored()).toContain('Souza'));
    expect((await cast.owner.client.post(`/api/notes/${id}/versions`, { name: 'draft' })).status).toBe(201);
    // the author scrubs the client's identity, then publishes
    owner.doc.transact(() => noteBody(owner.doc).delete(0, noteBody(owner.doc).length));
    appendParagraph(owner.doc, 'A client got an erection; I stayed calm and changed stroke.');
    await eventually(async () => expect(await stored()).not.toContain('Souza'));
    expect((await cast.owner.client.put(`/api/notes/${id}/community`, { published: true })).status).toBe(200);

    // the named draft and the automatic version of the first edit
    const versions = await eventually(async () => {
      const listed = (await cast.editor.client.get(`/api/notes/${id}/versions`)).body.versions as {
        id: string;
        name: string | null;
      }[];
      expect(listed.length).toBe(2);
      return listed;
    });
    const paths = [
      `/api/notes/${id}/versions`,
      ...[...versions.map((v) => v.id), 'ffffffffffffffff'].flatMap((v) => [
        `/api/notes/${id}/versions/${v}`,
        `/api/notes/${id}/versions/${v}/compare`,
      ]),
    ];
    const draftId = versions.find((v) => v.name === 'draft')!.id;
    const draft = await cast.editor.client.get(`/api/notes/${id}/versions/${draftId}`);
    expect(draft.body.text).toContain('Souza');
    for (const user of [cast.owner, cast.editor]) {
      for (const path of paths.filter((p) => !p.includes('ffff'))) {
        expect((await user.client.get(path)).status, path).toBe(200);
      }
    }
    // readers of the note as it is now (the live document keeps no deleted text): the same refusal
    // whether or not a version exists
    const live = openNote(cast.community, id);
    await live.synced();
    expect(Buffer.from(Y.encodeStateAsUpdate(live.doc)).toString('latin1')).not.toContain('Souza');
    for (const user of [cast.reader, cast.community, cast.outsider]) {
      expect((await user.client.get(`/api/notes/${id}`)).status).toBe(200);
      for (const path of paths) {
        const res = await user.client.get(path);
        expect({ path, status: res.status, code: res.body.error?.code }).toEqual({
          path,
          status: 403,
          code: 'forbidden',
        });
        expect(res.body.error.message).toMatch(/earlier versions/);
        expect(res.text).not.toContain('Souza');
      }
    }
  });
});

describe('bad input', () => {
  it('answers malformed or wrong-shaped bodies and odd queries on every notes route with a 4xx naming the problem', async () => {
    const id = await sharedNote(cast, { published: true });
    const routes: [string, string][] = [
      ['POST', '/api/notes'],
      ['PUT', `/api/notes/${id}/shares/${cast.editor.user.id}`],
      ['PUT', `/api/notes/${id}/community`],
      ['POST', `/api/notes/${id}/links`],
      ['POST', `/api/notes/${id}/versions`],
      ['POST', `/api/notes/${id}/comments`],
    ];
    for (const [method, path] of routes) {
      const malformed = await cast.owner.client.request(method, path, undefined, { rawBody: '{"a":' });
      expect(malformed.status, path).toBe(400);
      expect(malformed.body.error.code).toBe('invalid_json');
      for (const body of [
        null,
        [],
        42,
        { kind: { $gt: '' } },
        { role: 'owner' },
        { name: '' },
        { text: 'x'.repeat(5000) },
      ]) {
        const res = await cast.owner.client.request(method, path, body);
        expect(String(res.status), `${method} ${path} ${JSON.stringify(body)}`).toMatch(/^4\d\d$/);
        expect(res.body.error.message).toEqual(expect.any(String));
      }
    }
    for (const query of [
      'q=' + 'x'.repeat(300),
      'scope=everyone',
      'sort=best',
      'pageSize=1e9',
      'page=%',
      'tag[$ne]=x',
      'kind=a&kind=b',
    ]) {
      const res = await cast.owner.client.get(`/api/notes?${query}`);
      expect(String(res.status), query).toMatch(/^4\d\d$/);
    }
    for (const path of [
      '/api/notes/%ZZ',
      `/api/notes/${'a'.repeat(5000)}`,
      '/api/notes/ffffffffffffffffffffffff/versions/x',
    ]) {
      expect((await cast.owner.client.get(path)).status, path.slice(0, 40)).toBe(path.includes('%') ? 400 : 404);
    }
    expect((await cast.owner.client.get('/healthz')).status).toBe(200);
  });
});

describe('Yjs', () => {
  it('lets owner and editor write, readers and the community follow read-only, and refuses the rest', async () => {
    const id = await sharedNote(cast, { published: true });
    const owner = openNote(cast.owner, id);
    const editor = openNote(cast.editor, id);
    const reader = openNote(cast.reader, id);
    const community = openNote(cast.community, id);
    await Promise.all([owner, editor, reader, community].map((c) => c.synced()));
    appendParagraph(owner.doc, 'Anchor with the heel of the hand.');
    appendParagraph(editor.doc, 'Then lean in slowly.');
    for (const c of [owner, editor, reader, community]) {
      await eventually(() => expect(noteBodyText(c.doc).split('\n').sort()).toHaveLength(2));
    }

    const outsider = openNote(cast.outsider, await sharedNote(cast));
    const anonymous = openNote(null, id);
    await eventually(() => expect(outsider.closes[0]?.code).toBe(CollabCloseCode.notFound));
    await eventually(() => expect(anonymous.closes[0]?.code).toBe(CollabCloseCode.unauthenticated));
  });

  it("refuses a reader's raw update before it is applied", async () => {
    const id = await sharedNote(cast, { published: true });
    const owner = openNote(cast.owner, id);
    await owner.synced();
    appendParagraph(owner.doc, 'only the owner writes here');
    await eventually(async () =>
      expect(await server.collab.read(noteDocName(id), (doc) => noteBodyText(doc))).toBe('only the owner writes here'),
    );

    for (const user of [cast.reader, cast.community]) {
      const hostile = new Y.Doc();
      Y.applyUpdate(hostile, Y.encodeStateAsUpdate(owner.doc));
      appendParagraph(hostile, `written by ${user.user.displayName}`);
      const update = Y.encodeStateAsUpdate(hostile, Y.encodeStateVector(owner.doc));
      const ws = rawCollabSocket(server.url, user.cookieHeader, noteDocName(id));
      const closed = closeOf(ws);
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(syncUpdateMessage(update));
      expect(await closed).toEqual({ code: CollabCloseCode.readOnly, reason: 'read-only access' });
    }
    expect(await server.collab.read(noteDocName(id), (doc) => noteBodyText(doc))).toBe('only the owner writes here');
    expect(noteBodyText(owner.doc)).toBe('only the owner writes here');
  });

  it('refuses hostile body content and over-size notes with a reason', async () => {
    // a cast of its own: refusals make the server pause the sender's reconnects
    const own = await notesCast(server);
    const id = await sharedNote(own);
    for (const hostile of [
      () => {
        const text = new Y.XmlText();
        text.insert(0, 'click me', { link: { href: 'javascript:alert(document.cookie)' } });
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [text]);
        return p;
      },
      () => new Y.XmlElement('script'),
      () => {
        const p = new Y.XmlElement('paragraph');
        p.insert(0, [new Y.XmlText('x'.repeat(300_000))]);
        return p;
      },
    ]) {
      const editor = openNote(own.editor, id);
      await editor.synced();
      const before = noteBodyText(editor.doc);
      editor.doc.transact(() => {
        const body = noteBody(editor.doc);
        body.insert(body.length, [hostile()]);
        body.insert(body.length, [hostile()]);
      });
      const refused = await eventually(() => {
        const close = editor.closes.find((c) => c.code === CollabCloseCode.refusedUpdate);
        expect(close).toBeDefined();
        return close!;
      });
      expect(refused.reason).toMatch(/links may only go|cannot hold "script"|size limit \(512 KB\)/);
      expect(await server.collab.read(noteDocName(id), (doc) => noteBodyText(doc))).toBe(before);
      editor.destroy();
    }
  });
});

describe('sharing', () => {
  it('hides a published note from someone its owner blocked: no reading, search, live document, comment or helpful mark', async () => {
    const omar = await signUpUser(server, 'Omar');
    const id = (await omar.client.post('/api/notes', { kind: 'technique', title: 'Omar’s gua sha' })).body.note.id;
    expect((await omar.client.put(`/api/notes/${id}/community`, { published: true })).status).toBe(200);
    expect((await omar.client.post('/api/blocks', { userId: cast.outsider.user.id })).status).toBeLessThan(300);

    const missing = await cast.outsider.client.get('/api/notes/ffffffffffffffffffffffff');
    const read = await cast.outsider.client.get(`/api/notes/${id}`);
    expect(read.status).toBe(404);
    expect(read.body).toEqual(missing.body);
    expect((await cast.outsider.client.post(`/api/notes/${id}/comments`, { text: 'hello again' })).status).toBe(404);
    expect((await cast.outsider.client.get(`/api/notes/${id}/comments`)).status).toBe(404);
    expect((await cast.outsider.client.put(`/api/notes/${id}/helpful`)).status).toBe(404);
    expect((await cast.outsider.client.get(`/api/notes/${id}/markdown`)).status).toBe(404);
    expect((await cast.outsider.client.get(`/api/notes/${id}/versions`)).status).toBe(404);
    const live = openNote(cast.outsider, id);
    await eventually(() => expect(live.closes[0]?.code).toBe(CollabCloseCode.notFound));
    const search = await cast.outsider.client.get(`/api/notes?authorId=${omar.user.id}`);
    expect(search.body).toMatchObject({ items: [], total: 0 });
    expect((await cast.community.client.get(`/api/notes?authorId=${omar.user.id}`)).body.total).toBe(1);
    expect((await omar.client.get(`/api/notes/${id}/comments`)).body.comments).toEqual([]);
    expect((await cast.community.client.get(`/api/notes/${id}`)).status).toBe(200);
  });
  it('leaves nobody reading the notes of an account that was deleted (shared or in the community)', async () => {
    const yara = await signUpUser(server, 'Yara');
    await createExchange({ a: yara, b: cast.reader }, '2026-11-20');
    const id = (await yara.client.post('/api/notes', { kind: 'technique', title: 'Yara’s cupping' })).body.note.id;
    expect((await yara.client.put(`/api/notes/${id}/shares/${cast.reader.user.id}`, { role: 'editor' })).status).toBe(
      200,
    );
    expect((await yara.client.put(`/api/notes/${id}/community`, { published: true })).status).toBe(200);
    expect((await cast.community.client.get(`/api/notes/${id}`)).status).toBe(200);

    expect((await yara.client.post('/api/account/delete', { password: yara.password })).status).toBe(204);
    for (const someone of [cast.reader, cast.community]) {
      expect((await someone.client.get(`/api/notes/${id}`)).status).toBe(404);
      expect((await someone.client.get(`/api/notes/${id}/markdown`)).status).toBe(404);
    }
    expect(JSON.stringify((await cast.reader.client.get('/api/notes/shared-with-me')).body)).not.toContain(id);
    const reader = openNote(cast.reader, id);
    await eventually(() => expect(reader.closes[0]?.code).toBe(CollabCloseCode.notFound));
  });
  it('keeps a blocked partner from sharing notes with the blocker, as with someone who was never a partner', async () => {
    const [blocked, blocker] = await Promise.all(['Gus', 'Hana'].map((name) => signUpUser(server, name)));
    await createExchange({ a: blocked!, b: blocker! }, '2026-11-20');
    expect((await blocker!.client.post('/api/blocks', { userId: blocked!.user.id })).status).toBeLessThan(300);
    const blockerEvents = await events(blocker!);
    const note = await blocked!.client.post('/api/notes', { kind: 'technique', title: 'Forearm glide' });
    const shared = await blocked!.client.put(`/api/notes/${note.body.note.id}/shares/${blocker!.user.id}`, {
      role: 'reader',
    });
    const toStranger = await blocked!.client.put(`/api/notes/${note.body.note.id}/shares/${cast.outsider.user.id}`, {
      role: 'reader',
    });
    expect(shared.status).toBe(400);
    expect(shared.body).toEqual(toStranger.body);
    expect(JSON.stringify((await blocked!.client.get('/api/notes/share-partners')).body)).not.toContain(
      blocker!.user.id,
    );
    expect((await blocker!.client.get('/api/notes/shared-with-me')).body.items).toEqual([]);
    expect(blockerEvents.shared).toEqual([]);
  });

  it('tells people when a note is shared with them and when a note they follow is edited', async () => {
    const editorEvents = await events(cast.editor);
    const readerEvents = await events(cast.reader);
    const outsiderEvents = await events(cast.outsider);
    const id = await sharedNote(cast);
    await eventually(() => expect(editorEvents.shared).toHaveLength(1));
    expect(editorEvents.shared[0]).toMatchObject({
      note: { id, access: 'editor' },
      role: 'editor',
      by: { id: cast.owner.user.id },
    });
    await eventually(() => expect(readerEvents.shared).toHaveLength(1));

    const editor = openNote(cast.editor, id);
    await editor.synced();
    for (let i = 0; i < 5; i++) appendParagraph(editor.doc, `keystroke ${i}`);
    await eventually(() => expect(readerEvents.edited.filter((e) => e.noteId === id)).toHaveLength(1), {
      timeout: 10_000,
    });
    expect(editorEvents.edited.filter((e) => e.noteId === id)).toEqual([]); // not told of one's own edits

    const shared = await cast.reader.client.get('/api/notes/shared-with-me');
    expect(shared.body.items.find((n: { id: string }) => n.id === id)).toMatchObject({
      unseen: true,
      sharedBy: { id: cast.owner.user.id },
    });
    await cast.reader.client.post(`/api/notes/${id}/opened`);
    const after = await cast.reader.client.get('/api/notes/shared-with-me');
    expect(after.body.items.find((n: { id: string }) => n.id === id)).toMatchObject({ unseen: false });
    expect(outsiderEvents).toEqual({ shared: [], edited: [], changed: [] });
  });

  it('lets a community reader follow a published note and tells them when it is unpublished', async () => {
    const id = await sharedNote(cast, { published: true });
    const communityEvents = await events(cast.community);
    const outsiderEvents = await events(cast.outsider);
    expect((await cast.community.client.put(`/api/notes/${id}/follow`)).status).toBe(204);
    expect((await cast.community.client.get(`/api/notes/${id}`)).body.note.following).toBe(true);
    const owner = openNote(cast.owner, id);
    await owner.synced();
    appendParagraph(owner.doc, 'a new tip for followers');
    await eventually(() => expect(communityEvents.edited.map((e) => e.noteId)).toEqual([id]), { timeout: 10_000 });

    const community = openNote(cast.community, id);
    await community.synced();
    await cast.owner.client.put(`/api/notes/${id}/community`, { published: false });
    await eventually(() => expect(community.closes[0]?.code).toBe(CollabCloseCode.forbidden));
    await eventually(() => expect(communityEvents.changed).toEqual([{ noteId: id, access: 'none' }]));
    expect((await cast.community.client.put(`/api/notes/${id}/follow`)).status).toBe(404);
    expect(outsiderEvents).toEqual({ shared: [], edited: [], changed: [] });
  });

  it('closes the live connections that lost access when the owner revokes or changes it', async () => {
    const id = await sharedNote(cast);
    const readerEvents = await events(cast.reader);
    const reader = openNote(cast.reader, id);
    const editor = openNote(cast.editor, id);
    await Promise.all([reader.synced(), editor.synced()]);

    const revoked = await cast.owner.client.delete(`/api/notes/${id}/shares/${cast.reader.user.id}`);
    expect(revoked.status).toBe(200);
    await eventually(() => expect(reader.closes[0]?.code).toBe(CollabCloseCode.forbidden));
    await eventually(() => expect(readerEvents.changed).toEqual([{ noteId: id, access: 'none' }]));
    expect((await cast.reader.client.get(`/api/notes/${id}`)).status).toBe(404);

    // editor -> reader: the open page reconnects and can no longer write
    await cast.owner.client.put(`/api/notes/${id}/shares/${cast.editor.user.id}`, { role: 'reader' });
    await eventually(() => expect(editor.closes[0]?.code).toBe(CollabCloseCode.accessChanged));
    await eventually(() => expect(editor.provider.wsconnected).toBe(true));
    appendParagraph(editor.doc, 'after the downgrade');
    await eventually(() => expect(editor.closes.at(-1)?.code).toBe(CollabCloseCode.readOnly));
    expect(await server.collab.read(noteDocName(id), (doc) => noteBodyText(doc))).not.toContain('after the downgrade');
  });
});

describe('links to marks', () => {
  it('creates a note from a mark, lists it under the mark, and shows the link only to partners of that debrief', async () => {
    const live = connectDebrief(server.url, cast.owner.cookieHeader, cast.exchangeId);
    clients.push(live);
    await live.synced();
    const mark = addAnnotation(live.doc, cast.owner.user.id, upperTrapeziusPressure);
    await eventually(async () =>
      expect(await server.collab.read(cast.exchangeId, (doc) => Y.encodeStateVector(doc).length)).toBeGreaterThan(1),
    );

    const created = await cast.owner.client.post('/api/notes', {
      kind: 'technique',
      from: { type: 'mark', exchangeId: cast.exchangeId, markId: mark.id },
    });
    expect(created.status).toBe(201);
    const note = created.body.note;
    expect(note).toMatchObject({
      title: 'Pressure — Left upper trapezius',
      regions: ['posterior-upper-trapezius-left'],
    });
    expect(note.links).toEqual([expect.objectContaining({ exchangeId: cast.exchangeId, markId: mark.id })]);
    const text = await server.collab.read(noteDocName(note.id), (doc) => noteBodyText(doc));
    expect(text).toContain('Too much on the left upper trap');

    await cast.owner.client.put(`/api/notes/${note.id}/shares/${cast.reader.user.id}`, { role: 'reader' });
    await cast.owner.client.put(`/api/notes/${note.id}/shares/${cast.editor.user.id}`, { role: 'reader' });
    const asPartner = await cast.editor.client.get(`/api/notes/about-mark/${cast.exchangeId}/${mark.id}`);
    expect(asPartner.body.notes.map((n: { id: string }) => n.id)).toEqual([note.id]);
    expect((await cast.editor.client.get(`/api/notes/${note.id}`)).body.note.links).toHaveLength(1);
    // the reader is no partner of that exchange: the note, yes; its link to the debrief, no
    expect((await cast.reader.client.get(`/api/notes/${note.id}`)).body.note.links).toEqual([]);
    expect((await cast.reader.client.get(`/api/notes/about-mark/${cast.exchangeId}/${mark.id}`)).status).toBe(404);
    const fromOther = await cast.reader.client.post('/api/notes', {
      kind: 'technique',
      from: { type: 'mark', exchangeId: cast.exchangeId, markId: mark.id },
    });
    expect(fromOther.status).toBe(404);
  });

  it('starts a note from a Review pattern with its region, tag and title', async () => {
    const res = await cast.owner.client.post('/api/notes', {
      kind: 'technique',
      from: { type: 'pattern', regionId: 'posterior-upper-trapezius-left', tag: 'too-deep', count: 4 },
    });
    expect(res.status).toBe(201);
    expect(res.body.note).toMatchObject({
      title: 'Too deep on the left upper trapezius (4 times)',
      regions: ['posterior-upper-trapezius-left'],
      tags: ['too-deep'],
    });
    const doc = await server.collab.read(noteDocName(res.body.note.id), (d) => readNoteFields(d));
    expect(doc).toMatchObject({ kind: 'technique', title: 'Too deep on the left upper trapezius (4 times)' });
  });
});
