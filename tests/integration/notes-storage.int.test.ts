// What a person's notes take in storage, through the real endpoints and the live document: each
// note and its versions counted against the note's owner (exactly, however many requests race),
// refusals past the quota when creating a note, naming a version or growing a note live, space
// given back when the owner deletes a named version, and automatic versions that make way instead
// of ever refusing an edit. Automatic versions are taken at every projection here (a second after
// edits pause) instead of every ten minutes.
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
  server = await startTestServer({}, { unloadDelayMs: 50, noteAutoVersionEveryMs: 0 });
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

const versionsOf = async (user: SignedUpUser, noteId: string) =>
  (await user.client.get(`/api/notes/${noteId}/versions`)).body.versions as NoteVersion[];

/** Oldest first. */
const autoIds = async (user: SignedUpUser, noteId: string) =>
  (await versionsOf(user, noteId))
    .filter((v) => v.auto)
    .map((v) => v.id)
    .reverse();

/** What the note holds in the database: its live document and every version it lists. */
async function storedBytes(user: SignedUpUser, noteId: string): Promise<number> {
  const sizes = await Promise.all((await versionsOf(user, noteId)).map((v) => versionBytes(noteId, v.id)));
  return (await liveBytes(noteId)) + sizes.reduce((a, b) => a + b, 0);
}

/**
 * A person who has filled their storage but for `left` bytes (as the counter would read after a
 * while); how much was added to what their notes hold.
 */
/**
 * Sets the person's counter to leave `left` bytes, once nothing is still counting against them: a
 * note is measured a second after it opens or its edits pause, and that count landing after the
 * fill would move it.
 */
async function fillStorage(user: SignedUpUser, left: number): Promise<number> {
  let last = -1;
  await eventually(
    async () => {
      const now = await used(user);
      const settled = now === last;
      last = now;
      expect(settled).toBe(true);
    },
    { timeout: 15_000, interval: 1_500 },
  );
  const before = (await collections().storage.findOne({ _id: user.user.id }))?.bytes ?? 0;
  await collections().storage.updateOne(
    { _id: user.user.id },
    { $set: { bytes: NOTE_STORAGE_QUOTA_BYTES - left } },
    { upsert: true },
  );
  return NOTE_STORAGE_QUOTA_BYTES - left - before;
}

describe('storage used by notes', () => {
  it("counts each note and every version against the note's owner, exactly, however many race", async () => {
    const cast = await notesCast(server);
    const id = await sharedNote(cast);
    const owner = await openNote(cast.owner, id);
    appendParagraph(owner.doc, 'x'.repeat(100_000));
    // the live note and the automatic version its editing took
    await eventually(async () => expect(await autoIds(cast.owner, id)).toHaveLength(1));
    await eventually(async () => expect(await used(cast.owner)).toBe(await storedBytes(cast.owner, id)));
    expect(await used(cast.owner)).toBeGreaterThan(200_000);

    // named at the same moment by the owner and the editor: all the owner's
    const named = await Promise.all(
      [cast.owner, cast.editor, cast.owner, cast.editor, cast.owner, cast.editor].map((who, i) =>
        who.client.post(`/api/notes/${id}/versions`, { name: `draft ${i}` }),
      ),
    );
    expect(named.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const ids = named.map((r) => r.body.version.id as string);
    const sizes = await Promise.all(ids.map((v) => versionBytes(id, v)));
    const total = await storedBytes(cast.owner, id);
    expect(await used(cast.owner)).toBe(total);
    expect(await used(cast.editor)).toBe(0);

    // only the owner deletes a named version; asked twice at once, its space comes back once
    expect((await cast.editor.client.delete(`/api/notes/${id}/versions/${ids[0]}`)).status).toBe(403);
    const deleted = await Promise.all(
      [1, 2].map(() => cast.owner.client.delete(`/api/notes/${id}/versions/${ids[0]}`)),
    );
    expect(deleted.map((r) => r.status).sort()).toEqual([204, 404]);
    expect(await used(cast.owner)).toBe(total - sizes[0]!);
    const left = await versionsOf(cast.owner, id);
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
    const versions = await versionsOf(cast.owner, id);
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

describe('automatic versions', () => {
  it("count against the owner, and near the quota the note's oldest make way; no edit is refused", async () => {
    const cast = await notesCast(server);
    const id = await sharedNote(cast);
    const owner = await openNote(cast.owner, id);
    appendParagraph(owner.doc, 'x'.repeat(20_000));
    await eventually(async () => expect(await autoIds(cast.owner, id)).toHaveLength(1));
    await eventually(async () => expect(await used(cast.owner)).toBe(await storedBytes(cast.owner, id)));
    // room for two more copies of the note and a half
    const other = await fillStorage(cast.owner, Math.round((await liveBytes(id)) * 2.5));

    const taken: string[] = await autoIds(cast.owner, id);
    for (let round = 1; round <= 6; round++) {
      appendParagraph(owner.doc, `Round ${round}: lean from the hips.`);
      const now = await eventually(async () => {
        const ids = await autoIds(cast.owner, id);
        expect(ids.at(-1)).not.toBe(taken.at(-1));
        return ids;
      });
      taken.push(now.at(-1)!);
      await eventually(async () => expect(await used(cast.owner)).toBe(other + (await storedBytes(cast.owner, id))));
      expect(await used(cast.owner)).toBeLessThanOrEqual(NOTE_STORAGE_QUOTA_BYTES);
    }
    // the three newest fit; the four oldest made way, their rows gone with them
    expect(await autoIds(cast.owner, id)).toEqual(taken.slice(-3));
    for (const gone of taken.slice(0, -3)) {
      expect(await collections().versions.findOne({ _id: versionRowId(id, gone) })).toBeNull();
    }
    expect(owner.closes).toEqual([]);
    expect(await onServer(id, noteBodyText)).toContain('Round 6: lean from the hips.');
  });

  it('never hold back a live edit: the room they took is given to it', async () => {
    const cast = await notesCast(server);
    const id = await sharedNote(cast);
    const owner = await openNote(cast.owner, id);
    for (const text of ['x'.repeat(20_000), 'Stack the thumbs.', 'Pad over pad.']) {
      const before = (await autoIds(cast.owner, id)).length;
      appendParagraph(owner.doc, text);
      await eventually(async () => expect(await autoIds(cast.owner, id)).toHaveLength(before + 1));
    }
    await eventually(async () => expect(await used(cast.owner)).toBe(await storedBytes(cast.owner, id)));
    const [oldest, second, newest] = await autoIds(cast.owner, id);
    // the three automatic versions (about 60 KB) fill all but 1,000 bytes of the owner's storage
    const other = await fillStorage(cast.owner, 1_000);

    const editor = await openNote(cast.editor, id);
    appendParagraph(editor.doc, 'y'.repeat(30_000));
    await eventually(async () => expect(await onServer(id, noteBodyText)).toContain('y'.repeat(30_000)));
    // the edit's own automatic version has no room even then, and is not taken
    await eventually(async () => expect(await autoIds(cast.owner, id)).toEqual([newest]));
    expect(await collections().versions.findOne({ _id: versionRowId(id, oldest!) })).toBeNull();
    expect(await collections().versions.findOne({ _id: versionRowId(id, second!) })).toBeNull();
    await eventually(async () => expect(await used(cast.owner)).toBe(other + (await storedBytes(cast.owner, id))));
    expect(await used(cast.owner)).toBeLessThanOrEqual(NOTE_STORAGE_QUOTA_BYTES);
    expect(editor.closes).toEqual([]);
    expect(owner.closes).toEqual([]);
  });
});

describe('named versions', () => {
  it('stop at 100 a note however many are named at the same moment', async () => {
    const cast = await notesCast(server);
    const id = await sharedNote(cast);
    const name = (who: SignedUpUser, i: number) => who.client.post(`/api/notes/${id}/versions`, { name: `draft ${i}` });
    for (let i = 0; i < 99; i++) expect((await name(cast.owner, i)).status).toBe(201);

    const raced = await Promise.all(
      [cast.owner, cast.editor, cast.owner, cast.editor, cast.owner].map((who, i) => name(who, 100 + i)),
    );
    expect(raced.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(raced.find((r) => r.status === 409)!.body.error).toEqual({
      code: 'too_many_versions',
      message: 'a note keeps at most 100 named versions',
    });
    expect((await versionsOf(cast.owner, id)).filter((v) => !v.auto)).toHaveLength(100);
    // the refused ones took nothing from the owner's storage
    expect(await used(cast.owner)).toBe(await storedBytes(cast.owner, id));
  });
});
