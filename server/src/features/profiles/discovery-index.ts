import { MODALITIES, type Modality } from '@kneadback/shared/vocabulary';
import { DISTANCE_BANDS, type Language, type ProfilePart } from '@kneadback/shared/profile-vocabulary';
import {
  SEARCH_PAGE_SIZE,
  type ApproximateLocation,
  type OwnProfile,
  type PartnerCard,
  type PartnerSearchQuery,
  type PartnerSearchResponse,
} from '@kneadback/shared/schemas/profile';
import { distanceBand, distanceKm } from './location.ts';

/** One therapist as search sees them: only the parts they show everyone, pre-digested for matching. */
interface Entry {
  id: string;
  displayName: string;
  photoVersion: string | null;
  open: boolean;
  /** Their own location whatever its visibility: where "near me" starts when they search. */
  ownLocation: ApproximateLocation | null;
  modalities: Modality[];
  teaches: Modality[];
  specialties: string[];
  specialtiesLower: string[];
  languages: Language[];
  city: string | null;
  cityKey: string | null;
  location: ApproximateLocation | null;
  slots: Set<string>;
}

const cityKey = (city: string) => city.trim().toLowerCase();
const slotKey = (day: string | undefined, part: string | undefined) => `${day ?? '*'}-${part ?? '*'}`;

/** Complementary modalities count for this many distance bands in the ranking (see rank). */
const COMPLEMENTARY_WORTH_BANDS = 1.5;
const UNKNOWN_DISTANCE_BAND = DISTANCE_BANDS.length;

/**
 * Every profile in memory, for partner search. FerretDB v1 scans a collection for any filter
 * but `_id` equality, so a search by modality, city or language over 10,000 profiles would read
 * all of them on every request; here filtering and ranking 10,000 entries takes a few
 * milliseconds. Built once at start-up from one pass over users, profiles and block lists, then
 * kept in step by the services that write them (ProfileService, BlockService, account
 * deletion) and, with several server processes, by the change feed: they read again what
 * another process changed (server/src/scale/change-feed.ts).
 */
export class DiscoveryIndex {
  private readonly entries = new Map<string, Entry>();
  /** Who each user blocked, and the reverse: either direction keeps two people apart. */
  private readonly blocking = new Map<string, Set<string>>();
  private readonly blockedBy = new Map<string, Set<string>>();

  /** What search knows of one therapist: their profile as saved, or null when they have none. */
  put(userId: string, profile: OwnProfile | null): void {
    if (!profile) {
      this.entries.delete(userId);
      return;
    }
    const shown = (part: ProfilePart) => profile.visibility[part] === 'everyone';
    const specialties = shown('specialties') ? profile.specialties : [];
    this.entries.set(userId, {
      id: userId,
      displayName: profile.displayName,
      photoVersion: shown('photo') ? profile.photoVersion : null,
      open: profile.openToExchanges,
      ownLocation: profile.location,
      modalities: shown('modalities') ? profile.modalities.map((m) => m.modality) : [],
      teaches: shown('certifications')
        ? [...new Set(profile.certifications.filter((c) => c.qualifiesToTeach).map((c) => c.modality))]
        : [],
      specialties,
      specialtiesLower: specialties.map((s) => s.toLowerCase()),
      languages: shown('languages') ? profile.languages : [],
      city: shown('location') && profile.city ? profile.city : null,
      cityKey: shown('location') && profile.city ? cityKey(profile.city) : null,
      location: shown('location') ? profile.location : null,
      slots: new Set(
        shown('availability')
          ? profile.availability.flatMap((s) => [
              slotKey(s.day, s.part),
              slotKey(s.day, undefined),
              slotKey(undefined, s.part),
            ])
          : [],
      ),
    });
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  remove(userId: string): void {
    this.entries.delete(userId);
    this.setBlocked(userId, []);
    for (const blocker of this.blockedBy.get(userId) ?? []) this.blocking.get(blocker)?.delete(userId);
    this.blockedBy.delete(userId);
  }

  /** Replaces what the index knows of one blocker's list. */
  setBlocked(blockerId: string, blocked: readonly string[]): void {
    for (const id of this.blocking.get(blockerId) ?? []) this.blockedBy.get(id)?.delete(blockerId);
    this.blocking.set(blockerId, new Set(blocked));
    for (const id of blocked) {
      const set = this.blockedBy.get(id) ?? new Set<string>();
      set.add(blockerId);
      this.blockedBy.set(id, set);
    }
  }

  /** Everyone a block keeps apart from the user, either way round. */
  keptApart(userId: string): ReadonlySet<string> {
    return new Set([...(this.blocking.get(userId) ?? []), ...(this.blockedBy.get(userId) ?? [])]);
  }

  /** The blocker's own location, for "near me". */
  locationOf(userId: string): ApproximateLocation | null {
    return this.entries.get(userId)?.ownLocation ?? null;
  }

  get size(): number {
    return this.entries.size;
  }

  search(searcher: { id: string; modalities: readonly Modality[] }, query: PartnerSearchQuery): PartnerSearchResponse {
    const origin =
      query.lat !== undefined && query.lng !== undefined
        ? { lat: query.lat, lng: query.lng }
        : this.locationOf(searcher.id);
    const mine = new Set(searcher.modalities);
    const blocking = this.blocking.get(searcher.id);
    const blockedBy = this.blockedBy.get(searcher.id);
    const wantedCity = query.city ? cityKey(query.city) : null;
    const wantedSlot = query.day || query.part ? slotKey(query.day, query.part) : null;
    const specialty = query.specialty?.toLowerCase();

    const hits: { entry: Entry; km: number | null; key: number }[] = [];
    for (const entry of this.entries.values()) {
      if (!entry.open || entry.id === searcher.id) continue;
      if (blocking?.has(entry.id) || blockedBy?.has(entry.id)) continue;
      if (query.modality && !entry.modalities.includes(query.modality)) continue;
      if (query.teaches && !entry.teaches.includes(query.teaches)) continue;
      if (query.language && !entry.languages.includes(query.language)) continue;
      if (wantedCity && entry.cityKey !== wantedCity) continue;
      if (wantedSlot && !entry.slots.has(wantedSlot)) continue;
      if (specialty && !entry.specialtiesLower.some((s) => s.includes(specialty))) continue;
      const km = origin && entry.location ? distanceKm(origin, entry.location) : null;
      if (query.maxKm !== undefined && (km === null || km > query.maxKm)) continue;
      let complementary = 0;
      for (const m of entry.modalities) if (!mine.has(m)) complementary++;
      hits.push({ entry, km, key: sortKey(km, complementary) });
    }
    // one number per hit: sorting 10,000 of them by key is quick; names only break exact ties
    hits.sort((a, b) => a.key - b.key || byName.compare(a.entry.displayName, b.entry.displayName));
    const start = (query.page - 1) * SEARCH_PAGE_SIZE;
    return {
      results: hits.slice(start, start + SEARCH_PAGE_SIZE).map(({ entry, km }) => card(entry, km, mine)),
      total: hits.length,
      page: query.page,
      pageSize: SEARCH_PAGE_SIZE,
      near: origin !== null,
    };
  }
}

const byName = new Intl.Collator();
const MAX_KM = 100_000; // more than half the earth's circumference

/**
 * Lower first: the distance band (unknown distance after the farthest), made better by
 * COMPLEMENTARY_WORTH_BANDS when they practise something the searcher does not. Nearness matters
 * most for a weekly exchange, but a complementary therapist one band further away still comes
 * before a same-style one. Within a rank: more complementary modalities, then nearer.
 */
function sortKey(km: number | null, complementary: number): number {
  const band = km === null ? UNKNOWN_DISTANCE_BAND : DISTANCE_BANDS.findIndex((b) => km < b.maxKm);
  const rank = band + (complementary > 0 ? 0 : COMPLEMENTARY_WORTH_BANDS);
  return (rank * 2 * (MODALITIES.length + 1) + (MODALITIES.length - complementary)) * MAX_KM + (km ?? MAX_KM - 1);
}

function card(entry: Entry, km: number | null, mine: ReadonlySet<Modality>): PartnerCard {
  return {
    id: entry.id,
    displayName: entry.displayName,
    photoVersion: entry.photoVersion,
    modalities: entry.modalities,
    complementary: entry.modalities.filter((m) => !mine.has(m)),
    teaches: entry.teaches,
    city: entry.city,
    distanceBand: km === null ? null : distanceBand(km),
    languages: entry.languages,
    specialties: entry.specialties,
  };
}
