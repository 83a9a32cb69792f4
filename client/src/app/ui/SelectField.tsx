import { useId, type ComponentProps, type ReactNode } from 'react';
import { cx } from './cx.ts';
import { FieldMessages, describedBy } from './FieldMessages.tsx';

export interface Choice<V extends string> {
  value: V;
  label: string;
}

type SelectFieldProps<V extends string> = Omit<ComponentProps<'select'>, 'id' | 'children'> & {
  label: string;
  options: readonly Choice<V>[];
  hint?: ReactNode;
  error?: string | undefined;
};

export function SelectField<V extends string>({
  label,
  options,
  hint,
  error,
  className,
  ...select
}: SelectFieldProps<V>) {
  const id = useId();
  return (
    <div className={cx('field', className)}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      <select
        {...select}
        id={id}
        className="field__input field__select"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldMessages id={id} hint={hint} error={error} />
    </div>
  );
}
