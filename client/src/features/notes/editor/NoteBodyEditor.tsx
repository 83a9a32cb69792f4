import { EditorContent, useEditor } from '@tiptap/react';
import { useEffect } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type * as Y from 'yjs';
import type { PresenceUser } from '@kneadback/shared/docs/presence';
import { readCaretBeforeRemoteChanges } from './caretBeforeRemoteChanges.ts';
import { EditorToolbar } from './EditorToolbar.tsx';
import { liveNoteExtensions } from './noteExtensions.ts';
import './editor.css';

interface NoteBodyEditorProps {
  fragment: Y.XmlFragment;
  provider: WebsocketProvider;
  user: PresenceUser;
  /** False for a reader: the text cannot be changed and no formatting controls show. */
  editable: boolean;
  labelledBy: string;
}

/** The note's shared body: everyone's edits as they type, with each other's caret and name. */
export function NoteBodyEditor({ fragment, provider, user, editable, labelledBy }: NoteBodyEditorProps) {
  const editor = useEditor(
    {
      extensions: liveNoteExtensions(fragment, provider, user),
      editable,
      editorProps: {
        attributes: {
          class: 'note-body__content',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-labelledby': labelledBy,
          'aria-readonly': String(!editable),
        },
      },
    },
    // A new document, socket or role (a reader made an editor) needs a new editor; the name and
    // colour stay the same for a session
    [fragment, provider, editable],
  );
  useEffect(() => (editor ? readCaretBeforeRemoteChanges(editor.view, provider) : undefined), [editor, provider]);

  return (
    <div className="note-body">
      {editable && <EditorToolbar editor={editor} />}
      <EditorContent editor={editor} />
    </div>
  );
}
