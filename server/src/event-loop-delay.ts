import { monitorEventLoopDelay } from 'node:perf_hooks';

/** Event-loop delay over the last complete window, in ms (0 before the first window ends). */
export interface EventLoopDelayFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * How long ready work (a relay, a sync answer) waited behind other work on this process, over
 * the last complete second: shown on /healthz so a benchmark can tell the server's own stalls
 * (compactions, projections, sweeps) from the network's or the database's.
 */
export function watchEventLoopDelay(windowMs = 1_000): { figures(): EventLoopDelayFigures; stop(): void } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last: EventLoopDelayFigures = { p50Ms: 0, p99Ms: 0, maxMs: 0 };
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const rotate = setInterval(() => {
    last = { p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
    histogram.reset();
  }, windowMs);
  rotate.unref();
  return {
    figures: () => last,
    stop() {
      clearInterval(rotate);
      histogram.disable();
    },
  };
}
