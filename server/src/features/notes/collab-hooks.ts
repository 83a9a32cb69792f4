import { noteIdFromDocName } from '@kneadback/shared/docs/note-doc';
import { noteKind } from '@kneadback/shared/docs/note-rules';
import { parseNotePresence } from '@kneadback/shared/docs/presence';
import type { KindHooks } from '../document-hooks.ts';
import type { NoteProjector } from './projector.ts';
import type { NoteService } from './service.ts';

/** A note on the Yjs endpoint: owners and editors write, readers and the community only read. */
export function noteCollabHooks(deps: { notes: NoteService; projector: NoteProjector }): KindHooks {
  return {
    authorize: async (user, docId) => deps.notes.collabAccess(user.id, noteIdFromDocName(docId)),
    kindOf: () => noteKind,
    checkPresence(state, user) {
      // y-websocket announces an empty state before the app fills in its presence
      if (typeof state === 'object' && state !== null && Object.keys(state).length === 0) return null;
      const presence = parseNotePresence(state);
      if (!presence) return 'presence does not match the schema';
      return presence.user.id === user.id ? null : 'presence names someone else';
    },
    onRoomLoaded: (docId, room) => {
      const noteId = noteIdFromDocName(docId);
      return noteId ? deps.projector.attach(noteId, room) : undefined;
    },
  };
}
