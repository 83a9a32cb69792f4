// The standard collab load, shared by bench:collab and bench:aged: N partner pairs (fresh
// accounts and exchanges, signed up over HTTP) connect to a running server and edit their
// debriefs in bursts at human pace; every edit is timed until the partner's device shows it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { addAnnotation, readAnnotation, updateAnnotation } from '@kneadback/shared/docs/debrief-doc';
import type { DebriefClient } from '../helpers/collab-client.ts';
import { connectDebriefFrom, loopbackAddress } from '../helpers/collab-client-from.ts';
import { createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';

export const WARMUP_MS = 3_000;
/** Human pace in bursts: every 2-4 s a partner makes 3 quick edits 200 ms apart. */
const BURST_EVERY_MS = [2_000, 4_000] as const;
const BURST_EDITS = 3;
const BURST_GAP_MS = 200;

export interface CollabLoadOptions {
  pairs: number;
  seconds: number;
  /** Progress lines (bench:collab prints them as they were). */
  log?: (line: string) => void;
}

export interface CollabLoadResult {
  pairs: number;
  measured: number;
  /** Superseded by a concurrent edit or still in flight when measuring stopped. */
  unmatched: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  persistedPerS: number;
  peakRssMb: number;
  serverCollab: unknown;
  clientLagP50Ms: number;
  clientLagP99Ms: number;
}

interface Pair {
  partners: Partners;
  a: DebriefClient;
  b: DebriefClient;
  markId: string;
}

export async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

export async function health(url: string): Promise<{ collab: { persistedUpdates: number }; rssMb: number }> {
  return (await fetch(`${url}/healthz`)).json() as never;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Runs the load against `server` and resolves with its figures once every client is closed. */
export async function runCollabLoad(server: { url: string }, opts: CollabLoadOptions): Promise<CollabLoadResult> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let measuring = false;
  let seq = 0;

  const listen = (receiver: DebriefClient, markId: string): void => {
    receiver.doc.on('update', (_update: Uint8Array, origin: unknown) => {
      if (origin !== receiver.provider) return;
      const text = readAnnotation(receiver.doc, markId)?.text ?? '';
      const sent = sentAt.get(text);
      if (sent === undefined) return;
      sentAt.delete(text);
      if (measuring) latencies.push(performance.now() - sent);
    });
  };

  const edit = (pair: Pair, from: 'a' | 'b'): void => {
    const client = pair[from];
    const text = `edit-${seq++}`;
    sentAt.set(text, performance.now());
    updateAnnotation(client.doc, pair.markId, { text });
  };

  const runBursts = async (pair: Pair, from: 'a' | 'b', until: number): Promise<void> => {
    while (performance.now() < until) {
      const [lo, hi] = BURST_EVERY_MS;
      await sleep(lo + Math.random() * (hi - lo));
      for (let i = 0; i < BURST_EDITS && performance.now() < until; i++) {
        edit(pair, from);
        await sleep(BURST_GAP_MS);
      }
    }
  };

  log(`setting up ${opts.pairs} pairs (${opts.pairs * 2} accounts, exchanges and live connections)...`);
  // each pair from its own loopback address: the server allows 60 live connections per address
  const pairs = await inBatches([...Array(opts.pairs).keys()], 10, async (i): Promise<Pair> => {
    const partners = await createPartners(server);
    const from = loopbackAddress(i);
    const a = connectDebriefFrom(from, server.url, partners.a.cookieHeader, partners.exchangeId);
    const b = connectDebriefFrom(from, server.url, partners.b.cookieHeader, partners.exchangeId);
    await Promise.all([a.synced(), b.synced()]);
    const markId = addAnnotation(a.doc, partners.a.user.id, upperTrapeziusPressure).id;
    return { partners, a, b, markId };
  });
  try {
    for (const pair of pairs) {
      listen(pair.b, pair.markId);
      listen(pair.a, pair.markId);
    }
    log(`editing for ${opts.seconds}s after a ${WARMUP_MS / 1000}s warm-up...`);
    const until = performance.now() + WARMUP_MS + opts.seconds * 1000;
    const editing = pairs.flatMap((p) => [runBursts(p, 'a', until), runBursts(p, 'b', until)]);
    await sleep(WARMUP_MS);
    measuring = true;
    // The simulated partners share this process: if its event loop lags, latencies include that lag.
    const clientLag = monitorEventLoopDelay({ resolution: 10 });
    clientLag.enable();
    const before = await health(server.url);
    const t0 = performance.now();
    let peakRss = before.rssMb;
    const sampler = setInterval(
      () => void health(server.url).then((h) => (peakRss = Math.max(peakRss, h.rssMb))),
      1_000,
    );
    await Promise.all(editing);
    await sleep(500); // let the last edits arrive
    measuring = false;
    clientLag.disable();
    clearInterval(sampler);
    const after = await health(server.url);
    const elapsedS = (performance.now() - t0) / 1000;
    const sorted = [...latencies].sort((x, y) => x - y);
    return {
      pairs: opts.pairs,
      measured: sorted.length,
      unmatched: sentAt.size,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      maxMs: sorted.at(-1) ?? NaN,
      persistedPerS: (after.collab.persistedUpdates - before.collab.persistedUpdates) / elapsedS,
      peakRssMb: peakRss,
      serverCollab: after.collab,
      clientLagP50Ms: clientLag.percentile(50) / 1e6,
      clientLagP99Ms: clientLag.percentile(99) / 1e6,
    };
  } finally {
    for (const p of pairs) {
      p.a.destroy();
      p.b.destroy();
    }
  }
}
