import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { NoteSummary } from '@kneadback/shared/schemas/note';
import { tagLabel } from '@kneadback/shared/vocabulary';
import { formatDay } from '@kneadback/shared/format/days';
import { notePath } from '../../lib/links.ts';
import { accessLabel, kindLabel, noteFacts } from './noteLabels.ts';

interface NoteCardProps {
  note: NoteSummary;
  /** Under the title: the matching passage of a search, or who shared it. */
  children?: ReactNode;
}

/** One note in a list: the whole card opens it. */
export function NoteCard({ note, children }: NoteCardProps) {
  const facts = noteFacts(note);
  return (
    <li className="note-card">
      <Link to={notePath(note.id)} className="note-card__link">
        <span className="note-card__kind">{kindLabel(note.kind)}</span>
        <span className="note-card__title">
          {note.title.trim() || 'Untitled note'}
          {note.unseen && <span className="note-card__new">New</span>}
        </span>
        {facts && <span className="note-card__facts">{facts}</span>}
        {children}
        <span className="note-card__meta">
          {accessLabel(note)} · updated {formatDay(note.updatedAt, 'medium')}
          {note.helpfulCount > 0 && ` · ${note.helpfulCount} found it helpful`}
        </span>
        {note.tags.length > 0 && (
          <span className="note-card__tags">
            {note.tags.map((tag) => (
              <span key={tag} className="note-card__tag">
                {tagLabel(tag)}
              </span>
            ))}
          </span>
        )}
      </Link>
    </li>
  );
}

/** The passage a search matched, with the matched words marked. */
export function Snippet({ text, highlights }: { text: string; highlights: readonly (readonly [number, number])[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of [...highlights].sort((a, b) => a[0] - b[0])) {
    if (start < at || end <= start) continue;
    parts.push(text.slice(at, start), <mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  parts.push(text.slice(at));
  return <span className="note-card__snippet">{parts}</span>;
}
