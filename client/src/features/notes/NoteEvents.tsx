import { useQueryClient } from '@tanstack/react-query';
import { useLocation } from 'react-router-dom';
import { useToast } from '../../app/ui/Toast.tsx';
import { useEvent } from '../../lib/events.ts';
import { notePath } from '../../lib/links.ts';
import { queryKeys } from '../../lib/query-keys.ts';

const keys = queryKeys.notes;

/**
 * What the server pushes about notes, wherever the person is: a share is announced, and every
 * notes list or note page on screen refetches what changed. Renders nothing.
 */
export function NoteEvents() {
  const client = useQueryClient();
  const toast = useToast();
  const { pathname } = useLocation();

  useEvent('note:shared', ({ note, by, role }) => {
    void client.invalidateQueries({ queryKey: keys.all });
    if (pathname === notePath(note.id)) return;
    const may = role === 'editor' ? 'read and edit' : 'read';
    toast(
      `${by.displayName} shared “${note.title.trim() || 'Untitled note'}” with you: you may ${may} it. It is under Notes, Shared with me.`,
    );
  });
  useEvent('note:edited', ({ noteId }) => {
    void client.invalidateQueries({ queryKey: keys.sharedWithMe() });
    void client.invalidateQueries({ queryKey: keys.one(noteId), exact: true });
  });
  useEvent('note:access-changed', ({ noteId }) => {
    void client.invalidateQueries({ queryKey: keys.all });
    void client.invalidateQueries({ queryKey: keys.one(noteId) });
  });
  return null;
}
