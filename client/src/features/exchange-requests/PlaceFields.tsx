import { useId } from 'react';
import type { ExchangePlace } from '@kneadback/shared/schemas/exchange-request';
import { TextField } from '../../app/ui/TextField.tsx';
import { PLACE_CHOICES } from './labels.ts';

/** Where the exchange happens, as large tappable choices; "somewhere else" asks where (never a client's address). */
export function PlaceFields({
  place,
  placeNote,
  errors,
  onPlace,
  onPlaceNote,
}: {
  place: ExchangePlace;
  placeNote: string;
  errors: { place?: string | undefined; placeNote?: string | undefined };
  onPlace: (place: ExchangePlace) => void;
  onPlaceNote: (note: string) => void;
}) {
  const name = useId();
  return (
    <>
      <fieldset className="choice-group">
        <legend className="field__label">Where</legend>
        <div className="choice-group__options">
          {PLACE_CHOICES.map((c) => (
            <label key={c.value} className="choice">
              <input
                type="radio"
                className="choice__input"
                name={name}
                checked={place === c.value}
                onChange={() => onPlace(c.value)}
              />
              <span>{c.label}</span>
            </label>
          ))}
        </div>
        {errors.place && <p className="field__error">{errors.place}</p>}
      </fieldset>
      {place === 'elsewhere' && (
        <TextField
          label="Where exactly"
          hint="A studio or neighbourhood is enough."
          value={placeNote}
          maxLength={120}
          error={errors.placeNote}
          onChange={(e) => onPlaceNote(e.target.value)}
        />
      )}
    </>
  );
}
