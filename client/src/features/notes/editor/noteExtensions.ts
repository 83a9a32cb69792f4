import type { Extensions } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import StarterKit from '@tiptap/starter-kit';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import { isSafeHref } from '@kneadback/shared/docs/note-doc';
import type { PresenceUser } from '@kneadback/shared/docs/presence';
import { SafeCollaborationCaret } from './safeCarets.ts';

/**
 * What a note's body may hold: headings, lists, checklists, quotes, bold/italic and web or e-mail
 * links. ProseMirror drops whatever its schema does not know, so pasted HTML or script is inert.
 */
function bodySchema(): Extensions {
  return [
    StarterKit.configure({
      // Undo is the collaboration plugin's: it undoes only this person's own changes
      undoRedo: false,
      // Appending an empty paragraph is a change; a reader's device must never make one
      trailingNode: false,
      heading: { levels: [2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
        isAllowedUri: (url) => isSafeHref(url),
        HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: '_blank' },
      },
    }),
    TaskList,
    TaskItem.configure({ nested: true }),
  ];
}

/** The editor bound to a note's shared body, showing everyone else's caret and name. */
export function liveNoteExtensions(
  fragment: Y.XmlFragment,
  provider: WebsocketProvider,
  user: PresenceUser,
): Extensions {
  return [...bodySchema(), Collaboration.configure({ fragment }), SafeCollaborationCaret.configure({ provider, user })];
}
