import { noteIdFromDocName } from '@kneadback/shared/docs/note-doc';
import { noteKind } from '@kneadback/shared/docs/note-rules';
import { parseNotePresence } from '@kneadback/shared/docs/presence';
import type { ChangeFeed } from '../../scale/change-feed.ts';
import { presenceCheck, type KindHooks } from '../document-hooks.ts';
import type { NoteProjector } from './projector.ts';
import type { NoteService } from './service.ts';

/** A note on the Yjs endpoint: owners and editors write, readers and the community only read. */
export function noteCollabHooks(deps: {
  notes: NoteService;
  projector: NoteProjector;
  changes: ChangeFeed;
}): KindHooks {
  return {
    authorize: async (user, docId) => {
      // sharing changed on another process just before must count here too
      await deps.changes.caughtUp();
      return deps.notes.collabAccess(user.id, noteIdFromDocName(docId));
    },
    kindOf: () => noteKind,
    checkPresence: presenceCheck(parseNotePresence),
    onRoomLoaded: (docId, room) => {
      const noteId = noteIdFromDocName(docId);
      return noteId ? deps.projector.attach(noteId, room) : undefined;
    },
  };
}
