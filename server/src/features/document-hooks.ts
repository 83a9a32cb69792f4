import { NOTE_DOC_PREFIX } from '@kneadback/shared/docs/note-doc';
import type { CollabUser } from '../collab/connection.ts';
import type { CollabHooks } from '../collab/hub.ts';

/** What the hub asks per kind of document: who may open it, its rules, what to attach. */
export type KindHooks = Pick<CollabHooks, 'authorize' | 'kindOf' | 'checkPresence' | 'onRoomLoaded' | 'onJoin'>;

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
    checkPresence: (state, user, docId) => hooksOf(docId).checkPresence(state, user, docId),
    onRoomLoaded: (docId, room) => hooksOf(docId).onRoomLoaded?.(docId, room),
    onJoin: (docId, user) => hooksOf(docId).onJoin?.(docId, user),
  };
}

/**
 * A presence check from a kind's presence parser: the state must match its schema and name the
 * connection's own user. y-websocket announces an empty state before the app fills it in.
 */
export function presenceCheck(
  parse: (state: unknown) => { user: { id: string } } | null,
): (state: unknown, user: CollabUser) => string | null {
  return (state, user) => {
    if (typeof state === 'object' && state !== null && Object.keys(state).length === 0) return null;
    const presence = parse(state);
    if (!presence) return 'presence does not match the schema';
    return presence.user.id === user.id ? null : 'presence names someone else';
  };
}
