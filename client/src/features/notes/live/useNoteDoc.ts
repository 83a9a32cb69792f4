import { useCallback, useEffect, useState } from 'react';
import type * as Y from 'yjs';
import { ZodError } from 'zod';
import { noteBody, noteDocName, NoteDocError, readNoteFields, setNoteField } from '@kneadback/shared/docs/note-doc';
import type { NoteFields } from '@kneadback/shared/schemas/note';
import { openLiveDoc, type LiveDocSession } from '../../../lib/collab/liveDoc.ts';
import { useLiveSession, type LiveSessionState } from '../../../lib/collab/useLiveSession.ts';

const DISCARDED_MESSAGE =
  'Some changes on this device were refused by the server and have been discarded; the note now shows what the server has.';

export interface NoteDocApi extends LiveSessionState<LiveDocSession> {
  /** The rich-text body for the editor; null until the session opens. */
  fragment: Y.XmlFragment | null;
  /** Title, tags, regions and the kind's own fields; null until the server's copy (or this device's) arrived. */
  fields: NoteFields | null;
  setField: (key: string, value: unknown) => void;
}

/**
 * One live note: its Yjs document on the shared endpoint (`note:<id>`), kept on this device for
 * offline edits, with the fields read as typed values. Torn down on unmount.
 */
export function useNoteDoc(noteId: string, onError: (message: string) => void): NoteDocApi {
  const open = useCallback(
    (onDiscarded: () => void) => openLiveDoc({ kind: 'note', id: noteId, room: noteDocName(noteId) }, onDiscarded),
    [noteId],
  );
  const live = useLiveSession(noteDocName(noteId), open, DISCARDED_MESSAGE, onError);
  const doc = live.session?.doc ?? null;
  const fields = useNoteFields(doc);

  const setField = useCallback(
    (key: string, value: unknown) => {
      if (!doc) return;
      try {
        setNoteField(doc, key, value);
      } catch (err) {
        onError(describeFieldError(err));
      }
    },
    [doc, onError],
  );

  return { ...live, fragment: doc ? noteBody(doc) : null, fields, setField };
}

function useNoteFields(doc: Y.Doc | null): NoteFields | null {
  const [fields, setFields] = useState<NoteFields | null>(null);
  useEffect(() => {
    if (!doc) return;
    // Every change, since the kind arrives with the server's copy in a root observeNote does not
    // watch; typing in the body leaves the fields as they were, so nothing re-renders then.
    const read = () => {
      const next = readNoteFields(doc);
      setFields((current) => (JSON.stringify(current) === JSON.stringify(next) ? current : next));
    };
    read();
    doc.on('update', read);
    return () => {
      doc.off('update', read);
      setFields(null);
    };
  }, [doc]);
  return fields;
}

function describeFieldError(err: unknown): string {
  if (err instanceof ZodError) return err.issues[0]?.message ?? 'That change is not valid.';
  if (err instanceof NoteDocError) return `That change was not made: ${err.message}.`;
  console.error(err);
  return 'That change could not be made.';
}
