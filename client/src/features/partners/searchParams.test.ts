import { describe, expect, it } from 'vitest';
import { apiQueryOf, EMPTY_FILTERS } from './searchParams.ts';

describe('partner search query', () => {
  it('sends the filters that are set, a chosen place as its coordinates, and pages past the first', () => {
    const query = apiQueryOf({ ...EMPTY_FILTERS, modality: 'thai', city: ' Lisbon ', near: 'porto', maxKm: '15' }, 3);
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({
      modality: 'thai',
      city: 'Lisbon',
      maxKm: '15',
      lat: '41.15',
      lng: '-8.61',
      page: '3',
    });
  });

  it('sends nothing for an empty search, and an unknown place as no place (the server measures from your own area)', () => {
    expect(apiQueryOf(EMPTY_FILTERS, 1)).toBe('');
    expect(apiQueryOf({ ...EMPTY_FILTERS, near: 'atlantis' }, 1)).toBe('');
  });
});
