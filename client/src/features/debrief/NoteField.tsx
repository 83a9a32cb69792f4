import { useId } from 'react';
import { MAX_ANNOTATION_TEXT } from '@kneadback/shared/schemas/annotation';
import { useDraft } from '../../lib/useDraft.ts';
import { useSpeechRecognition } from './useSpeechRecognition.ts';

interface NoteFieldProps {
  value: string;
  onCommit: (text: string) => void;
}

/** Optional free text; typed, or dictated where the browser can listen. */
export function NoteField({ value, onCommit }: NoteFieldProps) {
  const id = useId();
  const { draft, change, flush } = useDraft(value, onCommit);
  const dictation = useSpeechRecognition();

  function append(text: string) {
    if (!text) return;
    change((previous) => (previous.trim() ? `${previous.trimEnd()} ${text}` : text).slice(0, MAX_ANNOTATION_TEXT));
  }

  return (
    <div className="field note-field">
      <div className="note-field__head">
        <label htmlFor={id} className="field__label">
          Note <span className="optional">(optional)</span>
        </label>
        {dictation.supported && (
          <button
            type="button"
            className="button button--secondary note-field__dictate"
            aria-pressed={dictation.listening}
            onClick={() => (dictation.listening ? dictation.stop() : dictation.start(append))}
          >
            {dictation.listening ? 'Stop dictating' : 'Dictate'}
          </button>
        )}
      </div>
      <textarea
        id={id}
        className="field__input note-field__input"
        rows={3}
        maxLength={MAX_ANNOTATION_TEXT}
        value={draft}
        placeholder="What did you notice? Tags and numbers often say enough."
        onChange={(e) => change(e.target.value)}
        onBlur={flush}
      />
      {dictation.listening && (
        <p className="field__hint" role="status">
          Listening… speak, then tap “Stop dictating”.
        </p>
      )}
      {dictation.error && <p className="field__error">{dictation.error}</p>}
    </div>
  );
}
