import { useId, useState, type FormEvent } from 'react';
import { tagSchema } from '@kneadback/shared/schemas/annotation';
import { MAX_TAGS } from '@kneadback/shared/schemas/annotation';
import { tagLabel } from '@kneadback/shared/vocabulary';

interface TagsFieldProps {
  tags: readonly string[];
  canEdit: boolean;
  onChange: (next: string[]) => void;
}

/** Free tags ("stacked-thumbs"); typed words become a tag the way the server keeps them. */
export function TagsField({ tags, canEdit, onChange }: TagsFieldProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  function add(event: FormEvent) {
    event.preventDefault();
    const typed = text.trim().toLowerCase().replace(/\s+/g, '-');
    const parsed = tagSchema.safeParse(typed);
    if (!parsed.success) {
      setProblem('A tag is one or more words of letters and numbers, at most 40 characters.');
      return;
    }
    setProblem(null);
    setText('');
    if (!tags.includes(parsed.data)) onChange([...tags, parsed.data]);
  }

  return (
    <div className="field note-tags">
      <span className="field__label" id={`${id}-label`}>
        Tags
      </span>
      {tags.length === 0 && !canEdit && <p className="field__hint">No tags.</p>}
      {tags.length > 0 && (
        <ul className="note-chips" aria-labelledby={`${id}-label`}>
          {tags.map((tag) => (
            <li key={tag} className="note-chip">
              {tagLabel(tag)}
              {canEdit && (
                <button
                  type="button"
                  className="note-chip__remove"
                  aria-label={`Remove the tag ${tagLabel(tag)}`}
                  onClick={() => onChange(tags.filter((t) => t !== tag))}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && tags.length < MAX_TAGS && (
        <form className="note-tags__add" onSubmit={add}>
          <label htmlFor={id} className="visually-hidden">
            New tag
          </label>
          <input
            id={id}
            className="field__input"
            value={text}
            placeholder="Add a tag, e.g. stacked thumbs"
            maxLength={40}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="button button--secondary">
            Add tag
          </button>
          {problem && (
            <p className="field__error" role="alert">
              {problem}
            </p>
          )}
        </form>
      )}
    </div>
  );
}
