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
import { SelectField } from '../../app/ui/SelectField.tsx';
import { TextField } from '../../app/ui/TextField.tsx';
import { EMPTY_FILTERS, type FilterKey, type Filters } from './searchParams.ts';

const any = (label: string) => [{ value: '', label }];
const MODALITY_CHOICES = [
  ...any('Any modality'),
  ...MODALITIES.map((value) => ({ value, label: MODALITY_LABELS[value] })),
];
const TEACHES_CHOICES = [...any('No need'), ...MODALITIES.map((value) => ({ value, label: MODALITY_LABELS[value] }))];
const LANGUAGE_CHOICES = [
  ...any('Any language'),
  ...LANGUAGES.map((value) => ({ value, label: LANGUAGE_LABELS[value] })),
];
const DAY_CHOICES = [...any('Any day'), ...WEEKDAYS.map((value) => ({ value, label: WEEKDAY_LABELS[value] }))];
const PART_CHOICES = [...any('Any time'), ...DAY_PARTS.map((value) => ({ value, label: DAY_PART_LABELS[value] }))];
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

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(draft);
  }

  return (
    <form className="card partner-filters" onSubmit={submit} role="search" aria-label="Find exchange partners">
      <div className="partner-filters__grid">
        <SelectField
          label="Modality"
          options={MODALITY_CHOICES}
          value={draft.modality}
          onChange={set('modality')}
          error={errorFor('modality')}
        />
        <TextField
          label="City"
          value={draft.city}
          onChange={set('city')}
          maxLength={80}
          autoComplete="address-level2"
          error={errorFor('city')}
        />
        <SelectField
          label="Near"
          options={NEAR_CHOICES}
          value={draft.near}
          onChange={set('near')}
          error={errorFor('lat', 'lng')}
        />
        <SelectField
          label="Distance"
          options={DISTANCE_CHOICES}
          value={draft.maxKm}
          onChange={set('maxKm')}
          error={errorFor('maxKm')}
        />
        <SelectField
          label="Language"
          options={LANGUAGE_CHOICES}
          value={draft.language}
          onChange={set('language')}
          error={errorFor('language')}
        />
        <SelectField
          label="Day"
          options={DAY_CHOICES}
          value={draft.day}
          onChange={set('day')}
          error={errorFor('day')}
        />
        <SelectField
          label="Time of day"
          options={PART_CHOICES}
          value={draft.part}
          onChange={set('part')}
          error={errorFor('part')}
        />
        <TextField
          label="Specialty"
          value={draft.specialty}
          onChange={set('specialty')}
          maxLength={40}
          placeholder="e.g. sports injuries"
          error={errorFor('specialty')}
        />
        <SelectField
          label="Qualified to teach"
          options={TEACHES_CHOICES}
          value={draft.teaches}
          onChange={set('teaches')}
          error={errorFor('teaches')}
        />
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
