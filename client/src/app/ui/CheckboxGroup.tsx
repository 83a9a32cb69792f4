import { useId, type ReactNode } from 'react';
import { FieldMessages, describedBy } from './FieldMessages.tsx';
import type { Choice } from './SelectField.tsx';

interface CheckboxGroupProps<V extends string> {
  legend: string;
  options: readonly Choice<V>[];
  value: readonly V[];
  onChange: (next: V[]) => void;
  hint?: ReactNode;
  error?: string | undefined;
}

/** Multiple choice as large tappable tiles; the result keeps the options' order. */
export function CheckboxGroup<V extends string>({
  legend,
  options,
  value,
  onChange,
  hint,
  error,
}: CheckboxGroupProps<V>) {
  const id = useId();
  const selected = new Set(value);

  function toggle(option: V, checked: boolean) {
    const next = new Set(selected);
    if (checked) next.add(option);
    else next.delete(option);
    onChange(options.map((o) => o.value).filter((v) => next.has(v)));
  }

  return (
    <fieldset className="choice-group" aria-describedby={describedBy(id, hint, error)}>
      <legend className="field__label">{legend}</legend>
      <FieldMessages id={id} hint={hint} />
      <div className="choice-group__options">
        {options.map((o) => (
          <label key={o.value} className="choice">
            <input
              type="checkbox"
              className="choice__input"
              checked={selected.has(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      <FieldMessages id={id} error={error} />
    </fieldset>
  );
}
