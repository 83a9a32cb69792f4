import { useCallback, useEffect, useState } from 'react';
import { threadReadsResponseSchema } from '@kneadback/shared/schemas/debrief';
import { api } from '../../lib/api.ts';
import type { ThreadReads } from './threadReads.ts';

export interface ThreadReadsApi {
  /** Null until the server answered (or when it could not): no "New" badges rather than wrong ones. */
  reads: ThreadReads | null;
  /** Marks a thread read up to now, or up to its newest entry when a device clock runs ahead. */
  markRead: (annotationId: string, newestEntryAt: number) => void;
}

/** When this person last read each thread of a debrief, kept on the server so every device agrees. */
export function useThreadReads(debriefId: string): ThreadReadsApi {
  const [reads, setReads] = useState<ThreadReads | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    api
      .get(`/api/debriefs/${encodeURIComponent(debriefId)}/reads`, threadReadsResponseSchema, {
        signal: controller.signal,
      })
      .then(({ reads: fetched }) => {
        // Threads read here while the request was on its way keep their newer time
        setReads((local) => mergeReads(toMap(fetched), local));
      })
      .catch((err: unknown) => {
        // A missing badge does not stop a debrief: say so in the console and carry on without badges
        if (!controller.signal.aborted) console.warn('Could not load which threads were read', err);
      });
    return () => controller.abort();
  }, [debriefId]);

  const markRead = useCallback(
    (annotationId: string, newestEntryAt: number) => {
      const at = Math.max(Date.now(), newestEntryAt);
      setReads((current) => (current ? new Map(current).set(annotationId, at) : current));
      api
        .put(`/api/debriefs/${encodeURIComponent(debriefId)}/reads`, { annotationId })
        .catch((err: unknown) => console.warn('Could not mark the thread read', err));
    },
    [debriefId],
  );

  return { reads, markRead };
}

function toMap(reads: Record<string, string>): Map<string, number> {
  const map = new Map<string, number>();
  for (const [id, iso] of Object.entries(reads)) {
    const at = Date.parse(iso);
    if (!Number.isNaN(at)) map.set(id, at);
  }
  return map;
}

function mergeReads(fetched: Map<string, number>, local: ThreadReads | null): ThreadReads {
  if (local) for (const [id, at] of local) fetched.set(id, Math.max(at, fetched.get(id) ?? 0));
  return fetched;
}
