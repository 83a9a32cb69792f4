// pnpm bench:collab --processes 2 — the same load as bench:collab's last case (500 pairs, 2 edits/s
// per client), first on one server process, then on two processes sharing the database and
// Redis with the partners of every pair on different processes (each edit crosses Redis).
// Prints latency, delivered edits/s, RSS and CPU seconds per process (servers, FerretDB, Redis, the
// load generator; no balancer: each partner connects straight to their process) for both, and a
// last line to compare. The single process runs without Redis, as one process does in production.
// BENCH_PAIRS (default 500), BENCH_SECONDS (default 20); Redis at REDIS_URL (default local).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedFerretdb } from '../../server/src/db/embedded-ferretdb.ts';
import { createLogger } from '../../server/src/logger.ts';
import { REDIS_URL, requireRedis } from '../helpers/redis.ts';
import { describeCpu, meterCpu, type Metered } from './cpu-meter.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';
import {
  FAST_PACE,
  describePace,
  health,
  openCollabLoad,
  partnerSeats,
  sleep,
  type CollabLoadResult,
  type Seat,
  type ServerSample,
} from './collab-load.ts';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const load1 = () => os.loadavg()[0]!.toFixed(2);

interface Measured {
  result: CollabLoadResult;
  cpu: string;
  /** Edits shown by the partner per second of editing. */
  editsPerS: number;
  peakRssMb: number[];
}

/**
 * Runs the load against `procs` (partner a on the first, b on the last) and samples each process;
 * `others`: further processes whose CPU time the run is measured with (database, Redis).
 */
async function measure(procs: ServerProcess[], seats: Seat[], others: Metered[]): Promise<Measured> {
  const peakRssMb = procs.map(() => 0);
  const sample = async (): Promise<ServerSample> => {
    const each = await Promise.all(procs.map((p) => health(p.url)));
    each.forEach((h, i) => (peakRssMb[i] = Math.max(peakRssMb[i]!, h.rssMb)));
    return {
      rssMb: each.reduce((sum, h) => sum + h.rssMb, 0),
      collab: {
        rooms: each.reduce((sum, h) => sum + h.collab.rooms, 0),
        persistedUpdates: each.reduce((sum, h) => sum + h.collab.persistedUpdates, 0),
        durableP50Ms: Math.max(...each.map((h) => h.collab.durableP50Ms)),
        durableP99Ms: Math.max(...each.map((h) => h.collab.durableP99Ms)),
      },
      eventLoopDelay: {
        p50Ms: Math.max(...each.map((h) => h.eventLoopDelay.p50Ms)),
        p99Ms: Math.max(...each.map((h) => h.eventLoopDelay.p99Ms)),
        maxMs: Math.max(...each.map((h) => h.eventLoopDelay.maxMs)),
      },
    };
  };
  const load = await openCollabLoad(
    { url: procs[0]!.url, partnerUrl: procs.at(-1)!.url },
    { pairs: PAIRS, seats, log: () => undefined },
  );
  try {
    const servers: Metered[] = procs.map((p, i) => [procs.length > 1 ? `server ${i + 1}` : 'server', p.pid()]);
    const phase = meterCpu([...servers, ...others, ['load generator', process.pid]]);
    const result = await load.run({ seconds: SECONDS, pace: FAST_PACE, sample });
    return { result, cpu: describeCpu(phase()), editsPerS: result.measured / SECONDS, peakRssMb };
  } finally {
    load.close();
  }
}

function describe(name: string, m: Measured): string {
  const r = m.result;
  return (
    `  ${name.padEnd(11)} p50 ${fmt(r.p50Ms)} / p99 ${fmt(r.p99Ms)} / max ${fmt(r.maxMs, 1)} ms; ` +
    `${fmt(m.editsPerS, 0)} edits/s shown to the partner (${r.unmatched} unseen); ` +
    `connected in ${fmt(r.connectS, 1)} s (${r.notSynced} pairs not synced within the bench's limit); ` +
    `stored ${fmt(r.persistedPerS, 0)} updates/s; peak rss per process ${m.peakRssMb.join(' / ')} MB; ` +
    `bench client event-loop delay p99 ${fmt(r.clientLagP99Ms, 1)} ms; ` +
    `server event-loop delay p99 per 1 s window median ${fmt(r.serverLagMedianP99Ms, 1)} / worst ${fmt(r.serverLagWorstP99Ms, 1)} ms (any process), longest ${fmt(r.serverLagMaxMs, 1)} ms; ` +
    `load average ${load1()}\n              ${m.cpu}`
  );
}

async function stop(procs: ServerProcess[]): Promise<void> {
  await Promise.all(
    procs.map(async (p) => {
      const stopped = await Promise.race([p.kill('SIGTERM').then(() => true), sleep(60_000).then(() => false)]);
      if (!stopped) await p.kill('SIGKILL');
    }),
  );
}

export async function benchProcesses(count: number): Promise<void> {
  if (count !== 2) throw new Error('--processes: only 2 is measured (partner a on one process, b on the other)');
  const redis = await requireRedis();
  const redisPid = Number(/process_id:(\d+)/.exec(await redis.commands.info('server'))?.[1]);
  await redis.close();
  // no balancer here: each partner connects straight to their process (see measure)
  const others = (): Metered[] => [
    ['ferretdb', db?.pid],
    ['redis', Number.isFinite(redisPid) ? redisPid : undefined],
  ];
  const external = process.env.MONGODB_URI;
  const dataDir = external ? null : mkdtempSync(path.join(os.tmpdir(), 'kb-bench-procs-'));
  const db = dataDir
    ? await startEmbeddedFerretdb({ dataDir, binary: process.env.FERRETDB_BIN, logger: createLogger('warn') })
    : null;
  const uri = external ?? db!.uri;
  // one secret for every process, so the accounts signed up once work on all of them
  const env = { RATE_LIMITS: 'off', SESSION_SECRET: randomBytes(32).toString('hex') };
  console.log(
    `${PAIRS} pairs, ${describePace(FAST_PACE)}, ${SECONDS} s per run; ${os.cpus().length} cores, load average ${load1()}; ` +
      `${external ? 'MONGODB_URI' : 'embedded FerretDB/SQLite'}, Redis ${REDIS_URL}`,
  );
  let running: ServerProcess[] = [];
  try {
    // the single process runs as one does in production without REDIS_URL: no fan-out through Redis
    const single = await serverProcess(uri, { ...env, REDIS_URL: undefined }, { compiled: true });
    await single.start();
    running = [single];
    // each run edits debriefs of its own, new ones, as bench:collab's blocks do
    console.log(`signing up ${PAIRS * 2} pairs...`);
    const seats = await partnerSeats(single, PAIRS * 2);
    const one = await measure([single], seats.slice(0, PAIRS), others());
    console.log(describe('1 process', one));
    // stop once every room is stored and unloaded: the next run must not share the machine with that
    const unloadBy = performance.now() + 180_000;
    while ((await health(single.url)).collab.rooms > 0 && performance.now() < unloadBy) await sleep(500);
    await stop(running);

    const procs = await Promise.all([0, 1].map(() => serverProcess(uri, { ...env, REDIS_URL }, { compiled: true })));
    await Promise.all(procs.map((p) => p.start()));
    running = procs;
    const two = await measure(procs, seats.slice(PAIRS), others());
    console.log(describe('2 processes', two));
    console.log(
      `  ratio       edits/s ${fmt(two.editsPerS / one.editsPerS)}x, p99 ${fmt(two.result.p99Ms / one.result.p99Ms)}x ` +
        '(both carry the same offered load; on a machine whose cores are shared, two processes compete for them)',
    );
    console.log(
      `processes=2 pairs=${PAIRS} p50_ms=${fmt(two.result.p50Ms)} p99_ms=${fmt(two.result.p99Ms)} ` +
        `edits_per_s=${fmt(two.editsPerS, 0)} single_p99_ms=${fmt(one.result.p99Ms)} single_edits_per_s=${fmt(one.editsPerS, 0)}`,
    );
  } finally {
    await stop(running);
    await db?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}
