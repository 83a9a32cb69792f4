import { PROFILE_PARTS, type ProfilePart } from '@kneadback/shared/profile-vocabulary';
import type {
  AvailabilitySlot,
  Certification,
  ModalityYears,
  OwnProfile,
  ProfileView,
  ProfileVisibility,
} from '@kneadback/shared/schemas/profile';
import type { PublicUser } from '@kneadback/shared/schemas/user';
import { distanceBand, distanceKm } from './location.ts';
import type { ProfileDoc } from './model.ts';

// How a stored profile reads to its owner and to others; the service decides who is asking.

const DEFAULT_VISIBILITY = Object.fromEntries(PROFILE_PARTS.map((p) => [p, 'everyone'])) as ProfileVisibility;

/** The whole profile, every part never saved filled with its default: what the owner edits and search reads. */
export function ownProfile(user: PublicUser, doc: ProfileDoc | null): OwnProfile {
  return {
    id: user.id,
    displayName: user.displayName,
    bio: doc?.bio ?? '',
    modalities: modalityYears(user, doc),
    specialties: doc?.specialties ?? [],
    certifications: certifications(doc),
    languages: doc?.languages ?? [],
    city: user.city,
    location: doc?.location?.lat != null ? { lat: doc.location.lat, lng: doc.location.lng } : null,
    availability: availability(doc),
    openToExchanges: doc?.openToExchanges ?? false,
    visibility: { ...DEFAULT_VISIBILITY, ...doc?.visibility },
    photoVersion: doc?.photoVersion ?? null,
  };
}

/** The modality names live on the user; their years on the profile (0 when never given). */
function modalityYears(user: PublicUser, doc: ProfileDoc | null): ModalityYears[] {
  const years = new Map((doc?.modalityYears ?? []).map((m) => [m.modality, m.years]));
  return user.modalities.map((modality) => ({ modality, years: years.get(modality) ?? 0 }));
}

function certifications(doc: ProfileDoc | null): Certification[] {
  return (doc?.certifications ?? []).map(({ title, modality, issuer, year, qualifiesToTeach }) => ({
    title,
    modality,
    issuer,
    year,
    qualifiesToTeach,
  }));
}

function availability(doc: ProfileDoc | null): AvailabilitySlot[] {
  return (doc?.availability ?? []).map(({ day, part }) => ({ day, part }));
}

/** Only the parts this viewer may see; the position itself never, at most a distance band. */
export function present(
  user: PublicUser,
  doc: ProfileDoc | null,
  relationship: ProfileView['relationship'],
  exchangeCount: number,
  viewerLocation: { lat: number; lng: number } | null,
): ProfileView {
  const own = ownProfile(user, doc);
  const shown = (part: ProfilePart) => relationship !== 'other' || own.visibility[part] === 'everyone';
  const view: ProfileView = {
    id: user.id,
    displayName: user.displayName,
    openToExchanges: own.openToExchanges,
    relationship,
  };
  if (shown('photo')) view.photoVersion = own.photoVersion;
  if (shown('bio')) view.bio = own.bio;
  if (shown('modalities')) view.modalities = own.modalities;
  if (shown('specialties')) view.specialties = own.specialties;
  if (shown('certifications')) view.certifications = own.certifications;
  if (shown('languages')) view.languages = own.languages;
  if (shown('availability')) view.availability = own.availability;
  if (shown('exchangeCount')) view.exchangeCount = exchangeCount;
  if (shown('location')) {
    view.city = own.city;
    view.distanceBand =
      own.location && viewerLocation && relationship !== 'self'
        ? distanceBand(distanceKm(viewerLocation, own.location))
        : null;
  }
  return view;
}
