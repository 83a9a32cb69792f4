import { useState, type FormEvent } from 'react';
import {
  DAY_PART_LABELS,
  DAY_PARTS,
  LANGUAGE_LABELS,
  LANGUAGES,
  PLACES,
  WEEKDAY_LABELS,
  WEEKDAYS,
} from '@kneadback/shared/profile-vocabulary';
import { MODALITIES, MODALITY_LABELS } from '@kneadback/shared/vocabulary';
import { Button } from '../../app/ui/Button.tsx';
import { SelectField, type Choice } from '../../app/ui/SelectField.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { EMPTY_FILTERS, type FilterKey, type Filters } from './searchParams.ts';

const any = (label: string) => [{ value: '', label }];
/** "Any …" first, then each value in words. */
const anyOr = <V extends string>(label: string, values: readonly V[], labels: Record<V, string>) => [
  ...any(label),
  ...values.map((value) => ({ value, label: labels[value] })),
];
const MODALITY_CHOICES = anyOr('Any modality', MODALITIES, MODALITY_LABELS);
const TEACHES_CHOICES = anyOr('No need', MODALITIES, MODALITY_LABELS);
const LANGUAGE_CHOICES = anyOr('Any language', LANGUAGES, LANGUAGE_LABELS);
const DAY_CHOICES = anyOr('Any day', WEEKDAYS, WEEKDAY_LABELS);
const PART_CHOICES = anyOr('Any time', DAY_PARTS, DAY_PART_LABELS);
const NEAR_CHOICES = [...any('My area (from my profile)'), ...PLACES.map((p) => ({ value: p.id, label: p.name }))];
const DISTANCE_CHOICES = [
  ...any('Any distance'),
  ...[5, 15, 50, 200].map((km) => ({ value: String(km), label: `Within ${km} km` })),
];

/** The search form; text fields and choices apply together when the therapist taps Search. */
export function PartnerFilters({
  filters,
  fieldError,
  busy,
  onSearch,
}: {
  filters: Filters;
  fieldError: { field: string; message: string } | null;
  busy: boolean;
  onSearch: (filters: Filters) => void;
}) {
  const [draft, setDraft] = useState(filters);
  const set = (key: FilterKey) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const errorFor = (...keys: string[]) =>
    fieldError && keys.includes(fieldError.field) ? fieldError.message : undefined;
  const select = (key: FilterKey, label: string, options: readonly Choice<string>[], errorKeys: string[] = [key]) => (
    <SelectField
      label={label}
      options={options}
      value={draft[key]}
      onChange={set(key)}
      error={errorFor(...errorKeys)}
    />
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(draft);
  }

  return (
    <form className="card partner-filters" onSubmit={submit} role="search" aria-label="Find exchange partners">
      <div className="partner-filters__grid">
        {select('modality', 'Modality', MODALITY_CHOICES)}
        <TextField
          label="City"
          value={draft.city}
          onChange={set('city')}
          maxLength={80}
          autoComplete="address-level2"
          error={errorFor('city')}
        />
        {select('near', 'Near', NEAR_CHOICES, ['lat', 'lng'])}
        {select('maxKm', 'Distance', DISTANCE_CHOICES)}
        {select('language', 'Language', LANGUAGE_CHOICES)}
        {select('day', 'Day', DAY_CHOICES)}
        {select('part', 'Time of day', PART_CHOICES)}
        <TextField
          label="Specialty"
          value={draft.specialty}
          onChange={set('specialty')}
          maxLength={40}
          placeholder="e.g. sports injuries"
          error={errorFor('specialty')}
        />
        {select('teaches', 'Qualified to teach', TEACHES_CHOICES)}
      </div>
      <div className="partner-filters__actions">
        <Button type="submit" busy={busy}>
          Search
        </Button>
        <Button
          variant="ghost"
          onClick={() => {
            setDraft(EMPTY_FILTERS);
            onSearch(EMPTY_FILTERS);
          }}
        >
          Clear filters
        </Button>
      </div>
    </form>
  );
}
