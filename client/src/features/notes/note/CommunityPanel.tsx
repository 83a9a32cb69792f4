import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { MAX_ANNOTATION_TEXT } from '@kneadback/shared/schemas/annotation';
import type { NoteComment, NoteView } from '@kneadback/shared/schemas/note';
import { useAuth } from '../../../app/AuthProvider.tsx';
import { Alert } from '../../../app/ui/Alert.tsx';
import { Button } from '../../../app/ui/Button.tsx';
import { LoadFailed, Loading } from '../../../app/ui/QueryStatus.tsx';
import { asSentence } from '../../../lib/form-errors.ts';
import { formatDateTime } from '../../review/labels.ts';
import { noteQueries, useCommentActions, useHelpful } from '../noteApi.ts';

/** On a published note: "helpful" and a question-and-answer thread for every signed-in therapist. */
export function CommunityPanel({ note }: { note: NoteView }) {
  const helpful = useHelpful(note.id);
  const own = note.access === 'owner';
  return (
    <section className="note-section" aria-labelledby="note-community-title">
      <div className="note-section__head">
        <h2 id="note-community-title" className="note-section__title">
          Community
        </h2>
        {own ? (
          <p className="note-helpful">
            {note.helpfulCount} {note.helpfulCount === 1 ? 'therapist' : 'therapists'} found this helpful
          </p>
        ) : (
          <Button
            variant={note.helpfulByMe ? 'primary' : 'secondary'}
            aria-pressed={note.helpfulByMe}
            busy={helpful.isPending}
            onClick={() => helpful.mutate(!note.helpfulByMe)}
          >
            Helpful · {note.helpfulCount}
          </Button>
        )}
      </div>
      {helpful.error && <Alert tone="error">{asSentence(helpful.error.message)}</Alert>}
      <Comments noteId={note.id} />
    </section>
  );
}

function Comments({ noteId }: { noteId: string }) {
  const comments = useQuery(noteQueries.comments(noteId));
  const actions = useCommentActions(noteId);
  const [text, setText] = useState('');
  const id = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    actions.add.mutate(text.trim(), { onSuccess: () => setText('') });
  }

  return (
    <div className="stack">
      <h3 className="note-dialog__subtitle">Questions and comments</h3>
      {comments.isPending ? (
        <Loading what="the comments" />
      ) : comments.isError ? (
        <LoadFailed what="the comments" query={comments} />
      ) : comments.data.comments.length === 0 ? (
        <p className="field__hint">No questions yet.</p>
      ) : (
        <ol className="note-comments">
          {comments.data.comments.map((c) => (
            <CommentItem key={c.id} comment={c} actions={actions} />
          ))}
        </ol>
      )}
      <form className="stack note-comment-form" onSubmit={submit}>
        <label htmlFor={id} className="field__label">
          Ask a question or add a comment
        </label>
        <textarea
          id={id}
          className="field__input"
          rows={3}
          maxLength={MAX_ANNOTATION_TEXT}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        {actions.add.error && <Alert tone="error">{asSentence(actions.add.error.message)}</Alert>}
        <div>
          <Button type="submit" busy={actions.add.isPending} disabled={!text.trim()}>
            Post
          </Button>
        </div>
      </form>
    </div>
  );
}

function CommentItem({ comment, actions }: { comment: NoteComment; actions: ReturnType<typeof useCommentActions> }) {
  const { user } = useAuth();
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(comment.text);
  const mine = user?.id === comment.author.id;
  if (comment.deleted) {
    return <li className="note-comment note-comment--deleted">A comment was deleted.</li>;
  }
  return (
    <li className="note-comment">
      <p className="note-comment__meta">
        <strong>{comment.author.displayName}</strong> · {formatDateTime(comment.createdAt)}
        {comment.editedAt && ' · edited'}
      </p>
      {editing ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            actions.edit.mutate({ id: comment.id, text: text.trim() }, { onSuccess: () => setEditing(false) });
          }}
        >
          <label className="visually-hidden" htmlFor={`edit-${comment.id}`}>
            Edit your comment
          </label>
          <textarea
            id={`edit-${comment.id}`}
            className="field__input"
            rows={3}
            maxLength={MAX_ANNOTATION_TEXT}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <div className="note-comment__actions">
            <Button type="submit" busy={actions.edit.isPending} disabled={!text.trim()}>
              Save
            </Button>
            <Button variant="ghost" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <p className="note-comment__text">{comment.text}</p>
      )}
      {mine && !editing && (
        <div className="note-comment__actions">
          <Button variant="ghost" onClick={() => setEditing(true)}>
            Edit
          </Button>
          <Button
            variant="ghost"
            busy={actions.remove.isPending && actions.remove.variables === comment.id}
            onClick={() => actions.remove.mutate(comment.id)}
          >
            Delete
          </Button>
        </div>
      )}
    </li>
  );
}
