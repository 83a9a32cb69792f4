// Polls /healthz on a fixed interval from a worker thread, so the measured response time is the
// server's and not the lag of the busy process that drives the load.
import { Worker } from 'node:worker_threads';

export interface SlowPoll {
  /** Date.now() when the poll was sent */
  at: number;
  ms: number;
}

export interface HealthzStats {
  polls: number;
  /** Polls answered 200, and the slowest of them. */
  answered: number;
  maxMs: number;
  p50Ms: number;
  p99Ms: number;
  /** Polls that failed (refused, reset, non-200, or no answer within the timeout). */
  failed: number;
  /** Answered polls slower than the threshold, slowest first (at most 20). */
  slow: SlowPoll[];
}

export interface HealthzMonitor {
  /** Stops polling and returns what it saw. */
  stop(): Promise<HealthzStats>;
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, intervalMs, timeoutMs, slowMs } = workerData;
const times = [];
const slow = [];
let failed = 0;
let running = true;
parentPort.on('message', () => { running = false; });
(async () => {
  while (running) {
    const at = Date.now();
    const t = performance.now();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      const ms = performance.now() - t;
      if (res.status === 200) {
        times.push(ms);
        if (ms > slowMs) slow.push({ at, ms });
      } else failed++;
    } catch {
      failed++;
    }
    const wait = intervalMs - (performance.now() - t);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  times.sort((a, b) => a - b);
  const pct = (p) => (times.length ? times[Math.min(times.length - 1, Math.floor(p * times.length))] : NaN);
  slow.sort((a, b) => b.ms - a.ms);
  parentPort.postMessage({
    polls: times.length + failed,
    answered: times.length,
    maxMs: times.length ? times[times.length - 1] : NaN,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    failed,
    slow: slow.slice(0, 20),
  });
})();
`;

export function startHealthzMonitor(
  baseUrl: string,
  opts: { intervalMs?: number; timeoutMs?: number; slowMs?: number } = {},
): HealthzMonitor {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      url: `${baseUrl}/healthz`,
      intervalMs: opts.intervalMs ?? 50,
      timeoutMs: opts.timeoutMs ?? 10_000,
      slowMs: opts.slowMs ?? 100,
    },
  });
  const result = new Promise<HealthzStats>((resolve, reject) => {
    worker.once('message', (stats: HealthzStats) => resolve(stats));
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const stats = await result;
      await worker.terminate();
      return stats;
    },
  };
}
