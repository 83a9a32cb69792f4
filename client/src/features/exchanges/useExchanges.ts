import { useCallback, useEffect, useRef, useState } from 'react';
import { exchangeListResponseSchema, type Exchange } from '@kneadback/shared/schemas/exchange';
import { api, ApiRequestError } from '../../lib/api.ts';
import { useEvent } from '../../lib/events.ts';

export type ExchangesState =
  | { status: 'loading'; exchanges: null; error: null }
  | { status: 'ready'; exchanges: Exchange[]; error: null }
  | { status: 'error'; exchanges: Exchange[] | null; error: string };

/**
 * The signed-in user's exchanges. Reloads quietly when the tab comes back into view or a notification arrives
 * (a partner may have joined through an invite link meanwhile), keeping what is shown while it does. A burst of
 * reasons to reload (a busy debrief sends many notifications) makes at most one request after the current one.
 */
export function useExchanges() {
  const [state, setState] = useState<ExchangesState>({ status: 'loading', exchanges: null, error: null });
  const loading = useRef(false);
  const again = useRef(false);
  const mounted = useRef(true);

  const load = useCallback(async () => {
    if (loading.current) {
      again.current = true;
      return;
    }
    loading.current = true;
    do {
      again.current = false;
      try {
        const { exchanges } = await api.get('/api/exchanges', exchangeListResponseSchema);
        if (mounted.current) setState({ status: 'ready', exchanges, error: null });
      } catch (err) {
        const message = err instanceof ApiRequestError ? err.message : 'Could not load your exchanges.';
        if (mounted.current) setState((s) => ({ status: 'error', exchanges: s.exchanges, error: message }));
      }
    } while (again.current && mounted.current);
    loading.current = false;
  }, []);

  useEffect(() => {
    mounted.current = true;
    void load();
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      mounted.current = false;
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [load]);

  useEvent('notification:new', () => void load());

  /** Shows a just-created exchange at once, before the next reload. */
  const add = useCallback((exchange: Exchange) => {
    setState((s) => ({
      status: 'ready',
      exchanges: [exchange, ...(s.exchanges ?? []).filter((e) => e.id !== exchange.id)],
      error: null,
    }));
  }, []);

  /** Shows a changed exchange (a withdrawn invite) where it was. */
  const replace = useCallback((exchange: Exchange) => {
    setState((s) =>
      s.exchanges ? { ...s, exchanges: s.exchanges.map((e) => (e.id === exchange.id ? exchange : e)) } : s,
    );
  }, []);

  return { ...state, reload: load, add, replace };
}
