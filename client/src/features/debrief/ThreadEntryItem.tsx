import { useId, useState } from 'react';
import { MAX_REPLY_TEXT, type ThreadEntry } from '@kneadback/shared/schemas/annotation';
import { Button } from '../../app/ui/Button.tsx';
import type { Reaction } from '../../lib/collab/useDebriefDoc.ts';
import { formatMoment } from './formatTime.ts';
import type { DebriefPeople } from './people.ts';
import { Reactions } from './Reactions.tsx';

interface ThreadEntryItemProps {
  entry: ThreadEntry;
  people: DebriefPeople;
  onEdit: (text: string) => boolean;
  onDelete: () => void;
  onReact: (emoji: Reaction) => void;
}

export function ThreadEntryItem({ entry, people, onEdit, onDelete, onReact }: ThreadEntryItemProps) {
  const author = people.nameOf(entry.authorId);
  const when = <time dateTime={new Date(entry.createdAt).toISOString()}>{formatMoment(entry.createdAt)}</time>;

  if (entry.kind !== 'reply') {
    return (
      <li className="thread-event">
        <span aria-hidden="true">{entry.kind === 'resolved' ? '✓' : '↺'}</span> {author}{' '}
        {entry.kind === 'resolved' ? 'resolved this' : 'reopened this'} · {when}
      </li>
    );
  }

  const own = entry.authorId === people.me.id;
  return (
    <li className="thread-reply">
      <p className="thread-reply__meta">
        <strong>{author}</strong> · {when}
        {entry.editedAt !== null && !entry.deleted && <> · edited</>}
      </p>
      {entry.deleted ? (
        <p className="thread-reply__deleted">Reply deleted</p>
      ) : own ? (
        <OwnReply entry={entry} onEdit={onEdit} onDelete={onDelete} />
      ) : (
        <p className="thread-reply__text">{entry.text}</p>
      )}
      {!entry.deleted && <Reactions entry={entry} people={people} onToggle={onReact} />}
    </li>
  );
}

function OwnReply({ entry, onEdit, onDelete }: Pick<ThreadEntryItemProps, 'entry' | 'onEdit' | 'onDelete'>) {
  const id = useId();
  const [editing, setEditing] = useState<string | null>(null);

  if (editing === null) {
    return (
      <>
        <p className="thread-reply__text">{entry.text}</p>
        <div className="thread-reply__actions">
          <button type="button" className="link-button" onClick={() => setEditing(entry.text)}>
            Edit
          </button>
          <button type="button" className="link-button link-button--danger" onClick={onDelete}>
            Delete
          </button>
        </div>
      </>
    );
  }
  return (
    <div className="thread-reply__edit">
      <label htmlFor={id} className="visually-hidden">
        Edit your reply
      </label>
      <textarea
        id={id}
        className="field__input"
        rows={2}
        maxLength={MAX_REPLY_TEXT}
        value={editing}
        autoFocus
        onChange={(e) => setEditing(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
      />
      <div className="thread-reply__actions">
        <Button variant="secondary" onClick={() => setEditing(null)}>
          Cancel
        </Button>
        <Button disabled={!editing.trim()} onClick={() => onEdit(editing) && setEditing(null)}>
          Save
        </Button>
      </div>
    </div>
  );
}
