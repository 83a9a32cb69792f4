import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { newNotePath, notePath } from '../../lib/links.ts';
import { kindLabel } from './noteLabels.ts';
import { noteQueries } from './noteApi.ts';
import './markNotes.css';

/** In a debrief's open mark: the notes about it you may read, and a way to write one. */
export function MarkNotes({ markId }: { markId: string }) {
  const { exchangeId = '' } = useParams();
  const notes = useQuery(noteQueries.aboutMark(exchangeId, markId));
  const list = notes.data?.notes ?? [];
  return (
    <section className="mark-notes" aria-labelledby={`mark-notes-${markId}`}>
      <h3 id={`mark-notes-${markId}`} className="mark-notes__title">
        Notes about this
      </h3>
      {notes.isError ? (
        <p className="mark-notes__empty">Notes about this mark can't be loaded right now.</p>
      ) : list.length > 0 ? (
        <ul className="mark-notes__list">
          {list.map((note) => (
            <li key={note.id}>
              <Link to={notePath(note.id)} className="mark-notes__note">
                {note.title.trim() || 'Untitled note'}
                <span className="mark-notes__kind"> · {kindLabel(note.kind)}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        !notes.isPending && <p className="mark-notes__empty">No notes yet.</p>
      )}
      <Link to={newNotePath({ type: 'mark', exchangeId, markId })} className="button button--secondary">
        Write a note about this
      </Link>
    </section>
  );
}
