// Presence a hostile person sends on the Yjs endpoint: a caret the others' editors cannot draw
// (a reader's `cursor: {anchor: null}` stopped every other editor of the note), another person's
// name and colour, and fields no schema knows. The others are shown only what the server parsed,
// with the name and colour of the account that sent it; nothing else of the sender's JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type WebSocket from 'ws';
import { noteBody, noteDocName } from '@kneadback/shared/docs/note-doc';
import { presenceColor } from '@kneadback/shared/docs/presence';
import { connectDebrief, rawCollabSocket, type DebriefClient } from '../helpers/collab-client.ts';
import { createPartners, type Partners } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import type { SignedUpUser } from '../helpers/http-client.ts';
import { appendParagraph, notesCast, sharedNote, type NotesCast } from '../helpers/notes.ts';
import { awarenessMessage, type AwarenessEntry } from '../helpers/sync-messages.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let cast: NotesCast;
let partners: Partners;
const clients: DebriefClient[] = [];
const sockets: WebSocket[] = [];

beforeAll(async () => {
  server = await startTestServer({ RATE_LIMITS: 'off' }, { unloadDelayMs: 50 });
  cast = await notesCast(server);
  partners = await createPartners(server);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  for (const ws of sockets) ws.terminate();
  await server?.stop();
});

function open(user: SignedUpUser, docName: string): DebriefClient {
  const client = connectDebrief(server.url, user.cookieHeader, docName);
  clients.push(client);
  return client;
}

/** A raw socket of `user`'s on `docName`, once the server has greeted it (its room is loaded). */
async function rawSocket(user: SignedUpUser, docName: string): Promise<WebSocket> {
  const ws = rawCollabSocket(server.url, user.cookieHeader, docName);
  sockets.push(ws);
  await new Promise((resolve, reject) => {
    ws.once('message', resolve);
    ws.once('error', reject);
  });
  return ws;
}

const stateOf = (viewer: DebriefClient, clientId: number) => viewer.provider.awareness.getStates().get(clientId);
const entry = (clientId: number, state: unknown, clock = 1): AwarenessEntry => ({
  clientId,
  clock,
  json: JSON.stringify(state),
});
const shownAs = (user: SignedUpUser) => ({
  id: user.user.id,
  name: user.user.displayName,
  color: presenceColor(user.user.id),
});

/** A caret in the note's body as an editor's device sends it: relative positions, as JSON. */
function caretIn(doc: Y.Doc): { anchor: unknown; head: unknown } {
  const position = JSON.parse(JSON.stringify(Y.createRelativePositionFromTypeIndex(noteBody(doc), 0))) as unknown;
  return { anchor: position, head: position };
}

describe('carets in a note', () => {
  it.each<[string, (c: NotesCast) => SignedUpUser]>([
    ['a community reader', (c) => c.community],
    ['a reader it was shared with', (c) => c.reader],
  ])(
    '%s sends a caret whose anchor and head are null: nobody receives it; a caret of theirs that parses arrives as none',
    async (_who, whom) => {
      const noteId = await sharedNote(cast, { published: true });
      const owner = open(cast.owner, noteDocName(noteId));
      await owner.synced();
      appendParagraph(owner.doc, 'Stack the thumbs.');
      const reader = whom(cast);
      const ws = await rawSocket(reader, noteDocName(noteId));
      const me = { id: reader.user.id, name: reader.user.displayName, color: presenceColor(reader.user.id) };
      ws.send(awarenessMessage([entry(515151, { user: me, cursor: { anchor: null, head: null } })]));
      // handled in order: once this one arrives, the one before was dropped
      ws.send(awarenessMessage([entry(515152, { user: me, cursor: caretIn(owner.doc) })]));
      await eventually(() => expect(stateOf(owner, 515152)).toEqual({ user: shownAs(reader), cursor: null }));
      expect(stateOf(owner, 515151), 'the null caret').toBeUndefined();
    },
  );

  it("an editor's caret that parses is relayed as sent; one that does not is dropped", async () => {
    const noteId = await sharedNote(cast);
    const owner = open(cast.owner, noteDocName(noteId));
    await owner.synced();
    appendParagraph(owner.doc, 'Stack the thumbs.');
    const ws = await rawSocket(cast.editor, noteDocName(noteId));
    const me = shownAs(cast.editor);
    const caret = caretIn(owner.doc);
    ws.send(
      awarenessMessage([
        entry(616161, { user: me, cursor: { anchor: { tname: 'fields' }, head: caret.head } }),
        entry(616162, { user: me, cursor: { anchor: caret.anchor } }),
      ]),
    );
    ws.send(awarenessMessage([entry(616163, { user: me, cursor: caret })]));
    await eventually(() => expect(stateOf(owner, 616163)).toEqual({ user: me, cursor: caret }));
    expect(stateOf(owner, 616161), 'a caret in another root').toBeUndefined();
    expect(stateOf(owner, 616162), 'a caret without a head').toBeUndefined();
  });

  it('a community reader naming themself "Ana (owner)" in her colour shows under their own name and colour', async () => {
    const noteId = await sharedNote(cast, { published: true });
    const owner = open(cast.owner, noteDocName(noteId));
    await owner.synced();
    const ws = await rawSocket(cast.community, noteDocName(noteId));
    const disguise = { id: cast.community.user.id, name: 'Ana (owner)', color: presenceColor(cast.owner.user.id) };
    ws.send(awarenessMessage([entry(717171, { user: disguise, cursor: null, role: 'owner' })]));
    await eventually(() => expect(stateOf(owner, 717171)).toEqual({ user: shownAs(cast.community), cursor: null }));
  });
});

describe('presence in a debrief', () => {
  it("B poses as A, in A's colour, with fields no schema knows: A sees B as B, and only what the schema holds", async () => {
    const ana = open(partners.a, partners.exchangeId);
    await ana.synced();
    const ws = await rawSocket(partners.b, partners.exchangeId);
    const fake = {
      user: { id: partners.b.user.id, name: partners.a.user.displayName, color: presenceColor(partners.a.user.id) },
      round: 1,
      view: 'posterior',
      pointer: { view: 'posterior', x: 170, y: 149, note: 'hidden' },
      extra: 'x'.repeat(3000),
      __proto__x: { polluted: true },
    };
    ws.send(awarenessMessage([entry(424242, fake)]));
    await eventually(() => expect(stateOf(ana, 424242)).toBeDefined());
    expect(stateOf(ana, 424242)).toEqual({
      user: shownAs(partners.b),
      round: 1,
      view: 'posterior',
      pointer: { view: 'posterior', x: 170, y: 149 },
      selectedAnnotationId: null,
      viewport: null,
    });

    // the protocol around it is the sender's: a later clock replaces the state, leaving removes it
    ws.send(awarenessMessage([entry(424242, { ...fake, round: 2 }, 2)]));
    await eventually(() => expect(stateOf(ana, 424242)).toMatchObject({ round: 2, user: shownAs(partners.b) }));
    ws.close();
    await eventually(() => expect(stateOf(ana, 424242)).toBeUndefined());
  });
});
