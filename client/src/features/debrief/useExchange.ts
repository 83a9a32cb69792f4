import { useCallback, useEffect, useState } from 'react';
import { exchangeResponseSchema, type Exchange } from '@kneadback/shared/schemas/exchange';
import { api, ApiRequestError } from '../../lib/api.ts';

export type ExchangeState =
  | { status: 'loading' }
  | { status: 'ready'; exchange: Exchange }
  | { status: 'not-found' }
  | { status: 'error'; message: string };

export function useExchange(exchangeId: string): { state: ExchangeState; retry: () => void } {
  const [state, setState] = useState<ExchangeState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    api
      .get(`/api/exchanges/${encodeURIComponent(exchangeId)}`, exchangeResponseSchema, { signal: controller.signal })
      .then(({ exchange }) => setState({ status: 'ready', exchange }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        // The server answers 404 for "not yours" too, so strangers learn nothing about the exchange
        if (err instanceof ApiRequestError && (err.status === 404 || err.status === 400)) {
          setState({ status: 'not-found' });
        } else {
          setState({ status: 'error', message: err instanceof Error ? err.message : String(err) });
        }
      });
    return () => controller.abort();
  }, [exchangeId, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, retry };
}
