import { useId } from 'react';
import { FieldMessages, describedBy } from '../../app/ui/FieldMessages.tsx';
import { cx } from '../../app/ui/cx.ts';

export interface FilterOption {
  value: string;
  label: string;
}
export interface FilterGroup {
  label: string;
  options: readonly FilterOption[];
}

interface FilterSelectProps {
  label: string;
  /** The empty choice, e.g. "Any category". */
  anyLabel: string;
  value: string;
  onChange: (value: string) => void;
  options?: readonly FilterOption[];
  groups?: readonly FilterGroup[];
  error?: string | undefined;
  className?: string | undefined;
}

/**
 * A select in the look of SelectField, with option groups and an empty "any" choice. A value the options do not
 * know (a hand-edited or outdated link) is shown as it is rather than silently displayed as the first option.
 */
export function FilterSelect({
  label,
  anyLabel,
  value,
  onChange,
  options = [],
  groups = [],
  error,
  className,
}: FilterSelectProps) {
  const id = useId();
  const known = options.some((o) => o.value === value) || groups.some((g) => g.options.some((o) => o.value === value));
  return (
    <div className={cx('field', className)}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <select
        id={id}
        className="field__input field__select"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, undefined, error)}
      >
        <option value="">{anyLabel}</option>
        {value && !known && <option value={value}>{`${value} (not recognised)`}</option>}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
        {groups.map((g) => (
          <optgroup key={g.label} label={g.label}>
            {g.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      <FieldMessages id={id} error={error} />
    </div>
  );
}
