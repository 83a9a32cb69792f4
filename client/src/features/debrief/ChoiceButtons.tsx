import { useId, type ReactNode } from 'react';
import { cx } from '../../app/ui/cx.ts';

export interface ButtonChoice<V extends string | number> {
  value: V;
  label: ReactNode;
  /** Spoken instead of the label, when the label is terse ("7") or pictorial. */
  ariaLabel?: string;
}

interface ChoiceButtonsProps<V extends string | number> {
  legend: ReactNode;
  options: readonly ButtonChoice<V>[];
  value: V | null;
  onChange: (value: V) => void;
  /** Offers "Clear" for optional answers (a native radio group cannot be emptied). */
  onClear?: () => void;
  className?: string;
}

/**
 * One choice out of a few, as big tappable buttons. Native radios underneath: arrow keys,
 * one tab stop and the spoken "3 of 10" come for free.
 */
export function ChoiceButtons<V extends string | number>({
  legend,
  options,
  value,
  onChange,
  onClear,
  className,
}: ChoiceButtonsProps<V>) {
  const name = useId();
  return (
    <fieldset className={cx('choice-buttons', className)}>
      <div className="choice-buttons__head">
        <legend className="choice-buttons__legend">{legend}</legend>
        {onClear && value !== null && (
          <button type="button" className="link-button" onClick={onClear}>
            Clear
          </button>
        )}
      </div>
      <div className="choice-buttons__options">
        {options.map((option) => (
          <label key={option.value} className="choice-button">
            <input
              type="radio"
              className="choice-button__input"
              name={name}
              checked={value === option.value}
              onChange={() => onChange(option.value)}
              aria-label={option.ariaLabel}
            />
            <span className="choice-button__label">{option.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
