import { describe, expect, it } from 'vitest';
import { PROFILE_PARTS, type ProfilePart, type Visibility } from '@kneadback/shared/profile-vocabulary';
import { partnerSearchQuerySchema, type OwnProfile } from '@kneadback/shared/schemas/profile';
import type { Modality } from '@kneadback/shared/vocabulary';
import { DiscoveryIndex } from './discovery-index.ts';

const id = (n: number) => n.toString(16).padStart(24, '0');
const everyone = Object.fromEntries(PROFILE_PARTS.map((p) => [p, 'everyone'])) as Record<ProfilePart, Visibility>;

function profile(n: number, modality: Modality, location: { lat: number; lng: number } | null): OwnProfile {
  return {
    id: id(n),
    displayName: `T${n}`,
    bio: '',
    modalities: [{ modality, years: 1 }],
    specialties: [],
    certifications: [],
    languages: [],
    city: '',
    location,
    availability: [],
    openToExchanges: true,
    visibility: everyone,
    photoVersion: null,
  };
}

const LISBON = { lat: 38.72, lng: -9.14 };
const search = (index: DiscoveryIndex, who: number, mine: Modality[] = ['swedish']) =>
  index.search({ id: id(who), modalities: mine }, partnerSearchQuerySchema.parse({})).results.map((r) => r.displayName);

describe('the discovery index', () => {
  it('ranks by distance band, a complementary modality worth more than one band, then by distance', () => {
    const index = new DiscoveryIndex();
    index.put(id(1), profile(1, 'swedish', LISBON)); // the searcher
    index.put(id(2), profile(2, 'swedish', { lat: 38.73, lng: -9.14 })); // same style, under 5 km
    index.put(id(3), profile(3, 'thai', { lat: 38.8, lng: -9.14 })); // complementary, 5-15 km
    index.put(id(4), profile(4, 'thai', { lat: 39.2, lng: -9.14 })); // complementary, 50-200 km
    index.put(id(5), profile(5, 'thai', null)); // distance unknown
    expect(search(index, 1)).toEqual(['T3', 'T2', 'T4', 'T5']);
  });

  it('keeps two people apart while either has blocked the other', () => {
    const index = new DiscoveryIndex();
    for (const n of [1, 2, 3]) index.put(id(n), profile(n, 'thai', LISBON));
    index.setBlocked(id(1), [id(2)]);
    index.setBlocked(id(2), [id(1)]);
    expect(search(index, 2)).toEqual(['T3']);
    index.setBlocked(id(1), []); // 1 unblocks 2, but 2 still blocks 1
    expect(search(index, 2)).toEqual(['T3']);
    expect(search(index, 1)).toEqual(['T3']);
    index.setBlocked(id(2), []);
    expect(search(index, 1)).toEqual(['T2', 'T3']);
  });

  it('forgets a removed therapist and the blocks that named them', () => {
    const index = new DiscoveryIndex();
    for (const n of [1, 2]) index.put(id(n), profile(n, 'thai', LISBON));
    index.setBlocked(id(1), [id(2)]);
    index.remove(id(2));
    index.put(id(2), profile(2, 'thai', LISBON)); // the same id again (only in this test)
    expect(search(index, 1)).toEqual(['T2']);
  });
});
