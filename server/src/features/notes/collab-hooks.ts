import { noteIdFromDocName } from '@kneadback/shared/docs/note-doc';
import { noteKind } from '@kneadback/shared/docs/note-rules';
import { parseNotePresence } from '@kneadback/shared/docs/presence';
import type { ChangeFeed } from '../../scale/change-feed.ts';
import { presenceRelay, type KindHooks } from '../document-hooks.ts';
import type { NoteProjector } from './projector.ts';
import type { NoteService } from './service.ts';
import type { NoteStorage } from './storage.ts';

/** A note on the Yjs endpoint: owners and editors write, readers and the community only read. */
export function noteCollabHooks(deps: {
  notes: NoteService;
  projector: NoteProjector;
  changes: ChangeFeed;
  storage: NoteStorage;
}): KindHooks {
  return {
    authorize: async (user, docId) => {
      // sharing changed on another process just before must count here too
      await deps.changes.caughtUp();
      const noteId = noteIdFromDocName(docId);
      const access = deps.notes.collabAccess(user.id, noteId);
      // read fresh before anyone writes: the note's growth is judged against it (NoteProjector)
      const ownerId = noteId && deps.notes.find(noteId)?.ownerId;
      if (access === 'allowed' && ownerId) await deps.storage.used(ownerId);
      return access;
    },
    kindOf: () => noteKind,
    // A reader's editor cannot take the caret, so the app never sends one for them: any caret from
    // a reader is made up, and it would draw a name and a highlight into the author's text.
    presenceToRelay: presenceRelay(parseNotePresence, (presence) => ({ ...presence, cursor: null })),
    onRoomLoaded: (docId, room) => {
      const noteId = noteIdFromDocName(docId);
      return noteId ? deps.projector.attach(noteId, room) : undefined;
    },
  };
}
