import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Local text that follows the shared value until the person types, then writes back after a
 * short pause and on blur/unmount: one document update per pause, not per keystroke.
 */
export function useDraft(shared: string, commit: (value: string) => void, delayMs = 500) {
  const [draft, setDraft] = useState(shared);
  const latest = useRef(shared);
  const pending = useRef<string | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const commitRef = useRef(commit);

  useEffect(() => {
    commitRef.current = commit;
  }, [commit]);

  useEffect(() => {
    // A partner's edit shows up unless we are mid-sentence ourselves
    if (pending.current !== null) return;
    latest.current = shared;
    setDraft(shared);
  }, [shared]);

  const flush = useCallback(() => {
    window.clearTimeout(timer.current);
    if (pending.current === null) return;
    const value = pending.current;
    pending.current = null;
    commitRef.current(value);
  }, []);

  /** Accepts an updater too, for text that arrives in bursts (dictation). */
  const change = useCallback(
    (next: string | ((previous: string) => string)) => {
      const value = typeof next === 'function' ? next(latest.current) : next;
      latest.current = value;
      setDraft(value);
      pending.current = value;
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(flush, delayMs);
    },
    [delayMs, flush],
  );

  useEffect(() => flush, [flush]);

  return { draft, change, flush };
}
