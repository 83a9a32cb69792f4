import { useId } from 'react';
import { Link } from 'react-router-dom';
import { MAX_NOTE_REGIONS } from '@kneadback/shared/schemas/note';
import { reviewRegionPath } from '../../../lib/links.ts';
import { RegionOptions } from '../RegionOptions.tsx';
import { regionWithView } from '@kneadback/shared/body/index';

interface RegionsFieldProps {
  regions: readonly string[];
  canEdit: boolean;
  onChange: (next: string[]) => void;
}

/** The body regions a note is about; each opens the body map in Review at that region. */
export function RegionsField({ regions, canEdit, onChange }: RegionsFieldProps) {
  const id = useId();
  const chosen = new Set(regions);
  return (
    <div className="field note-regions">
      <span className="field__label" id={`${id}-label`}>
        Body regions
      </span>
      {regions.length === 0 ? (
        <p className="field__hint">{canEdit ? 'None yet.' : 'No region named.'}</p>
      ) : (
        <ul className="note-chips" aria-labelledby={`${id}-label`}>
          {regions.map((regionId) => (
            <li key={regionId} className="note-chip">
              <Link className="touch-link" to={reviewRegionPath(regionId)} title="Show on the body map in Review">
                {regionWithView(regionId)}
              </Link>
              {canEdit && (
                <button
                  type="button"
                  className="note-chip__remove"
                  aria-label={`Remove ${regionWithView(regionId)}`}
                  onClick={() => onChange(regions.filter((r) => r !== regionId))}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {canEdit && regions.length < MAX_NOTE_REGIONS && (
        <>
          <label htmlFor={id} className="visually-hidden">
            Add a body region
          </label>
          <select
            id={id}
            className="field__input field__select"
            value=""
            onChange={(e) => e.target.value && onChange([...regions, e.target.value])}
          >
            <option value="">Add a body region…</option>
            <RegionOptions omit={chosen} />
          </select>
        </>
      )}
    </div>
  );
}
