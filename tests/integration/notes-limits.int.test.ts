// Limits on what one person can do to a technique note that others then pay for, through the real
// endpoints: restoring a version that would push the note past its size limit (after which nobody
// could add to it) or that holds what today's rules refuse, and filling a published note's
// comment thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { noteBody, noteDocName } from '@kneadback/shared/docs/note-doc';
import { MAX_NOTE_BYTES } from '@kneadback/shared/docs/note-rules';
import { MAX_NOTE_COMMENTS_PER_PERSON } from '@kneadback/shared/schemas/note';
import { noteBodyText } from '@kneadback/shared/docs/note-text';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { eventually } from '../helpers/eventually.ts';
import type { SignedUpUser } from '../helpers/http-client.ts';
import { appendParagraph, breakVersionRules, notesCast, sharedNote } from '../helpers/notes.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
const clients: DebriefClient[] = [];

beforeAll(async () => {
  server = await startTestServer({}, { unloadDelayMs: 50 });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

function openNote(user: SignedUpUser, noteId: string): DebriefClient {
  const client = connectDebrief(server.url, user.cookieHeader, noteDocName(noteId));
  clients.push(client);
  return client;
}

const onServer = <T>(noteId: string, read: (doc: Y.Doc) => T) => server.collab.read(noteDocName(noteId), read);

describe('restoring a version', () => {
  it('is refused with a 409 when the note would grow past its size limit, and the note stays editable', async () => {
    const cast = await notesCast(server);
    const id = await sharedNote(cast);
    const owner = openNote(cast.owner, id);
    await owner.synced();

    // a long note, kept as a named version
    appendParagraph(owner.doc, 'x'.repeat(480_000));
    await eventually(async () => expect(await onServer(id, (d) => noteBodyText(d).length)).toBe(480_000));
    const version = await cast.owner.client.post(`/api/notes/${id}/versions`, { name: 'the long one' });
    expect(version.status).toBe(201);

    // then rewritten many times: Yjs keeps a small trace of every paragraph deleted from the body,
    // here 5,000 of them; the note itself is well under its limit
    const body = noteBody(owner.doc);
    body.delete(0, body.length);
    owner.doc.transact(() => {
      for (let i = 0; i < 5_000; i++) body.insert(0, [new Y.XmlElement('paragraph')]);
    });
    body.delete(0, body.length);
    const stateVector = () => Buffer.from(Y.encodeStateVector(owner.doc)).toString('hex');
    await eventually(async () =>
      expect(await onServer(id, (d) => Buffer.from(Y.encodeStateVector(d)).toString('hex'))).toBe(stateVector()),
    );
    const before = await onServer(id, (d) => Y.encodeStateAsUpdate(d).length);
    expect(before).toBeLessThan(MAX_NOTE_BYTES / 2);

    // the long version's text on top of those traces would not fit
    const restored = await cast.owner.client.post(`/api/notes/${id}/versions/${version.body.version.id}/restore`);
    expect(restored.status).toBe(409);
    expect(restored.body.error).toEqual({
      code: 'note_too_large',
      message:
        'restoring this version would make the note larger than 512 KB, the most a note can hold; copy the parts you need instead',
    });
    expect(await onServer(id, (d) => Y.encodeStateAsUpdate(d).length)).toBe(before);
    // nothing kept for a restore that did not happen
    const versions = await cast.owner.client.get(`/api/notes/${id}/versions`);
    expect(versions.body.versions.map((v: { name: string | null }) => v.name)).toEqual(['the long one']);

    // and both the owner and the editor go on writing
    appendParagraph(owner.doc, 'Start with the forearm, not the thumb.');
    const editor = openNote(cast.editor, id);
    await editor.synced();
    appendParagraph(editor.doc, 'Lean from the hips.');
    await eventually(async () =>
      expect((await onServer(id, noteBodyText)).split('\n').sort()).toEqual([
        'Lean from the hips.',
        'Start with the forearm, not the thumb.',
      ]),
    );
    expect([...owner.closes, ...editor.closes]).toEqual([]);
  });
});

describe('restoring a version kept under older rules', () => {
  it("is refused with a 409 when the version breaks today's rules, and the note stays as it was and editable", async () => {
    const cast = await notesCast(server);
    const id = await sharedNote(cast);
    const owner = openNote(cast.owner, id);
    await owner.synced();
    appendParagraph(owner.doc, 'Stack your thumbs on the rhomboids.');
    await eventually(async () => expect(await onServer(id, noteBodyText)).toBe('Stack your thumbs on the rhomboids.'));
    const named = await cast.owner.client.post(`/api/notes/${id}/versions`, { name: 'before the course' });
    expect(named.status).toBe(201);
    const versionId = named.body.version.id as string;

    await breakVersionRules(server.connection, id, versionId);

    const stateBefore = await onServer(id, (d) => Buffer.from(Y.encodeStateAsUpdate(d)).toString('base64'));
    const restored = await cast.editor.client.post(`/api/notes/${id}/versions/${versionId}/restore`);
    expect(restored.status).toBe(409);
    expect(restored.body.error).toEqual({
      code: 'version_breaks_rules',
      message:
        'this version holds something a note may no longer hold (links may only go to web (http/https) or e-mail (mailto) addresses), so it cannot be restored; open it and copy the parts you need instead',
    });
    expect(await onServer(id, (d) => Buffer.from(Y.encodeStateAsUpdate(d)).toString('base64'))).toBe(stateBefore);
    expect(noteBodyText(owner.doc)).toBe('Stack your thumbs on the rhomboids.');
    // nothing kept for a restore that did not happen
    const list = await cast.owner.client.get(`/api/notes/${id}/versions`);
    expect(list.body.versions.map((v: { name: string | null }) => v.name)).toEqual(['before the course']);

    appendParagraph(owner.doc, 'Lean from the hips.');
    await eventually(async () =>
      expect(await onServer(id, noteBodyText)).toBe('Stack your thumbs on the rhomboids.\nLean from the hips.'),
    );
    expect(owner.closes).toEqual([]);
  });
});

describe('comments on a published note', () => {
  it('keep one person to a share of the thread, so others can still ask; the author answers freely', async () => {
    const cast = await notesCast(server);
    const id = await sharedNote(cast, { published: true });
    const comment = (who: SignedUpUser, text: string) => who.client.post(`/api/notes/${id}/comments`, { text });

    for (let i = 0; i < MAX_NOTE_COMMENTS_PER_PERSON; i++) {
      expect((await comment(cast.outsider, `question ${i}`)).status).toBe(201);
    }
    // deleting one does not free a place: it stays in the thread as a tombstone
    const first = (await cast.outsider.client.get(`/api/notes/${id}/comments`)).body.comments[0].id as string;
    expect((await cast.outsider.client.delete(`/api/notes/${id}/comments/${first}`)).status).toBe(204);
    const refused = await comment(cast.outsider, 'one more');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toEqual({
      code: 'too_many_comments_by_you',
      message: `you have written ${MAX_NOTE_COMMENTS_PER_PERSON} comments on this note, the most one person can; leave room for others`,
    });

    expect((await comment(cast.community, 'How long do you hold it?')).status).toBe(201);
    for (let i = 0; i <= MAX_NOTE_COMMENTS_PER_PERSON; i++) {
      expect((await comment(cast.owner, `answer ${i}`)).status).toBe(201);
    }
    const thread = (await cast.community.client.get(`/api/notes/${id}/comments`)).body.comments as unknown[];
    expect(thread).toHaveLength(2 * MAX_NOTE_COMMENTS_PER_PERSON + 2);
  });
});
