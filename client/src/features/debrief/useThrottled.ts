import { useCallback, useEffect, useRef } from 'react';

/**
 * Calls at most once per interval; the last call of a burst always lands (a pointer that stops
 * must be shown where it stopped).
 */
export function useThrottled<A>(fn: (arg: A) => void, intervalMs: number): (arg: A) => void {
  const fnRef = useRef(fn);
  const last = useRef(0);
  const timer = useRef<number | undefined>(undefined);
  const pending = useRef<{ arg: A } | null>(null);

  useEffect(() => {
    fnRef.current = fn;
  }, [fn]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  return useCallback(
    (arg: A) => {
      pending.current = { arg };
      if (timer.current !== undefined) return;
      const fire = () => {
        timer.current = undefined;
        if (!pending.current) return;
        last.current = Date.now();
        const { arg: latest } = pending.current;
        pending.current = null;
        fnRef.current(latest);
      };
      const wait = last.current + intervalMs - Date.now();
      if (wait <= 0) fire();
      else timer.current = window.setTimeout(fire, wait);
    },
    [intervalMs],
  );
}
