import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/** The review filters, named as the API names them so a URL reads the same as the request it makes. */
export const FILTER_KEYS = [
  'partnerId',
  'role',
  'category',
  'regionId',
  'tag',
  'verdict',
  'status',
  'from',
  'to',
] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type Filters = Partial<Record<FilterKey, string>>;
export type SortOrder = 'newest' | 'oldest';

export const PAGE_SIZE = 20;

export interface ReviewQuery {
  filters: Filters;
  /** How many filters are set (for the "Filters (3)" toggle). */
  activeCount: number;
  /** Raw from the URL: an unknown value goes to the API as typed, which names the problem. */
  sort: string;
  page: number;
  /** Query string for /api/review/critiques. */
  listQuery: string;
  /** Query string for /api/review/patterns (filters only: paging and sort do not change the patterns). */
  patternsQuery: string;
  setFilter: (key: FilterKey, value: string) => void;
  setSort: (sort: string) => void;
  setPage: (page: number) => void;
  clearFilters: () => void;
  /** Filters, sort and page back to the start (what a rejected link needs). */
  reset: () => void;
}

/**
 * Review state lives in the URL query string, so a filtered view can be bookmarked, shared with yourself on another
 * device, and survives a reload. Filter changes replace the history entry (choosing five filters should not need
 * five Back presses); paging pushes one, so Back returns to the previous page of results.
 */
export function useReviewQuery(): ReviewQuery {
  const [params, setParams] = useSearchParams();

  const filters = useMemo(() => {
    const result: Filters = {};
    for (const key of FILTER_KEYS) {
      const value = params.get(key)?.trim();
      if (value) result[key] = value;
    }
    return result;
  }, [params]);

  const sort = params.get('sort')?.trim() || 'newest';
  const rawPage = params.get('page')?.trim() || '1';
  const page = Math.max(1, Math.floor(Number(rawPage)) || 1);

  const patternsQuery = useMemo(() => new URLSearchParams(filters as Record<string, string>).toString(), [filters]);
  const listQuery = useMemo(() => {
    const query = new URLSearchParams(filters as Record<string, string>);
    if (sort !== 'newest') query.set('sort', sort);
    if (rawPage !== '1') query.set('page', rawPage);
    query.set('pageSize', String(PAGE_SIZE));
    return query.toString();
  }, [filters, sort, rawPage]);

  const update = useCallback(
    (change: (next: URLSearchParams) => void, replace: boolean) => {
      // From the address bar, not the router's `current`: React Router does not queue functional
      // updates, so two quick filter changes each built on the same old params and one was lost.
      const next = new URLSearchParams(window.location.search);
      change(next);
      setParams(next, { replace });
    },
    [setParams],
  );

  const setFilter = useCallback(
    (key: FilterKey, value: string) =>
      update((next) => {
        if (value) next.set(key, value);
        else next.delete(key);
        next.delete('page');
      }, true),
    [update],
  );

  const setSort = useCallback(
    (value: string) =>
      update((next) => {
        if (value && value !== 'newest') next.set('sort', value);
        else next.delete('sort');
        next.delete('page');
      }, true),
    [update],
  );

  const setPage = useCallback(
    (value: number) =>
      update((next) => {
        if (value > 1) next.set('page', String(value));
        else next.delete('page');
      }, false),
    [update],
  );

  const clearFilters = useCallback(
    () =>
      update((next) => {
        for (const key of FILTER_KEYS) next.delete(key);
        next.delete('page');
      }, true),
    [update],
  );

  const reset = useCallback(
    () =>
      update((next) => {
        for (const key of [...FILTER_KEYS, 'sort', 'page']) next.delete(key);
      }, true),
    [update],
  );

  return {
    filters,
    activeCount: Object.keys(filters).length,
    sort,
    page,
    listQuery,
    patternsQuery,
    setFilter,
    setSort,
    setPage,
    clearFilters,
    reset,
  };
}
