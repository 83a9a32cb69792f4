import { useId } from 'react';
import { cx } from '../../../app/ui/cx.ts';
import { useDraft } from '../../../lib/useDraft.ts';

interface DraftTextProps {
  label: string;
  value: string;
  maxLength: number;
  onCommit: (value: string) => void;
  multiline?: boolean;
  hint?: string;
  className?: string;
}

/** A text field of the live note: shows others' edits unless you are typing, writes back after a pause. */
export function DraftText({ label, value, maxLength, onCommit, multiline, hint, className }: DraftTextProps) {
  const id = useId();
  const { draft, change, flush } = useDraft(value, onCommit, 400);
  const common = {
    id,
    className: 'field__input',
    value: draft,
    maxLength,
    onBlur: flush,
    'aria-describedby': hint ? `${id}-hint` : undefined,
  };
  return (
    <div className={cx('field', className)}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {multiline ? (
        <textarea {...common} rows={4} onChange={(e) => change(e.target.value)} />
      ) : (
        <input {...common} type="text" onChange={(e) => change(e.target.value)} />
      )}
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}
