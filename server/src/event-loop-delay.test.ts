import { describe, expect, it } from 'vitest';
import { watchEventLoopDelay } from './event-loop-delay.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('watchEventLoopDelay', () => {
  it('reports a stall of the event loop once the window that saw it has ended', async () => {
    const watch = watchEventLoopDelay(200);
    try {
      expect(watch.figures()).toEqual({ p50Ms: 0, p99Ms: 0, maxMs: 0 }); // no window ended yet
      await sleep(50); // the monitor's timer runs once the loop turns
      const until = performance.now() + 120;
      while (performance.now() < until); // a synchronous stall, as a long compaction would be
      let reported = 0;
      for (let waited = 0; waited < 1_000 && reported < 100; waited += 20) {
        await sleep(20);
        reported = Math.max(reported, watch.figures().maxMs);
      }
      expect(reported).toBeGreaterThanOrEqual(100);
    } finally {
      watch.stop();
    }
  });
});
