// pnpm bench:collab --processes 2 — the same load on two server processes: see collab-processes.ts.
// pnpm bench:collab [pairs...] — our server (auth, guard, FerretDB persistence; its own process)
// beside the y-websocket reference server (@y/websocket-server, in memory; its own process) under
// the same load from this process: N partner pairs editing at human pace and at 2 edits/s per
// client (default 50 and 500 pairs), then a cold join (both partners of 500 stored debriefs
// connect at once). Prints both servers' figures and the ratios. Not part of the tests: figures
// depend on the machine, the ratios less so.
//
// BENCH_SECONDS (default 20) measured seconds per run, BENCH_COLD_DEBRIEFS (default 500, 0 skips)
// debriefs in the cold join, MONGODB_URI: our server uses that database instead of an embedded
// FerretDB/SQLite (e.g. FerretDB on PostgreSQL, see README).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedFerretdb, type EmbeddedDatabase } from '../../server/src/db/embedded-ferretdb.ts';
import { createLogger } from '../../server/src/logger.ts';
import { benchProcesses } from './collab-processes.ts';
import { describeCpu, meterCpu, type CpuPhase } from './cpu-meter.ts';
import { startReferenceServer, type ReferenceServer } from '../helpers/reference-server.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';
import {
  FAST_PACE,
  HUMAN_PACE,
  anonymousSeats,
  coldJoin,
  describePace,
  fillDebriefs,
  health,
  partnerSeats,
  openCollabLoad,
  sleep,
  type CollabLoadResult,
  type ColdJoinResult,
  type Pace,
  type Seat,
  type ServerSample,
} from './collab-load.ts';

const processesArg = process.argv.indexOf('--processes');
const argPairs = processesArg === -1 ? process.argv.slice(2).map(Number) : [];
const PAIR_COUNTS = argPairs.length > 0 ? argPairs : (process.env.BENCH_PAIRS ?? '50,500').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const COLD_DEBRIEFS = Number(process.env.BENCH_COLD_DEBRIEFS ?? 500);
const PACES: Pace[] = [HUMAN_PACE, FAST_PACE];
/** How long after its rooms unloaded our server's RSS is sampled again. */
const MEMORY_RETURN_WAIT_MS = 40_000;
/** Our hub unloads a room 5 s after its last client leaves; unloading stores it. */
const UNLOAD_TIMEOUT_MS = Number(process.env.BENCH_UNLOAD_TIMEOUT_S ?? 180) * 1000;

interface Case {
  pairs: number;
  pace: Pace;
  ref: CollabLoadResult;
  ours: CollabLoadResult;
  oursCpu: CpuPhase;
}

const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const ratio = (ours: number, ref: number) => fmt(ours / ref, 1);
const load1 = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/**
 * Arrival-to-stored p99: the worst of the 1 s samples that covered only the run's own updates;
 * when the run stored fewer than the server's window (4,096), the end-of-run figure, which may
 * include updates from before the run.
 */
const durableP99 = (r: CollabLoadResult) =>
  Number.isFinite(r.worstDurableP99Ms) ? r.worstDurableP99Ms : r.durableP99Ms;

function describeRun(name: string, r: CollabLoadResult): string {
  const durable = Number.isFinite(r.durableP99Ms)
    ? `\n            stored after arrival: p99 ${fmt(durableP99(r), 0)} ms (${Number.isFinite(r.worstDurableP99Ms) ? 'worst 1 s sample of the run' : 'fewer than 4,096 stored: last 4,096 at the end'}); ` +
      `last 4,096 at the end p50 ${fmt(r.durableP50Ms, 0)} / p99 ${fmt(r.durableP99Ms, 0)} ms; ${fmt(r.persistedPerS, 0)} updates stored/s`
    : '';
  const left = r.notSynced > 0 ? `, ${r.notSynced} pairs not synced and left out` : '';
  return (
    `  ${name.padEnd(9)} p50 ${fmt(r.p50Ms)} / p99 ${fmt(r.p99Ms)} / max ${fmt(r.maxMs, 1)} ms over ${r.measured} edits ` +
    `(${fmt(r.editsPerClientPerS)} edits/s per client, ${r.unmatched} unseen); peak rss ${r.peakRssMb} MB; ` +
    `connected in ${fmt(r.connectS, 1)} s${left}; bench client event-loop delay p99 ${fmt(r.clientLagP99Ms, 1)} ms${durable}` +
    (Number.isFinite(r.serverLagMaxMs)
      ? `\n            server event-loop delay: p99 per 1 s window median ${fmt(r.serverLagMedianP99Ms, 1)} / worst ${fmt(r.serverLagWorstP99Ms, 1)} ms, longest ${fmt(r.serverLagMaxMs, 1)} ms`
      : '')
  );
}

function describeJoin(name: string, c: ColdJoinResult): string {
  const closes =
    c.closes.length > 0 ? `; ${c.closes.length} closes, e.g. ${[...new Set(c.closes)].slice(0, 3).join('; ')}` : '';
  return (
    `  ${name.padEnd(9)} all ${c.clients} synced in ${fmt(c.seconds)} s (per client p50 ${fmt(c.p50Ms, 0)} ms, ` +
    `p99 ${fmt(c.p99Ms, 0)} ms; ${c.failed} not synced, ${c.empty} synced empty)${closes}`
  );
}

/** Waits until our server has unloaded every room (each stored on the way out); null: not in time. */
async function roomsUnloaded(url: string): Promise<number | null> {
  const t0 = performance.now();
  while ((await health(url)).collab.rooms > 0) {
    if (performance.now() - t0 > UNLOAD_TIMEOUT_MS) return null;
    await sleep(500);
  }
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  if (processesArg !== -1) return benchProcesses(Number(process.argv[processesArg + 1]));
  const maxPairs = Math.max(...PAIR_COUNTS);
  const external = process.env.MONGODB_URI;
  let dataDir: string | null = null;
  let db: EmbeddedDatabase | null = null;
  if (!external) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-bench-'));
    db = await startEmbeddedFerretdb({
      dataDir,
      binary: process.env.FERRETDB_BIN,
      logger: createLogger('warn'),
      dbName: 'kb_bench',
    });
  }
  const backend = external ? `MONGODB_URI=${external}` : 'embedded FerretDB/SQLite';
  console.log(
    `ours: the Kneadback hub (auth, guard, ${backend}) · reference: @y/websocket-server (in memory, no auth, no persistence); ` +
      `each its own process; ${os.cpus().length} cores, load average ${load1()}`,
  );
  let ours: ServerProcess | null = null;
  let ref: ReferenceServer | null = null;
  let refJoin: ColdJoinResult | null = null;
  let oursJoin: ColdJoinResult | null = null;
  try {
    // one process, as without REDIS_URL in production: no fan-out through Redis even when the
    // environment names one (bench:collab --processes 2 measures that)
    ours = await serverProcess(external ?? db!.uri, { RATE_LIMITS: 'off', REDIS_URL: undefined }, { compiled: true });
    await ours.start();
    ref = await startReferenceServer();
    const oursUrl = ours.url;
    const refServer = ref;
    const oursSample = () => health(oursUrl);
    const refSample = (): Promise<ServerSample> => Promise.resolve({ rssMb: refServer.rssMb() });

    // Each pair count edits its own block of debriefs (a block's rooms may still be unloading
    // from the previous one); the cold join opens the largest block's again, once unloaded.
    const blocks: { pairs: number; from: number }[] = [];
    let seatCount = 0;
    for (const pairs of PAIR_COUNTS) {
      blocks.push({ pairs, from: seatCount });
      seatCount += pairs;
    }
    const largest = blocks.find((b) => b.pairs === maxPairs)!;
    const coldFrom = COLD_DEBRIEFS <= maxPairs ? largest.from : seatCount;
    if (COLD_DEBRIEFS > maxPairs) seatCount += COLD_DEBRIEFS;

    let t = performance.now();
    console.log(`signing up partners for ${seatCount} debriefs on ours (10 exchanges per pair)...`);
    const oursSeats: Seat[] = await partnerSeats(ours, seatCount);
    const refSeats = anonymousSeats(seatCount);
    console.log(`  done in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // The reference first, then ours: ours keeps working (storing, unloading) after its clients
    // leave, and that must not slow the reference's runs.
    const quiet = () => undefined;
    const results = new Map<string, CollabLoadResult>();
    const cpu = new Map<string, CpuPhase>();
    const metered = () =>
      meterCpu([
        ['ours', ours!.pid()],
        ['ferretdb', db?.pid],
        ['reference', refServer.pid],
        ['load generator', process.pid],
      ]);
    const key = (server: string, pairs: number, pace: Pace) => `${server} ${pairs} ${pace.kind}`;
    for (const [name, url, seats, sample] of [
      ['reference', refServer.url, refSeats, refSample],
      ['ours', oursUrl, oursSeats, oursSample],
    ] as const) {
      for (const block of blocks) {
        const load = await openCollabLoad(
          { url },
          { pairs: block.pairs, seats: seats.slice(block.from, block.from + block.pairs), log: quiet },
        );
        try {
          for (const pace of PACES) {
            const phase = metered();
            const r = await load.run({ seconds: SECONDS, pace, sample });
            const used = phase();
            console.log(`\n${block.pairs} pairs, ${describePace(pace)} (load average ${load1()}):`);
            console.log(describeRun(name, r));
            console.log(`            ${describeCpu(used)}`);
            results.set(key(name, block.pairs, pace), r);
            cpu.set(key(name, block.pairs, pace), used);
          }
        } finally {
          load.close();
        }
      }
      if (name === 'reference' && COLD_DEBRIEFS > 0) {
        // its rooms stay in memory (no persistence: it never unloads); give them content first
        await fillDebriefs(url, seats.slice(coldFrom, coldFrom + COLD_DEBRIEFS));
        refJoin = await coldJoin(url, seats.slice(coldFrom, coldFrom + COLD_DEBRIEFS));
      }
    }
    const cases: Case[] = blocks.flatMap((b) =>
      PACES.map((pace) => ({
        pairs: b.pairs,
        pace,
        ref: results.get(key('reference', b.pairs, pace))!,
        ours: results.get(key('ours', b.pairs, pace))!,
        oursCpu: cpu.get(key('ours', b.pairs, pace))!,
      })),
    );
    console.log('\nratios (ours / reference):');
    for (const c of cases)
      console.log(
        `  ${c.pairs} pairs, ${c.pace.editsPerS} edits/s per client: p50 ${ratio(c.ours.p50Ms, c.ref.p50Ms)}x, ` +
          `p99 ${ratio(c.ours.p99Ms, c.ref.p99Ms)}x, rss ${ratio(c.ours.peakRssMb, c.ref.peakRssMb)}x`,
      );

    if (COLD_DEBRIEFS > 0) {
      console.log(`\ncold join: ${COLD_DEBRIEFS * 2} clients joining ${COLD_DEBRIEFS} debriefs with content at once:`);
      console.log(describeJoin('reference', refJoin!) + ' (rooms in memory)');
      t = performance.now();
      const coldSeats = oursSeats.slice(coldFrom, coldFrom + COLD_DEBRIEFS);
      if (COLD_DEBRIEFS > maxPairs) await fillDebriefs(oursUrl, coldSeats);
      const unloaded = await roomsUnloaded(oursUrl);
      if (unloaded === null) {
        console.log(
          `  ours      not measured: rooms still loaded ${UNLOAD_TIMEOUT_MS / 1000} s after their clients left`,
        );
      } else {
        console.log(
          `  ours: every room stored and unloaded (rooms 0) ${((performance.now() - t) / 1000).toFixed(1)} s after the last load; rss ${(await oursSample()).rssMb} MB`,
        );
        const joining = metered();
        oursJoin = await coldJoin(oursUrl, coldSeats);
        const joinCpu = joining();
        console.log(describeJoin('ours', oursJoin) + ' (from the database)');
        console.log(`            until all synced: ${describeCpu(joinCpu)}`);
        console.log(`  ratio     ${ratio(oursJoin.seconds, refJoin!.seconds)}x`);
      }
    }
    const unloading = metered();
    const unloaded = await roomsUnloaded(oursUrl);
    if (oursJoin) console.log(`            after, until every room unloaded: ${describeCpu(unloading())}`);
    const rssAtUnload = (await oursSample()).rssMb;
    // the server gives memory back a few checks after its rooms unloaded (server/src/memory-return.ts)
    await sleep(MEMORY_RETURN_WAIT_MS);
    console.log(
      `\nrss with no clients: ours ${rssAtUnload} MB ${unloaded === null ? '(rooms still loaded)' : 'when every room had unloaded'}, ` +
        `${(await oursSample()).rssMb} MB ${MEMORY_RETURN_WAIT_MS / 1000} s later; reference ${refServer.rssMb()} MB`,
    );

    console.log(`\nsummary (${SECONDS} s per run, ${os.cpus().length} cores, load average ${load1()}):`);
    console.log(
      '| load | ours p50 / p99 / max ms | reference p50 / p99 / max ms | p99 ratio | ours stored p99 ms | rss ours / ref MB |',
    );
    console.log('|---|---|---|---|---|---|');
    for (const c of cases) {
      const row = (r: CollabLoadResult) => `${fmt(r.p50Ms)} / ${fmt(r.p99Ms)} / ${fmt(r.maxMs, 1)}`;
      console.log(
        `| ${c.pairs} pairs, ${c.pace.editsPerS} edits/s per client | ${row(c.ours)} | ${row(c.ref)} | ${ratio(c.ours.p99Ms, c.ref.p99Ms)}x | ` +
          `${fmt(durableP99(c.ours), 0)} | ${c.ours.peakRssMb} / ${c.ref.peakRssMb} |`,
      );
    }
    if (oursJoin && refJoin)
      console.log(
        `| ${oursJoin.clients} clients joining ${COLD_DEBRIEFS} stored debriefs at once, s | ${fmt(oursJoin.seconds)} | ${fmt(refJoin.seconds)} | ${ratio(oursJoin.seconds, refJoin.seconds)}x | | |`,
      );

    console.log('\nwhere the CPU went while ours ran (CPU seconds per second of the run, 1.00 = one core):');
    for (const c of cases) {
      const share = c.oursCpu.used.map((u) => `${u.name} ${fmt(u.cpuS / c.oursCpu.seconds)}`).join(', ');
      console.log(`  ${c.pairs} pairs, ${c.pace.editsPerS} edits/s per client: ${share}`);
    }

    const last = cases.filter((c) => c.pairs === maxPairs).at(-1)!;
    console.log(
      `pairs=${last.pairs} p50_ms=${fmt(last.ours.p50Ms)} p99_ms=${fmt(last.ours.p99Ms)} ref_p99_ms=${fmt(last.ref.p99Ms)} ` +
        `ratio_p99=${fmt(last.ours.p99Ms / last.ref.p99Ms)} durable_p99_ms=${fmt(durableP99(last.ours), 0)} ` +
        `cold_join_s=${fmt(oursJoin?.seconds ?? NaN)} rss_mb=${last.ours.peakRssMb} ref_rss_mb=${last.ref.peakRssMb}`,
    );
  } finally {
    await ref?.stop();
    const server = ours;
    if (server) {
      // with a slow database, storing every room on the way out can take long
      const stopped = await Promise.race([server.kill('SIGTERM').then(() => true), sleep(30_000).then(() => false)]);
      if (!stopped) await server.kill('SIGKILL');
    }
    await db?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
