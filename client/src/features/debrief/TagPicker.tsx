import { useId, useState, type FormEvent } from 'react';
import { MAX_TAGS, tagSchema } from '@kneadback/shared/schemas/annotation';
import { STARTER_TAGS, tagLabel, type Category } from '@kneadback/shared/vocabulary';
import { toTagSlug } from './annotationText.ts';

interface TagPickerProps {
  category: Category;
  tags: readonly string[];
  customTags: readonly string[];
  onChange: (tags: string[]) => void;
  /** A tag the person typed themselves, to offer again on later marks. */
  onCoin: (tag: string) => void;
}

/** Tags carry most critiques, so they are one tap each; typing a new one is the exception. */
export function TagPicker({ category, tags, customTags, onChange, onCoin }: TagPickerProps) {
  const inputId = useId();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const offered = [...new Set([...STARTER_TAGS[category], ...customTags, ...tags])];
  const full = tags.length >= MAX_TAGS;

  function toggle(tag: string) {
    onChange(tags.includes(tag) ? tags.filter((t) => t !== tag) : [...tags, tag]);
  }

  function add(event: FormEvent) {
    event.preventDefault();
    const parsed = tagSchema.safeParse(toTagSlug(draft));
    if (!parsed.success) {
      setError(draft.trim() ? (parsed.error.issues[0]?.message ?? 'not a valid tag') : 'type a few words first');
      return;
    }
    const tag = parsed.data;
    onCoin(tag);
    if (!tags.includes(tag) && !full) onChange([...tags, tag]);
    setDraft('');
    setError(null);
  }

  return (
    <fieldset className="tag-picker">
      <legend className="choice-buttons__legend">Tags</legend>
      {offered.length > 0 && (
        <ul className="chip-list">
          {offered.map((tag) => {
            const on = tags.includes(tag);
            return (
              <li key={tag}>
                <button
                  type="button"
                  className="chip"
                  aria-pressed={on}
                  disabled={!on && full}
                  onClick={() => toggle(tag)}
                >
                  {tagLabel(tag)}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {full && <p className="field__hint">A mark holds at most {MAX_TAGS} tags.</p>}
      {/* Not a <form>: the editor may sit inside other forms later, and nested forms are invalid. */}
      <div className="tag-picker__add">
        <label htmlFor={inputId} className="visually-hidden">
          New tag
        </label>
        <input
          id={inputId}
          className="field__input"
          value={draft}
          placeholder="Add your own tag"
          maxLength={60}
          enterKeyHint="done"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : undefined}
          onChange={(e) => {
            setDraft(e.target.value);
            setError(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') add(e);
          }}
        />
        <button type="button" className="button button--secondary" onClick={add}>
          Add tag
        </button>
      </div>
      {error && (
        <p id={`${inputId}-error`} className="field__error">
          Tag not added: {error}.
        </p>
      )}
    </fieldset>
  );
}
