// A whole profile body (PUT /api/profiles/me takes the whole profile), with the parts a test cares about changed.
import { PROFILE_PARTS, type ProfilePart, type Visibility } from '@kneadback/shared/profile-vocabulary';
import type { ProfileBody } from '@kneadback/shared/schemas/profile';
import type { SignedUpUser } from './http-client.ts';

export function everyone(): Record<ProfilePart, Visibility> {
  return Object.fromEntries(PROFILE_PARTS.map((p) => [p, 'everyone'])) as Record<ProfilePart, Visibility>;
}

export function profileBody(displayName: string, changes: Partial<ProfileBody> = {}): ProfileBody {
  return {
    displayName,
    bio: '',
    modalities: [],
    specialties: [],
    certifications: [],
    languages: [],
    city: '',
    location: null,
    availability: [],
    openToExchanges: true,
    visibility: everyone(),
    ...changes,
  };
}

/** Saves `changes` over an open-to-exchanges profile; throws unless the server accepted it. */
export async function saveProfile(who: SignedUpUser, changes: Partial<ProfileBody> = {}): Promise<void> {
  const res = await who.client.put('/api/profiles/me', profileBody(who.user.displayName, changes));
  if (res.status !== 200) throw new Error(`saving ${who.user.displayName}'s profile failed: ${res.status} ${res.text}`);
}
