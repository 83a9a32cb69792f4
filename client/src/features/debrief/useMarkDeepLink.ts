import { useCallback, useEffect } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { Annotation, Round } from '@kneadback/shared/schemas/annotation';
import { ANNOTATION_PARAM, ROUND_PARAM } from '../../lib/links.ts';

/**
 * After the server has answered, how long a linked mark may take to show before it is called
 * gone: the document's first sync is re-read on the next animation frame, not at once.
 */
const MISSING_GRACE_MS = 1_500;

interface DeepLinkOptions {
  annotations: readonly Annotation[];
  /** In step with the server: a mark still missing now is not coming. */
  synced: boolean;
  setRound: (round: Round) => void;
  focusMark: (mark: Annotation) => void;
  onMissing: () => void;
}

/**
 * Follows a mark link (lib/links.ts `markPath`): opens the round at once, then, as soon as the document holds the
 * mark (often only after the first sync), shows its round (when the link did not say), its view, and selects it. The query is then dropped
 * from the address, so following the same link again works and a reload starts afresh.
 */
export function useMarkDeepLink({ annotations, synced, setRound, focusMark, onMissing }: DeepLinkOptions): void {
  const [params, setParams] = useSearchParams();
  const annotationId = params.get(ANNOTATION_PARAM);
  const round = parseRound(params.get(ROUND_PARAM));
  const mark = annotationId ? annotations.find((a) => a.id === annotationId) : undefined;

  const forgetLink = useCallback(
    () =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.delete(ANNOTATION_PARAM);
          next.delete(ROUND_PARAM);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  // The round is known before the mark arrives: show it straight away
  useEffect(() => {
    if (round !== null) setRound(round);
  }, [annotationId, round, setRound]);

  useEffect(() => {
    if (!annotationId) return;
    if (mark) {
      if (round === null) setRound(mark.round);
      focusMark(mark);
      forgetLink();
      return;
    }
    if (!synced) return;
    const timer = window.setTimeout(() => {
      onMissing();
      forgetLink();
    }, MISSING_GRACE_MS);
    return () => window.clearTimeout(timer);
  }, [annotationId, round, mark, synced, setRound, focusMark, forgetLink, onMissing]);
}

function parseRound(value: string | null): Round | null {
  return value === '1' ? 1 : value === '2' ? 2 : null;
}
