import { useState } from 'react';
import { PLACES } from '@kneadback/shared/profile-vocabulary';
import type { ApproximateLocation } from '@kneadback/shared/schemas/profile';
import { Button } from '../../app/ui/Button.tsx';

const NONE = '';
const OWN = 'own';

/**
 * An approximate location: a city centre from the list, or this device's position. Either way
 * the server keeps it only to a grid of about 2 km, and others see a distance band, never a place.
 */
export function LocationField({
  value,
  onChange,
}: {
  value: ApproximateLocation | null;
  onChange: (next: ApproximateLocation | null) => void;
}) {
  const [locating, setLocating] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const place = value && PLACES.find((p) => Math.abs(p.lat - value.lat) < 0.011 && Math.abs(p.lng - value.lng) < 0.011);
  const selected = value === null ? NONE : place ? place.id : OWN;

  function useDevice() {
    if (!('geolocation' in navigator)) {
      setProblem('This browser cannot tell its location. Choose a city instead.');
      return;
    }
    setLocating(true);
    setProblem(null);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        onChange({ lat: pos.coords.latitude, lng: pos.coords.longitude });
      },
      () => {
        setLocating(false);
        setProblem('Could not get this device’s location. Choose a city instead.');
      },
      { enableHighAccuracy: false, timeout: 15_000 },
    );
  }

  return (
    <div className="location-field">
      <label className="field__label" htmlFor="profile-location">
        Approximate location, for distances
      </label>
      <select
        id="profile-location"
        className="field__input field__select"
        value={selected}
        onChange={(e) => {
          const p = PLACES.find((x) => x.id === e.target.value);
          onChange(p ? { lat: p.lat, lng: p.lng } : null);
        }}
      >
        <option value={NONE}>None (no distances)</option>
        {selected === OWN && <option value={OWN}>This device’s area (about 2 km)</option>}
        {PLACES.map((p) => (
          <option key={p.id} value={p.id}>
            Centre of {p.name}
          </option>
        ))}
      </select>
      <Button variant="secondary" busy={locating} onClick={useDevice}>
        Use this device’s area
      </Button>
      <p className="field__hint">Kept only to about 2 km. Others see how far you are (e.g. “5–15 km”), never where.</p>
      {problem && <p className="field__error">{problem}</p>}
    </div>
  );
}
