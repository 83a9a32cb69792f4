// TanStack Query on top of the api client: one QueryClient per signed-in user, queries that parse their answers
// with the shared zod schemas and fail with ApiRequestError (the same error values every other call uses), and
// mutations that name the queries they make stale:
//
//   useMutation({
//     mutationFn: (body: Body) => api.post('/api/things', body, thingResponseSchema),
//     meta: { invalidates: [queryKeys.things.list()] },
//   })
//
// `api` calls fail only with ApiRequestError, so a mutationFn that is one of them needs no wrapping.
import { MutationCache, QueryClient, queryOptions, type QueryKey } from '@tanstack/react-query';
import { api, ApiRequestError, toApiRequestError, type SchemaSource } from './api.ts';

declare module '@tanstack/react-query' {
  interface Register {
    /** Every query and mutation fails with an ApiRequestError: a code and a message a therapist can read. */
    defaultError: ApiRequestError;
    mutationMeta: {
      /**
       * Query keys (from query-keys.ts) this mutation changes on the server. After it succeeds, every query under
       * them is marked stale, and the ones on screen refetch.
       */
      invalidates?: readonly QueryKey[];
    };
  }
}

/** A few tries for what may pass (offline, server restarting); none for an answer that will not change (404, 403). */
const MAX_TRIES = 3;
const isTransient = (error: ApiRequestError) => error.status === 0 || error.status >= 500;

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => failures < MAX_TRIES - 1 && isTransient(error),
      },
      mutations: { retry: false },
    },
    mutationCache: new MutationCache({
      // Not awaited: the mutation's own onSuccess (putting the server's answer on screen) runs at once, and the
      // refetches land when they land
      onSuccess: (_data, _variables, _context, mutation) => {
        for (const queryKey of mutation.meta?.invalidates ?? []) void client.invalidateQueries({ queryKey });
      },
    }),
  });
  return client;
}

/**
 * The options of a query that GETs `path` and parses the answer with `schema` (a shared zod schema). Spread into
 * useQuery, or pass to queryClient.fetchQuery/prefetchQuery:
 *
 *   useQuery(apiQuery(queryKeys.exchanges.one(id), `/api/exchanges/${encodeURIComponent(id)}`, exchangeResponseSchema))
 *
 * Leaving the page (or a newer key) cancels the request through TanStack's signal.
 */
export function apiQuery<T, K extends QueryKey>(queryKey: K, path: string, schema: SchemaSource<T>) {
  return queryOptions<T, ApiRequestError, T, K>({
    queryKey,
    queryFn: ({ signal }) => api.get(path, schema, { signal }).catch(rethrowAsApiError),
  });
}

function rethrowAsApiError(err: unknown): never {
  // An abort is TanStack cancelling the query: it expects the abort itself back
  if (err instanceof DOMException && err.name === 'AbortError') throw err;
  throw toApiRequestError(err);
}
