import { describe, expect, it } from 'vitest';
import { coarsen, distanceBand, distanceKm } from './location.ts';

describe('approximate locations', () => {
  it('snaps a precise point to a grid of about 2 km', () => {
    expect(coarsen({ lat: 38.716921, lng: -9.139881 })).toEqual({ lat: 38.72, lng: -9.14 });
    expect(coarsen({ lat: 38.7299, lng: -9.1501 })).toEqual({ lat: 38.72, lng: -9.16 });
  });

  it('measures great-circle distances and names their band', () => {
    const lisbon = { lat: 38.72, lng: -9.14 };
    const porto = { lat: 41.15, lng: -8.61 };
    expect(distanceKm(lisbon, porto)).toBeGreaterThan(270);
    expect(distanceKm(lisbon, porto)).toBeLessThan(280);
    expect(distanceBand(0)).toBe('under-5');
    expect(distanceBand(14.9)).toBe('under-15');
    expect(distanceBand(30)).toBe('under-50');
    expect(distanceBand(275)).toBe('far');
  });
});
