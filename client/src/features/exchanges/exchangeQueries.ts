import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import {
  exchangeListResponseSchema,
  exchangeResponseSchema,
  type CreateExchangeBody,
  type Exchange,
} from '@kneadback/shared/schemas/exchange';
import { api } from '../../lib/api.ts';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';

const exchangePath = (exchangeId: string) => `/api/exchanges/${encodeURIComponent(exchangeId)}`;

/**
 * The signed-in user's exchanges. Fetched again when the tab comes back into view, and when a notification says a
 * partner added or joined one (notificationInvalidations.ts).
 */
export function useExchanges() {
  return useQuery({
    ...apiQuery(queryKeys.exchanges.list(), '/api/exchanges', exchangeListResponseSchema),
    select: (response) => response.exchanges,
  });
}

/** One exchange; the server answers 404 for one that is not yours, too, so strangers learn nothing about it. */
export function useExchange(exchangeId: string) {
  return useQuery({
    ...apiQuery(queryKeys.exchanges.one(exchangeId), exchangePath(exchangeId), exchangeResponseSchema),
    select: (response) => response.exchange,
  });
}

/** Creates an exchange; it is in the list at once, before the list is fetched again. */
export function useCreateExchange() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateExchangeBody) =>
      api.post('/api/exchanges', body, exchangeResponseSchema).then((r) => r.exchange),
    onSuccess: (exchange) => keep(client, exchange),
    meta: { invalidates: [queryKeys.exchanges.list()] },
  });
}

/** The creator withdraws an exchange's invite link; the exchange shows the change where it is. */
export function useWithdrawInvite(exchangeId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(`${exchangePath(exchangeId)}/invite`, exchangeResponseSchema).then((r) => r.exchange),
    onSuccess: (exchange) => keep(client, exchange),
    meta: { invalidates: [queryKeys.exchanges.list(), queryKeys.exchanges.one(exchangeId)] },
  });
}

/** Puts an exchange as the server just answered it into the cache: in its place in the list, or first if new. */
export function keep(client: QueryClient, exchange: Exchange): void {
  client.setQueryData(queryKeys.exchanges.one(exchange.id), { exchange });
  client.setQueryData(queryKeys.exchanges.list(), (cached: { exchanges: Exchange[] } | undefined) => {
    if (!cached) return cached;
    const known = cached.exchanges.some((e) => e.id === exchange.id);
    return {
      exchanges: known
        ? cached.exchanges.map((e) => (e.id === exchange.id ? exchange : e))
        : [exchange, ...cached.exchanges],
    };
  });
}
