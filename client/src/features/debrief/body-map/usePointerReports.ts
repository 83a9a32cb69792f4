import { useEffect, useLayoutEffect, useRef } from 'react';
import type { BodyView } from '@kneadback/shared/body/index';
import { createRafThrottle } from './rafThrottle.ts';
import type { RafThrottle } from './rafThrottle.ts';

/** Where the local pointer is on the shown view (view units), for partners to see; null when it left the map. */
export interface PointerPosition {
  view: BodyView;
  x: number;
  y: number;
}

/** Local pointer reports per second at most. */
const POINTER_REPORT_INTERVAL_MS = 50;

/**
 * Local pointer reports, throttled; a final null on unmount so partners' arrows for us disappear. Returns the function
 * that takes each pointer position (null: the pointer left the map).
 */
export function usePointerReports(
  onPointerMove: ((pointer: PointerPosition | null) => void) | undefined,
): (pointer: PointerPosition | null) => void {
  // The latest callback, for animation frames that outlive a render.
  const latestOnPointerMove = useRef(onPointerMove);
  useLayoutEffect(() => {
    latestOnPointerMove.current = onPointerMove;
  });

  const pointerThrottle = useRef<RafThrottle<PointerPosition> | null>(null);
  useEffect(() => {
    const throttle = createRafThrottle<PointerPosition>(POINTER_REPORT_INTERVAL_MS, (p) =>
      latestOnPointerMove.current?.(p),
    );
    pointerThrottle.current = throttle;
    return () => {
      pointerThrottle.current = null;
      if (throttle.cancel()) latestOnPointerMove.current?.(null);
    };
  }, []);

  return (pointer) => pointerThrottle.current?.push(pointer);
}
