import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { LoadFailed, Loading } from '../../../app/ui/QueryStatus.tsx';
import { usePageTitle } from '../../../app/usePageTitle.ts';
import { NoteCard } from '../NoteCard.tsx';
import { formatDay } from '@kneadback/shared/format/days';
import { storageSize } from '@kneadback/shared/schemas/note';
import { noteQueries } from '../noteApi.ts';
import '../notes.css';

const TABS = [
  { id: 'mine', label: 'Mine' },
  { id: 'shared', label: 'Shared with me' },
  { id: 'community', label: 'Community' },
] as const;
type Tab = (typeof TABS)[number]['id'];

/** /notes — your notes, what partners shared with you (with what is new), and the community library. */
export function NotesPage() {
  usePageTitle('Notes');
  const [params, setParams] = useSearchParams();
  const tab: Tab = TABS.find((t) => t.id === params.get('tab'))?.id ?? 'mine';
  const shared = useQuery(noteQueries.sharedWithMe());
  const unseen = shared.data?.unseenCount ?? 0;
  const panelId = useId();

  return (
    <div className="page stack notes-page">
      <div className="notes-page__head">
        <h1>Notes</h1>
        <div className="notes-page__actions">
          <Link to="/notes/search" className="button button--secondary">
            Search notes
          </Link>
          <Link to="/notes/new" className="button button--primary">
            New note
          </Link>
        </div>
      </div>
      <div role="tablist" aria-label="Which notes" className="notes-tabs">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`${panelId}-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={panelId}
            className="notes-tabs__tab"
            onClick={() => setParams(t.id === 'mine' ? {} : { tab: t.id }, { replace: true })}
          >
            {t.label}
            {t.id === 'shared' && unseen > 0 && (
              <span className="notes-tabs__count">
                {unseen}
                <span className="visually-hidden"> new</span>
              </span>
            )}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={`${panelId}-${tab}`}>
        {tab === 'shared' ? <SharedWithMe /> : <ScopeList scope={tab} />}
        {tab === 'mine' && <StorageUsed />}
      </div>
    </div>
  );
}

const EMPTY: Record<'mine' | 'community', string> = {
  mine: 'You have no notes yet. Start one here, from a mark in a debrief, or from a pattern in Review.',
  community: 'No one has published a note to the community yet.',
};

function ScopeList({ scope }: { scope: 'mine' | 'community' }) {
  const query = useQuery(noteQueries.search(new URLSearchParams({ scope, sort: 'recent', pageSize: '50' }).toString()));
  const what = scope === 'mine' ? 'your notes' : 'community notes';
  if (query.isPending) return <Loading what={what} />;
  if (query.isError) return <LoadFailed what={what} query={query} />;
  const { items, total } = query.data;
  if (items.length === 0) return <p className="notes-empty">{EMPTY[scope]}</p>;
  return (
    <>
      <ul className="note-list">
        {items.map((note) => (
          <NoteCard key={note.id} note={note} />
        ))}
      </ul>
      {total > items.length && (
        <p className="field__hint">
          The newest {items.length} of {total}.{' '}
          <Link className="touch-link" to={`/notes/search?scope=${scope}`}>
            Search them all
          </Link>
        </p>
      )}
    </>
  );
}

/** What your notes take of your storage; nothing while it loads or if it cannot (it is a footnote). */
function StorageUsed() {
  const query = useQuery(noteQueries.storage());
  if (!query.data) return null;
  const { usedBytes, quotaBytes } = query.data.storage;
  return (
    <p className="field__hint">
      Your notes and their named versions use {storageSize(usedBytes)} of your {storageSize(quotaBytes)}.
    </p>
  );
}

function SharedWithMe() {
  const query = useQuery(noteQueries.sharedWithMe());
  if (query.isPending) return <Loading what="notes shared with you" />;
  if (query.isError) return <LoadFailed what="notes shared with you" query={query} />;
  const { items } = query.data;
  if (items.length === 0) {
    return <p className="notes-empty">No partner has shared a note with you yet.</p>;
  }
  return (
    <ul className="note-list">
      {items.map((note) => (
        <NoteCard key={note.id} note={note}>
          <span className="note-card__shared">
            Shared by {note.sharedBy.displayName} on {formatDay(note.sharedAt, 'medium')}
            {note.unseen && ' · changed since you last opened it'}
          </span>
        </NoteCard>
      ))}
    </ul>
  );
}
