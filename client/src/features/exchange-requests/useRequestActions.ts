import { useMutation } from '@tanstack/react-query';
import {
  exchangeRequestResponseSchema,
  type CancelRequestBody,
  type CounterRequestBody,
} from '@kneadback/shared/schemas/exchange-request';
import { api } from '../../lib/api.ts';
import { queryKeys } from '../../lib/query-keys.ts';

/** Answering or cancelling changes the request, maybe the exchanges (booked, cancelled) and the home view. */
const CHANGES = { invalidates: [queryKeys.exchangeRequests.all, queryKeys.exchanges.all, queryKeys.rhythm.all] };

type Action =
  | { kind: 'accept' | 'decline' }
  | { kind: 'counter'; body: CounterRequestBody }
  | { kind: 'cancel'; body: CancelRequestBody };

export function useRequestAction(requestId: string) {
  return useMutation({
    mutationFn: (action: Action) =>
      api.post(
        `/api/exchange-requests/${encodeURIComponent(requestId)}/${action.kind}`,
        'body' in action ? action.body : undefined,
        exchangeRequestResponseSchema,
      ),
    meta: CHANGES,
  });
}
