import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { threadReadsResponseSchema } from '@kneadback/shared/schemas/debrief';
import { carriedForwardResponseSchema, type CritiqueView } from '@kneadback/shared/schemas/review';
import { api } from '../../lib/api.ts';
import { apiQuery } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import type { ThreadReads } from './threadReads.ts';

const debriefApi = (exchangeId: string) => `/api/debriefs/${encodeURIComponent(exchangeId)}`;

export const itemKey = (item: Pick<CritiqueView, 'exchangeId' | 'annotationId'>) =>
  `${item.exchangeId}:${item.annotationId}`;

/** Open critiques from earlier debriefs between the same two partners, to check at this one. */
export function useCarriedForward(exchangeId: string) {
  return useQuery({
    ...apiQuery(
      queryKeys.debriefs.carriedForward(exchangeId),
      `${debriefApi(exchangeId)}/carried-forward`,
      carriedForwardResponseSchema,
    ),
    select: (response) => response.items,
  });
}

/** Resolves a carried-forward critique in its own (earlier) debrief, from this one's list. */
export function useResolveCarriedForward(exchangeId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (item: CritiqueView) =>
      api.post(`${debriefApi(item.exchangeId)}/annotations/${encodeURIComponent(item.annotationId)}/status`, {
        status: 'resolved',
      }),
    // Taken off the list here rather than refetched: the list is read from Review's projection, which catches up
    // about a second after the server has answered, so a refetch now would still hold the item
    onSuccess: (_answer, item) =>
      client.setQueryData(
        queryKeys.debriefs.carriedForward(exchangeId),
        (cached: { items: CritiqueView[] } | undefined) =>
          cached && { items: cached.items.filter((i) => itemKey(i) !== itemKey(item)) },
      ),
    meta: { invalidates: queryKeys.review.critiquesAndPatterns },
  });
}

export interface ThreadReadsApi {
  /** Null until the server answered (or when it could not): no "New" badges rather than wrong ones. */
  reads: ThreadReads | null;
  /** Marks a thread read up to now, or up to its newest entry when a device clock runs ahead. */
  markRead: (annotationId: string, newestEntryAt: number) => void;
}

/** When this person last read each thread of a debrief, kept on the server so every device agrees. */
export function useThreadReads(exchangeId: string): ThreadReadsApi {
  const query = useQuery({
    ...apiQuery(
      queryKeys.debriefs.threadReads(exchangeId),
      `${debriefApi(exchangeId)}/reads`,
      threadReadsResponseSchema,
    ),
    select: readsByThread,
  });
  // Threads read on this page: they keep their time whatever an answer still on its way says
  const [readHere, setReadHere] = useState<ReadonlyMap<string, number>>(new Map());
  const { mutate } = useMutation({
    mutationFn: (annotationId: string) => api.put(`${debriefApi(exchangeId)}/reads`, { annotationId }),
    // A missing badge does not stop a debrief: say so in the console and carry on
    onError: (err) => console.warn('Could not mark the thread read', err),
  });

  const markRead = useCallback(
    (annotationId: string, newestEntryAt: number) => {
      const at = Math.max(Date.now(), newestEntryAt);
      setReadHere((current) => new Map(current).set(annotationId, at));
      mutate(annotationId);
    },
    [mutate],
  );

  const fetched = query.data;
  const reads = useMemo(() => (fetched ? newest(fetched, readHere) : null), [fetched, readHere]);
  return { reads, markRead };
}

function readsByThread({ reads }: { reads: Record<string, string> }): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  for (const [id, iso] of Object.entries(reads)) {
    const at = Date.parse(iso);
    if (!Number.isNaN(at)) map.set(id, at);
  }
  return map;
}

function newest(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): ThreadReads {
  const merged = new Map(a);
  for (const [id, at] of b) merged.set(id, Math.max(at, merged.get(id) ?? 0));
  return merged;
}
