// Blocking and shared technique notes, through the real endpoints: while either of two people has
// blocked the other, a note one shared with the other gives no access (HTTP, the live document,
// lists, search) and no note:edited message names the other; unblocking gives the share back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { noteDocName } from '@kneadback/shared/docs/note-doc';
import { noteBodyText } from '@kneadback/shared/docs/note-text';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { eventually } from '../helpers/eventually.ts';
import type { SignedUpUser } from '../helpers/http-client.ts';
import {
  appendParagraph,
  noteEvents,
  notesCast,
  sharedNote,
  type NoteEventsSeen,
  type NotesCast,
  type NotesEventsSocket,
} from '../helpers/notes.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

type Edited = NoteEventsSeen['edited'][number];

let server: TestServer;
const clients: DebriefClient[] = [];
const sockets: NotesEventsSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({}, { unloadDelayMs: 50 });
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const s of sockets) s.disconnect();
  await server?.stop();
});

function openNote(user: SignedUpUser, noteId: string): DebriefClient {
  const client = connectDebrief(server.url, user.cookieHeader, noteDocName(noteId));
  clients.push(client);
  return client;
}

const editedEvents = async (user: SignedUpUser): Promise<Edited[]> => (await noteEvents(server, user, sockets)).edited;

const block = async (who: SignedUpUser, whom: SignedUpUser) =>
  expect((await who.client.post('/api/blocks', { userId: whom.user.id })).status).toBe(204);
const unblock = async (who: SignedUpUser, whom: SignedUpUser) =>
  expect((await who.client.delete(`/api/blocks/${whom.user.id}`)).status).toBeLessThan(300);

/** Everything `who` can reach of the note over HTTP, as a user would notice it. */
async function reach(who: SignedUpUser, id: string) {
  const missing = await who.client.get('/api/notes/ffffffffffffffffffffffff');
  const read = await who.client.get(`/api/notes/${id}`);
  return {
    read: read.status,
    looksMissing: read.status === 404 && JSON.stringify(read.body) === JSON.stringify(missing.body),
    markdown: (await who.client.get(`/api/notes/${id}/markdown`)).status,
    versions: (await who.client.get(`/api/notes/${id}/versions`)).status,
    inSharedWithMe: JSON.stringify((await who.client.get('/api/notes/shared-with-me')).body).includes(id),
    inSearch: JSON.stringify((await who.client.get('/api/notes?scope=shared')).body).includes(id),
  };
}

const full = { read: 200, looksMissing: false, markdown: 200, versions: 200, inSharedWithMe: true, inSearch: true };
// a reader sees the note as it is now, not its earlier versions
const reading = { ...full, versions: 403 };
const none = { read: 404, looksMissing: true, markdown: 404, versions: 404, inSharedWithMe: false, inSearch: false };

describe('a note shared before a block', () => {
  let cast: NotesCast;
  beforeAll(async () => {
    cast = await notesCast(server);
  });

  it('gives its owner’s blocked editor no access while the block lasts, and back after it', async () => {
    const id = await sharedNote(cast);
    const editor = openNote(cast.editor, id);
    await editor.synced();
    const ownerHears = await editedEvents(cast.owner);
    expect(await reach(cast.editor, id)).toEqual(full);

    await block(cast.owner, cast.editor);
    await eventually(() => expect(editor.closes[0]?.code).toBe(CollabCloseCode.forbidden));
    expect(await reach(cast.editor, id)).toEqual(none);
    const again = openNote(cast.editor, id);
    await eventually(() => expect(again.closes[0]?.code).toBe(CollabCloseCode.notFound));
    again.destroy();
    expect((await cast.editor.client.post(`/api/notes/${id}/versions`, { name: 'mine' })).status).toBe(404);
    // the reader, whom nobody blocked, keeps reading
    expect(await reach(cast.reader, id)).toEqual(reading);

    await unblock(cast.owner, cast.editor);
    expect(await reach(cast.editor, id)).toEqual(full);
    const back = openNote(cast.editor, id);
    await back.synced();
    appendParagraph(back.doc, 'Slow down on the way out.');
    await eventually(async () =>
      expect(await server.collab.read(noteDocName(id), noteBodyText)).toBe('Slow down on the way out.'),
    );
    await eventually(
      () => expect(ownerHears.map((e) => e.editedBy.map((p) => p.id))).toEqual([[cast.editor.user.id]]),
      {
        timeout: 10_000,
      },
    );
  });

  it('gives someone who blocked its owner no access either', async () => {
    const id = await sharedNote(cast);
    const reader = openNote(cast.reader, id);
    await reader.synced();
    await block(cast.reader, cast.owner);
    await eventually(() => expect(reader.closes[0]?.code).toBe(CollabCloseCode.forbidden));
    expect(await reach(cast.reader, id)).toEqual(none);
    await unblock(cast.reader, cast.owner);
    expect(await reach(cast.reader, id)).toEqual(reading);
  });

  it('never names, in an edit notice, someone the follower is kept apart from', async () => {
    const own = await notesCast(server);
    const [alone, together] = [await sharedNote(own), await sharedNote(own)];
    await block(own.reader, own.editor); // two people the notes are shared with
    const readerHears = await editedEvents(own.reader);
    const ownerHears = await editedEvents(own.owner);
    const heard = (seen: Edited[], id: string) =>
      seen.filter((e) => e.noteId === id).map((e) => e.editedBy.map((p) => p.id));

    // edited by the blocked editor alone: the owner hears of it, the reader not at all
    const editor = openNote(own.editor, alone);
    await editor.synced();
    appendParagraph(editor.doc, 'Use the forearm.');
    await eventually(() => expect(heard(ownerHears, alone)).toEqual([[own.editor.user.id]]), { timeout: 10_000 });

    // edited by both: the reader hears of the owner only
    const [editor2, owner2] = [openNote(own.editor, together), openNote(own.owner, together)];
    await Promise.all([editor2.synced(), owner2.synced()]);
    appendParagraph(editor2.doc, 'Then the elbow.');
    appendParagraph(owner2.doc, 'Never on the spine.');
    await eventually(() => expect(heard(readerHears, together)).toEqual([[own.owner.user.id]]), { timeout: 10_000 });
    expect(heard(readerHears, alone)).toEqual([]);
  });
});
