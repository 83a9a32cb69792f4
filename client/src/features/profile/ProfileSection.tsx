import type { ReactNode } from 'react';
import type { ProfilePart, Visibility } from '@kneadback/shared/profile-vocabulary';
import { FieldMessages } from '../../app/ui/FieldMessages.tsx';
import { VisibilitySelect } from './VisibilitySelect.tsx';

/** One part of the profile editor: a heading, who sees it, the fields, and the part's error. */
export function ProfileSection({
  title,
  part,
  visibility,
  onVisibility,
  error,
  children,
}: {
  title: string;
  part: ProfilePart;
  visibility: Visibility;
  onVisibility: (next: Visibility) => void;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <fieldset className="profile-part">
      <legend className="profile-part__title">{title}</legend>
      <VisibilitySelect part={part} value={visibility} onChange={onVisibility} />
      {children}
      <FieldMessages id={`profile-${part}`} error={error} />
    </fieldset>
  );
}
