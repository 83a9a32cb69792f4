import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { PLACES } from '@kneadback/shared/profile-vocabulary';

/** The search filters as the page's URL holds them (a search can be bookmarked and survives a reload). */
export const FILTER_KEYS = [
  'modality',
  'teaches',
  'specialty',
  'language',
  'day',
  'part',
  'city',
  'near',
  'maxKm',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Record<FilterKey, string>;

export const EMPTY_FILTERS = Object.fromEntries(FILTER_KEYS.map((k) => [k, ''])) as Filters;

/**
 * `near` is a place id from PLACES (the API takes its coordinates) or empty for "near my own
 * area". Unknown values go to the API as typed, which names the problem.
 */
export function apiQueryOf(filters: Filters, page: number): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key].trim();
    if (!value || key === 'near') continue;
    params.set(key, value);
  }
  const place = PLACES.find((p) => p.id === filters.near);
  if (place) {
    params.set('lat', String(place.lat));
    params.set('lng', String(place.lng));
  }
  if (page > 1) params.set('page', String(page));
  return params.toString();
}

export function usePartnerSearchParams() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(
    () => Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as Filters,
    [params],
  );
  const page = Math.max(1, Number(params.get('page')) || 1);

  /** A new search replaces the history entry; paging pushes one, so Back returns to the previous page. */
  const search = useCallback(
    (next: Filters) => {
      const kept = new URLSearchParams();
      for (const key of FILTER_KEYS) if (next[key].trim()) kept.set(key, next[key].trim());
      setParams(kept, { replace: true });
    },
    [setParams],
  );
  const setPage = useCallback(
    (n: number) =>
      setParams((current) => {
        const copy = new URLSearchParams(current);
        if (n > 1) copy.set('page', String(n));
        else copy.delete('page');
        return copy;
      }),
    [setParams],
  );
  return { filters, page, search, setPage };
}
