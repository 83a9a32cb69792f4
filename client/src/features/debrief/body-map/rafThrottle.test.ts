import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRafThrottle } from './rafThrottle.ts';

// A fake animation-frame clock: frames run when the test says so, at the time it says.
let callbacks: Array<(t: number) => void> = [];
beforeEach(() => {
  callbacks = [];
  vi.stubGlobal('requestAnimationFrame', (cb: (t: number) => void) => callbacks.push(cb));
  vi.stubGlobal('cancelAnimationFrame', () => {
    callbacks = [];
  });
});
afterEach(() => vi.unstubAllGlobals());

function frame(t: number) {
  const run = callbacks;
  callbacks = [];
  for (const cb of run) cb(t);
}

describe('createRafThrottle', () => {
  it('sends only the latest value, at most once per interval', () => {
    const sent: Array<number | null> = [];
    const t = createRafThrottle<number>(50, (v) => sent.push(v));
    t.push(1);
    t.push(2);
    frame(1000);
    expect(sent).toEqual([2]);
    t.push(3);
    frame(1016);
    frame(1033);
    expect(sent).toEqual([2]);
    t.push(4);
    frame(1050);
    expect(sent).toEqual([2, 4]);
  });

  it('sends null promptly, once', () => {
    const sent: Array<number | null> = [];
    const t = createRafThrottle<number>(50, (v) => sent.push(v));
    t.push(1);
    frame(0);
    t.push(null);
    frame(16);
    t.push(null);
    frame(32);
    expect(sent).toEqual([1, null]);
  });

  it('cancel drops pending values and reports whether a value was live', () => {
    const sent: Array<number | null> = [];
    const t = createRafThrottle<number>(50, (v) => sent.push(v));
    expect(t.cancel()).toBe(false);
    t.push(1);
    frame(0);
    t.push(2);
    expect(t.cancel()).toBe(true);
    frame(100);
    expect(sent).toEqual([1]);
  });
});
