import { NOTE_DOC_PREFIX } from '@kneadback/shared/docs/note-doc';
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
