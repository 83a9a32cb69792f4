import { SelectField } from '../../app/ui/SelectField.tsx';

const ROUND_CHOICES = [30, 45, 60, 75, 90, 120].map((m) => ({ value: String(m), label: `${m} minutes` }));

/** How long each round lasts, in the lengths therapists book. */
export function RoundLengthField({
  value,
  error,
  hint,
  onChange,
}: {
  value: string;
  error: string | undefined;
  hint: string;
  onChange: (minutes: string) => void;
}) {
  return (
    <SelectField
      label="Round length"
      hint={hint}
      options={ROUND_CHOICES}
      value={value}
      error={error}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}
