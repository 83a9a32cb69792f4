// The people of every notes test and the moves they make: an owner, two exchange partners (one
// to be an editor, one a reader), a therapist who reads the community library and an outsider.
import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import type { ClientToServerEvents, ServerToClientEvents } from '@kneadback/shared/events';
import { noteBody, setNoteField } from '@kneadback/shared/docs/note-doc';
import type { Connection } from 'mongoose';
import { bytesOf, noteCollections, versionRowId } from '../../server/src/features/notes/model.ts';
import { createExchange } from './debrief-fixtures.ts';
import { signUpUser, type SignedUpUser } from './http-client.ts';

export interface NotesCast {
  owner: SignedUpUser;
  editor: SignedUpUser;
  reader: SignedUpUser;
  community: SignedUpUser;
  outsider: SignedUpUser;
  /** The exchange between owner and editor (its debrief holds marks notes can link). */
  exchangeId: string;
}

export async function notesCast(server: { url: string }): Promise<NotesCast> {
  const [owner, editor, reader, community, outsider] = await Promise.all(
    ['Ana', 'Ben', 'Cleo', 'Dora', 'Eve'].map((name) => signUpUser(server, name)),
  );
  const exchangeId = await createExchange({ a: owner!, b: editor! }, '2026-11-20');
  await createExchange({ a: owner!, b: reader! }, '2026-11-20');
  return { owner: owner!, editor: editor!, reader: reader!, community: community!, outsider: outsider!, exchangeId };
}

/** A note by the cast's owner shared with the editor and the reader; `published` opens it to the community. */
export async function sharedNote(cast: NotesCast, opts: { published?: boolean; title?: string } = {}): Promise<string> {
  const created = await cast.owner.client.post('/api/notes', {
    kind: 'technique',
    title: opts.title ?? 'Stacked thumbs',
  });
  if (created.status !== 201) throw new Error(`creating a note failed: ${created.status} ${created.text}`);
  const id = created.body.note.id as string;
  await expectOk(cast.owner.client.put(`/api/notes/${id}/shares/${cast.editor.user.id}`, { role: 'editor' }));
  await expectOk(cast.owner.client.put(`/api/notes/${id}/shares/${cast.reader.user.id}`, { role: 'reader' }));
  if (opts.published) await expectOk(cast.owner.client.put(`/api/notes/${id}/community`, { published: true }));
  return id;
}

async function expectOk(response: Promise<{ status: number; text: string }>): Promise<void> {
  const res = await response;
  if (res.status >= 300) throw new Error(`request failed: ${res.status} ${res.text}`);
}

/** Appends a paragraph of plain text to the note's body, as the editor does. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText(text)]);
  const body = noteBody(doc);
  body.insert(body.length, [paragraph]);
}

export function setTitle(doc: Y.Doc, title: string): void {
  setNoteField(doc, 'title', title);
}

export type NotesEventsSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export interface NoteEventsSeen {
  shared: unknown[];
  edited: { noteId: string; editedBy: { id: string }[] }[];
  changed: unknown[];
}

/** A Socket.IO connection of `user` collecting the notes events they receive (kept in `sockets` to close). */
export async function noteEvents(
  server: { url: string },
  user: SignedUpUser,
  sockets: NotesEventsSocket[],
): Promise<NoteEventsSeen> {
  const socket: NotesEventsSocket = io(server.url, {
    transports: ['websocket'],
    extraHeaders: { cookie: user.cookieHeader },
    reconnection: false,
    forceNew: true,
  });
  sockets.push(socket);
  const seen: NoteEventsSeen = { shared: [], edited: [], changed: [] };
  socket.on('note:shared', (e) => seen.shared.push(e));
  socket.on('note:edited', (e) => seen.edited.push(e));
  socket.on('note:access-changed', (e) => seen.changed.push(e));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return seen;
}

/**
 * Rewrites a named version's stored bytes as if it had been kept before links were held to web and
 * e-mail addresses: it now holds a `javascript:` link, which today's note rules refuse.
 */
export async function breakVersionRules(connection: Connection, noteId: string, versionId: string): Promise<void> {
  const versions = noteCollections(connection).versions;
  const row = await versions.findOne({ _id: versionRowId(noteId, versionId) });
  const old = new Y.Doc();
  Y.applyUpdate(old, bytesOf(row!.state));
  const link = new Y.XmlText();
  link.insert(0, 'see the video', { link: { href: 'javascript:alert(document.cookie)' } });
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [link]);
  noteBody(old).insert(noteBody(old).length, [paragraph]);
  await versions.updateOne({ _id: row!._id }, { $set: { state: Buffer.from(Y.encodeStateAsUpdate(old)) } });
}
