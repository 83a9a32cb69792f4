import { NOTE_DOC_PREFIX } from '@kneadback/shared/docs/note-doc';
import { presenceUser, type PresenceUser } from '@kneadback/shared/docs/presence';
import type { CollabHooks } from '../collab/hub.ts';

/** What the hub asks per kind of document: who may open it, its rules, what to attach. */
export type KindHooks = Pick<CollabHooks, 'authorize' | 'kindOf' | 'presenceToRelay' | 'onRoomLoaded' | 'onJoin'>;

/**
 * One hub serves every kind of live document; the name says which: `note:<id>` is a technique
 * note (note-doc.ts), anything else is a debrief (named by its exchange id).
 */
export function documentHooks(debriefs: CollabHooks, notes: KindHooks): CollabHooks {
  const hooksOf = (docId: string): KindHooks => (docId.startsWith(NOTE_DOC_PREFIX) ? notes : debriefs);
  return {
    authenticate: (req) => debriefs.authenticate(req),
    clientAddress: (req) => debriefs.clientAddress(req),
    authorize: (user, docId) => hooksOf(docId).authorize(user, docId),
    kindOf: (docId) => hooksOf(docId).kindOf(docId),
    presenceToRelay: (state, from, docId) => hooksOf(docId).presenceToRelay(state, from, docId),
    onRoomLoaded: (docId, room) => hooksOf(docId).onRoomLoaded?.(docId, room),
    onJoin: (docId, user) => hooksOf(docId).onJoin?.(docId, user),
  };
}

/**
 * What is relayed of a presence state, from a kind's presence parser: the parsed state (nothing
 * the schema does not know), naming the connection's own user, with the name and colour the
 * others see set here from the signed-in account (a partner could otherwise show up as the other
 * partner, in her colour). `asReader` takes out what a read-only connection has no business
 * showing. y-websocket announces an empty state before the app fills it in: relayed as empty.
 */
export function presenceRelay<P extends { user: PresenceUser }>(
  parse: (state: unknown) => P | null,
  asReader: (presence: P) => P = (presence) => presence,
): CollabHooks['presenceToRelay'] {
  return (state, { user, readOnly }) => {
    if (isEmptyObject(state)) return {};
    const presence = parse(state);
    if (!presence || presence.user.id !== user.id) return null;
    const relayed = { ...presence, user: presenceUser({ id: user.id, name: user.displayName }) };
    return readOnly ? asReader(relayed) : relayed;
  };
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;
}
