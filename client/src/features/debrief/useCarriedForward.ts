import { useCallback, useEffect, useState } from 'react';
import { carriedForwardResponseSchema, type CritiqueView } from '@kneadback/shared/schemas/review';
import { api, ApiRequestError } from '../../lib/api.ts';
import { asSentence } from '../../lib/form-errors.ts';

export type CarriedForwardState =
  { status: 'loading' } | { status: 'ready'; items: CritiqueView[] } | { status: 'error'; message: string };

export interface CarriedForwardApi {
  state: CarriedForwardState;
  retry: () => void;
  /** Resolves the critique in its own (earlier) debrief; rejects with the reason in words. */
  resolve: (item: CritiqueView) => Promise<void>;
}

export const itemKey = (item: Pick<CritiqueView, 'debriefId' | 'annotationId'>) =>
  `${item.debriefId}:${item.annotationId}`;

/** Open critiques from earlier debriefs between the same two partners, to check at this one. */
export function useCarriedForward(debriefId: string): CarriedForwardApi {
  const [state, setState] = useState<CarriedForwardState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: 'loading' });
    api
      .get(`/api/debriefs/${encodeURIComponent(debriefId)}/carried-forward`, carriedForwardResponseSchema, {
        signal: controller.signal,
      })
      .then(({ items }) => setState({ status: 'ready', items }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'error', message: inWords(err, "Last exchange's open points could not be loaded.") });
      });
    return () => controller.abort();
  }, [debriefId, attempt]);

  const resolve = useCallback(async (item: CritiqueView) => {
    const path = `/api/debriefs/${encodeURIComponent(item.debriefId)}/annotations/${encodeURIComponent(item.annotationId)}/status`;
    try {
      await api.post(path, { status: 'resolved' });
    } catch (err) {
      throw new Error(inWords(err, 'It could not be marked resolved. Try again.'), { cause: err });
    }
    const key = itemKey(item);
    setState((s) => (s.status === 'ready' ? { ...s, items: s.items.filter((i) => itemKey(i) !== key) } : s));
  }, []);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, retry, resolve };
}

function inWords(err: unknown, fallback: string): string {
  return err instanceof ApiRequestError ? asSentence(err.message) : fallback;
}
