import { useEffect, useState } from 'react';
import type { z } from 'zod';
import { api, ApiRequestError } from '../../lib/api.ts';

export interface ApiResource<T> {
  /** The last successful answer; kept while a new one loads, so the page does not blink on every filter change. */
  data: T | null;
  loading: boolean;
  error: ApiRequestError | null;
}

/** Quick successive changes (typing a date, stepping through a select with arrow keys) make one request. */
const SETTLE_MS = 150;

/** GETs `url` whenever it changes; the previous request is cancelled. */
export function useApiResource<T>(url: string, schema: z.ZodType<T>): ApiResource<T> {
  const [state, setState] = useState<ApiResource<T>>({ data: null, loading: true, error: null });

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => (s.loading ? s : { ...s, loading: true }));
    const timer = window.setTimeout(() => {
      api.get(url, schema, { signal: controller.signal }).then(
        (data) => setState({ data, loading: false, error: null }),
        (err: unknown) => {
          if (controller.signal.aborted) return;
          const error =
            err instanceof ApiRequestError
              ? err
              : new ApiRequestError(0, 'unknown', 'Something went wrong. Try again.');
          setState((s) => ({ data: s.data, loading: false, error }));
        },
      );
    }, SETTLE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [url, schema]);

  return state;
}
