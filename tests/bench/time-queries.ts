// Timing GET requests for the query benchmarks (bench:review, bench:partners): each query several
// times in a row through the real HTTP endpoint, one line of figures per query.
import type { TestClient } from '../helpers/http-client.ts';

/** The q-th percentile of ascending times. */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))]!;
}

/**
 * Runs each `[name, url]` `runs` times, prints `name matches=N p50_ms=X p99_ms=Y` (N is the
 * answer's `total`) and returns every time, ascending. A non-200 answer stops the bench.
 */
export async function timeQueries(
  client: TestClient,
  queries: readonly (readonly [string, string])[],
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
    console.log(
      `${name.padEnd(width)} matches=${String(total).padStart(5)} p50_ms=${percentile(times, 50).toFixed(1)} p99_ms=${percentile(times, 99).toFixed(1)}`,
    );
  }
  return all.sort((x, y) => x - y);
}
