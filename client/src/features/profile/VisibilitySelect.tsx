import { useId } from 'react';
import {
  PROFILE_PART_LABELS,
  VISIBILITIES,
  VISIBILITY_LABELS,
  type ProfilePart,
  type Visibility,
} from '@kneadback/shared/profile-vocabulary';

/** Who sees one part of the profile: a compact choice beside the part's heading. */
export function VisibilitySelect({
  part,
  value,
  onChange,
}: {
  part: ProfilePart;
  value: Visibility;
  onChange: (next: Visibility) => void;
}) {
  const id = useId();
  return (
    <div className="visibility">
      <label htmlFor={id} className="visibility__label">
        Who sees {PROFILE_PART_LABELS[part].toLowerCase()}
      </label>
      <select
        id={id}
        className="field__input field__select visibility__select"
        value={value}
        onChange={(e) => onChange(e.target.value as Visibility)}
      >
        {VISIBILITIES.map((v) => (
          <option key={v} value={v}>
            {VISIBILITY_LABELS[v]}
          </option>
        ))}
      </select>
    </div>
  );
}
