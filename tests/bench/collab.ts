// pnpm bench:collab [pairs] — N partner pairs editing debriefs over real sockets against the real
// server (its own process) and a real FerretDB. Prints edit-to-partner latency, stored updates
// per second and server memory. Not part of the tests: figures depend on the machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { addAnnotation, readAnnotation, updateAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { startEmbeddedFerretdb } from '../../server/src/db/embedded-ferretdb.ts';
import { createLogger } from '../../server/src/logger.ts';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';
import { serverProcess } from '../helpers/server-process.ts';

const PAIRS = Number(process.argv[2] ?? process.env.BENCH_PAIRS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_MS = 3_000;
/** Human pace in bursts: every 2-4 s a partner makes 3 quick edits 200 ms apart. */
const BURST_EVERY_MS = [2_000, 4_000] as const;
const BURST_EDITS = 3;
const BURST_GAP_MS = 200;

interface Pair {
  partners: Partners;
  a: DebriefClient;
  b: DebriefClient;
  markId: string;
}

const sentAt = new Map<string, number>();
const latencies: number[] = [];
let measuring = false;
let seq = 0;

async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

async function health(url: string): Promise<{ collab: { persistedUpdates: number }; rssMb: number }> {
  return (await fetch(`${url}/healthz`)).json() as never;
}

function listen(receiver: DebriefClient, markId: string): void {
  receiver.doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin !== receiver.provider) return;
    const text = readAnnotation(receiver.doc, markId)?.text ?? '';
    const sent = sentAt.get(text);
    if (sent === undefined) return;
    sentAt.delete(text);
    if (measuring) latencies.push(performance.now() - sent);
  });
}

function edit(pair: Pair, from: 'a' | 'b'): void {
  const client = pair[from];
  const text = `edit-${seq++}`;
  sentAt.set(text, performance.now());
  updateAnnotation(client.doc, pair.markId, { text });
}

function runBursts(pair: Pair, from: 'a' | 'b', until: number): Promise<void> {
  return (async () => {
    while (performance.now() < until) {
      const [lo, hi] = BURST_EVERY_MS;
      await sleep(lo + Math.random() * (hi - lo));
      for (let i = 0; i < BURST_EDITS && performance.now() < until; i++) {
        edit(pair, from);
        await sleep(BURST_GAP_MS);
      }
    }
  })();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-bench-'));
  const db = await startEmbeddedFerretdb({
    dataDir,
    binary: process.env.FERRETDB_BIN,
    logger: createLogger('warn'),
    dbName: 'kb_bench',
  });
  const server = await serverProcess(db.uri);
  try {
    await server.start();
    console.log(`setting up ${PAIRS} pairs (${PAIRS * 2} accounts, exchanges and live connections)...`);
    const pairs = await inBatches(Array.from({ length: PAIRS }), 10, async (): Promise<Pair> => {
      const partners = await createPartners(server);
      const a = connectDebrief(server.url, partners.a.cookieHeader, partners.exchangeId);
      const b = connectDebrief(server.url, partners.b.cookieHeader, partners.exchangeId);
      await Promise.all([a.synced(), b.synced()]);
      const markId = addAnnotation(a.doc, partners.a.user.id, upperTrapeziusPressure).id;
      return { partners, a, b, markId };
    });
    for (const pair of pairs) {
      listen(pair.b, pair.markId);
      listen(pair.a, pair.markId);
    }
    console.log(`editing for ${SECONDS}s after a ${WARMUP_MS / 1000}s warm-up...`);
    const until = performance.now() + WARMUP_MS + SECONDS * 1000;
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
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const persistedPerS = (after.collab.persistedUpdates - before.collab.persistedUpdates) / elapsedS;
    console.log(
      `edits measured: ${sorted.length}, superseded by a concurrent edit or still in flight: ${sentAt.size}, max ${sorted.at(-1)?.toFixed(1)} ms`,
    );
    console.log(`server: ${JSON.stringify(after.collab)}, peak rss ${peakRss} MB`);
    console.log(
      `bench client event-loop delay: p50 ${(clientLag.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(clientLag.percentile(99) / 1e6).toFixed(1)} ms`,
    );
    for (const p of pairs) {
      p.a.destroy();
      p.b.destroy();
    }
    console.log(
      `pairs=${PAIRS} p50_ms=${p50.toFixed(2)} p99_ms=${p99.toFixed(2)} persisted_per_s=${persistedPerS.toFixed(1)} rss_mb=${peakRss}`,
    );
  } finally {
    await server.kill('SIGTERM');
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
