import type { TestClient } from '../helpers/http-client.ts';

/** The q-th percentile of times sorted ascending. */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))]!;
}

/** Times `runs` calls of `run`, each after an untimed `before` when given; the times sorted ascending. */
export async function timeRuns(
  runs: number,
  run: () => Promise<unknown>,
  before?: () => Promise<unknown>,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    await before?.();
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((x, y) => x - y);
}

/** A benchmark's last line, the one scripts read: `<counted>=N <measured>_p50_ms=X <measured>_p99_ms=Y`. */
export function summaryLine(counted: string, count: number, measured: string, sorted: readonly number[]): string {
  const p50 = percentile(sorted, 50).toFixed(1);
  const p99 = percentile(sorted, 99).toFixed(1);
  return `${counted}=${count} ${measured}_p50_ms=${p50} ${measured}_p99_ms=${p99}`;
}

/**
 * Times each GET `runs` times through the real server, prints one line per query (`matches` is
 * the answer's `total`) and returns every time, sorted: the benchmarks of list endpoints share it.
 */
export async function timeQueries(
  client: TestClient,
  queries: readonly (readonly [name: string, url: string])[],
  runs: number,
): Promise<number[]> {
  const width = Math.max(...queries.map(([name]) => name.length)) + 1;
  const all: number[] = [];
  for (const [name, url] of queries) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const res = await client.get(url);
      times.push(performance.now() - start);
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${res.text}`);
      total = res.body.total;
    }
    times.sort((x, y) => x - y);
    all.push(...times);
    const p50 = percentile(times, 50).toFixed(1);
    const p99 = percentile(times, 99).toFixed(1);
    console.log(`${name.padEnd(width)} matches=${String(total).padStart(5)} p50_ms=${p50} p99_ms=${p99}`);
  }
  return all.sort((x, y) => x - y);
}
