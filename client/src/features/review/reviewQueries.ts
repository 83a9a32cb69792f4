import { keepPreviousData, useQuery, type QueryKey } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import {
  reviewListResponseSchema,
  reviewPartnersResponseSchema,
  reviewPatternsResponseSchema,
} from '@kneadback/shared/schemas/review';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';

/** Quick successive changes (typing a date, stepping through a select with arrow keys) make one request. */
const SETTLE_MS = 150;

/**
 * One page of critiques for a query string from useReviewQuery. While a new page loads the last one stays shown, so
 * the page does not blink on every filter change; `isUpdating` is true meanwhile, and while the filters settle.
 */
export function useReviewCritiques(listQuery: string) {
  return useSettledQuery(queryKeys.review.critiques, '/api/review/critiques', listQuery, reviewListResponseSchema);
}

/** Where the critiques matching the filters are, and their tags over time. */
export function useReviewPatterns(patternsQuery: string) {
  return useSettledQuery(
    queryKeys.review.patterns,
    '/api/review/patterns',
    patternsQuery,
    reviewPatternsResponseSchema,
  );
}

function useSettledQuery<T>(key: (search: string) => QueryKey, path: string, search: string, schema: z.ZodType<T>) {
  const settled = useSettled(search);
  const query = useQuery({
    ...apiQuery(key(settled), `${path}?${settled}`, schema),
    placeholderData: keepPreviousData,
  });
  return { ...query, isUpdating: settled !== search || query.isFetching };
}

/** The Partner filter's choices: who the user's critiques were given to or received from. */
export function useReviewPartners() {
  return useQuery({
    ...apiQuery(queryKeys.review.partners(), '/api/review/partners', reviewPartnersResponseSchema),
    select: (response) => response.partners,
  });
}

/** `value`, once it has stayed the same for SETTLE_MS. */
function useSettled(value: string): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), SETTLE_MS);
    return () => window.clearTimeout(timer);
  }, [value]);
  return settled;
}
