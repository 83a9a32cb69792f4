/**
 * Sends the latest pushed value at most once per `intervalMs`, on an animation frame, so a burst of pointer moves
 * costs one message per interval and nothing is sent while the tab is hidden. `null` (the pointer left) is sent on
 * the next frame without waiting for the interval, so partners' arrows disappear promptly.
 */
export interface RafThrottle<T> {
  push(value: T | null): void;
  /** Drops anything pending; returns whether something had been sent since the last null. */
  cancel(): boolean;
}

export function createRafThrottle<T>(intervalMs: number, send: (value: T | null) => void): RafThrottle<T> {
  let pending: { value: T | null } | null = null;
  let frame: number | null = null;
  let lastSent = -Infinity;
  let live = false;

  function flush(now: number) {
    frame = null;
    if (!pending) return;
    if (pending.value !== null && now - lastSent < intervalMs) {
      frame = requestAnimationFrame(flush);
      return;
    }
    const { value } = pending;
    pending = null;
    // A null after a null tells nobody anything.
    if (value === null && !live) return;
    lastSent = now;
    live = value !== null;
    send(value);
  }

  return {
    push(value) {
      pending = { value };
      if (frame === null) frame = requestAnimationFrame(flush);
    },
    cancel() {
      if (frame !== null) cancelAnimationFrame(frame);
      frame = null;
      pending = null;
      const wasLive = live;
      live = false;
      return wasLive;
    },
  };
}
