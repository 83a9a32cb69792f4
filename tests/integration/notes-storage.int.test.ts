// What a person's notes take in storage, through the real endpoints and the live document: each
// note and its named versions counted against the note's owner (exactly, however many requests
// race), refusals past the quota when creating a note, naming a version or growing a note live,
// and space given back when the owner deletes a named version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { noteBody, noteDocName } from '@kneadback/shared/docs/note-doc';
import { noteBodyText } from '@kneadback/shared/docs/note-text';
import { NOTE_STORAGE_QUOTA_BYTES, type NoteVersion } from '@kneadback/shared/schemas/note';
import { bytesOf, noteCollections, versionRowId } from '../../server/src/features/notes/model.ts';
import { STORAGE_FULL_REASON } from '../../server/src/features/notes/storage.ts';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { eventually } from '../helpers/eventually.ts';
import type { SignedUpUser } from '../helpers/http-client.ts';
import { appendParagraph, notesCast, sharedNote } from '../helpers/notes.ts';
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

async function openNote(user: SignedUpUser, noteId: string): Promise<DebriefClient> {
  const client = connectDebrief(server.url, user.cookieHeader, noteDocName(noteId));
  clients.push(client);
  await client.synced();
  return client;
}

const onServer = <T>(noteId: string, read: (doc: Y.Doc) => T) => server.collab.read(noteDocName(noteId), read);
const liveBytes = (noteId: string) => onServer(noteId, (d) => Y.encodeStateAsUpdate(d).length);
const collections = () => noteCollections(server.connection);

async function used(user: SignedUpUser): Promise<number> {
  const res = await user.client.get('/api/notes/storage');
  expect(res.status).toBe(200);
  expect(res.body.storage.quotaBytes).toBe(NOTE_STORAGE_QUOTA_BYTES);
  return res.body.storage.usedBytes as number;
}

async function versionBytes(noteId: string, versionId: string): Promise<number> {
  const row = await collections().versions.findOne({ _id: versionRowId(noteId, versionId) });
  return bytesOf(row!.state).length;
}

/** A person who has filled their storage but for `left` bytes (as the counter would read after a while). */
async function fillStorage(user: SignedUpUser, left: number): Promise<void> {
  await collections().storage.updateOne(
    { _id: user.user.id },
    { $set: { bytes: NOTE_STORAGE_QUOTA_BYTES - left } },
    { upsert: true },
  );
}

describe('storage used by notes', () => {
  it("counts each note and every named version against the note's owner, exactly, however many race", async () => {
    const cast = await notesCast(server);
    const id = await sharedNote(cast);
    const owner = await openNote(cast.owner, id);
    appendParagraph(owner.doc, 'x'.repeat(100_000));
    await eventually(async () => expect(await used(cast.owner)).toBe(await liveBytes(id)));
    expect(await used(cast.owner)).toBeGreaterThan(100_000);

    // named at the same moment by the owner and the editor: all the owner's
    const named = await Promise.all(
      [cast.owner, cast.editor, cast.owner, cast.editor, cast.owner, cast.editor].map((who, i) =>
        who.client.post(`/api/notes/${id}/versions`, { name: `draft ${i}` }),
      ),
    );
    expect(named.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const ids = named.map((r) => r.body.version.id as string);
    const sizes = await Promise.all(ids.map((v) => versionBytes(id, v)));
    const total = (await liveBytes(id)) + sizes.reduce((a, b) => a + b, 0);
    expect(await used(cast.owner)).toBe(total);
    expect(await used(cast.editor)).toBe(0);

    // only the owner deletes a named version; asked twice at once, its space comes back once
    expect((await cast.editor.client.delete(`/api/notes/${id}/versions/${ids[0]}`)).status).toBe(403);
    const deleted = await Promise.all(
      [1, 2].map(() => cast.owner.client.delete(`/api/notes/${id}/versions/${ids[0]}`)),
    );
    expect(deleted.map((r) => r.status).sort()).toEqual([204, 404]);
    expect(await used(cast.owner)).toBe(total - sizes[0]!);
    const left = (await cast.owner.client.get(`/api/notes/${id}/versions`)).body.versions as NoteVersion[];
    expect(
      left
        .filter((v) => !v.auto)
        .map((v) => v.id)
        .sort(),
    ).toEqual(ids.slice(1).sort());
  });
});

describe('a full storage', () => {
  it('refuses a new note and a named version, saying how much is used of how much and what to delete', async () => {
    const cast = await notesCast(server);
    const id = await sharedNote(cast);
    const keep = await cast.owner.client.post(`/api/notes/${id}/versions`, { name: 'before the course' });
    expect(keep.status).toBe(201);
    const mine = async () => (await cast.owner.client.get('/api/notes?scope=mine')).body.total as number;
    expect(await mine()).toBe(1);
    await fillStorage(cast.owner, 100);

    const created = await cast.owner.client.post('/api/notes', { kind: 'technique', title: 'Forearm glide' });
    expect(created.status).toBe(409);
    expect(created.body.error).toEqual({
      code: 'storage_full',
      message:
        "your notes use 50 MB of your 50 MB; delete named versions you no longer need (in a note's History) or shorten long notes to make room",
    });
    expect(await mine()).toBe(1);

    const byOwner = await cast.owner.client.post(`/api/notes/${id}/versions`, { name: 'after the course' });
    expect(byOwner.status).toBe(409);
    expect(byOwner.body.error.code).toBe('storage_full');
    // a partner naming a version of the owner's note is told whose storage is full, not how full
    const byEditor = await cast.editor.client.post(`/api/notes/${id}/versions`, { name: 'my edits' });
    expect(byEditor.status).toBe(409);
    expect(byEditor.body.error).toEqual({
      code: 'storage_full',
      message: "this note's owner has used all 50 MB of their storage for notes; ask them to make room",
    });
    const versions = (await cast.owner.client.get(`/api/notes/${id}/versions`)).body.versions as unknown[];
    expect(versions).toHaveLength(1);
    expect(await used(cast.owner)).toBe(NOTE_STORAGE_QUOTA_BYTES - 100);

    // deleting a named version makes room again
    expect((await cast.owner.client.delete(`/api/notes/${id}/versions/${keep.body.version.id}`)).status).toBe(204);
    expect((await cast.owner.client.post(`/api/notes/${id}/versions`, { name: 'after the course' })).status).toBe(201);
  });

  it("refuses a live change that grows a note past its owner's storage; the note can still shrink", async () => {
    const cast = await notesCast(server);
    const id = await sharedNote(cast);
    await fillStorage(cast.owner, 20_000);
    const editor = await openNote(cast.editor, id);
    appendParagraph(editor.doc, 'y'.repeat(30_000));
    await eventually(() =>
      expect(editor.closes[0]).toEqual({ code: CollabCloseCode.refusedUpdate, reason: STORAGE_FULL_REASON }),
    );
    expect(await onServer(id, noteBodyText)).toBe('');

    // within what is left, the owner writes on, and shortens the note again
    const owner = await openNote(cast.owner, id);
    appendParagraph(owner.doc, 'Lean from the hips.');
    await eventually(async () => expect(await onServer(id, noteBodyText)).toBe('Lean from the hips.'));
    noteBody(owner.doc).delete(0, noteBody(owner.doc).length);
    await eventually(async () => expect(await onServer(id, noteBodyText)).toBe(''));
    expect(owner.closes).toEqual([]);
  });
});
