import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useParams } from 'react-router-dom';
import { useAuth } from '../../../app/AuthProvider.tsx';
import { LoadFailedPage, NotFoundPage } from '../../../app/StatusScreens.tsx';
import { Loading } from '../../../app/ui/QueryStatus.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { useEvent } from '../../../lib/events.ts';
import { queryKeys } from '../../../lib/query-keys.ts';
import { AccessRemoved } from '../note/AccessRemoved.tsx';
import { NoteWorkspace } from '../note/NoteWorkspace.tsx';
import { noteQueries } from '../noteApi.ts';
import '../notes.css';
import '../note/note.css';

/** /notes/:noteId — the live note, or why it cannot be shown. */
export function NotePage() {
  const { noteId = '' } = useParams();
  return <NoteById key={noteId} noteId={noteId} />;
}

function NoteById({ noteId }: { noteId: string }) {
  const { user } = useAuth();
  const client = useQueryClient();
  const [revoked, setRevoked] = useState(false);
  const query = useQuery({ ...noteQueries.one(noteId), enabled: !revoked });
  usePageTitle(query.data?.note.title.trim() || 'Note');

  const revoke = useCallback(() => {
    setRevoked(true);
    // Nothing of the note stays in memory either
    client.removeQueries({ queryKey: queryKeys.notes.one(noteId) });
  }, [client, noteId]);
  useEvent('note:access-changed', ({ noteId: changed, access }) => {
    if (changed === noteId && access === 'none') revoke();
  });

  if (revoked) return <AccessRemoved />;
  if (!user || query.isPending) return <Loading what="the note" />;
  if (query.isError) {
    const back = { to: '/notes', label: 'Back to your notes' };
    if (query.error.status === 404) {
      return (
        <NotFoundPage title="Note not found" back={back}>
          <p>This note does not exist, or it is not shared with you.</p>
        </NotFoundPage>
      );
    }
    return <LoadFailedPage what="the note" query={query} back={back} />;
  }
  return <NoteWorkspace note={query.data.note} me={user} onRevoked={revoke} />;
}
