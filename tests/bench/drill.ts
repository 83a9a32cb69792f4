// pnpm drill [cases] [--seed S] [--case N] — a hostile-input drill against the real server (its
// own process) on the embedded FerretDB. While one live pair edits a debrief every 100 ms and a
// worker thread polls /healthz every 50 ms, it sends at least `cases` (default 10,000) malformed,
// random and oversized inputs: Yjs frames, upgrade paths and headers, JSON to every HTTP route,
// Socket.IO events and raw packets (tests/bench/drill-cases.ts), from a seeded PRNG so a run
// can be repeated exactly. A case survived when the process is still up and answers /healthz
// after it. When the server dies, the drill restarts it, replays the cases that were in flight
// one by one to find the one that kills it, reports it (with the server's last log lines), stops
// sending that kind of case and goes on. Exits non-zero when the server died or hung, or a live
// edit was lost or the pair diverged. Not a test: figures depend on the machine.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { addAnnotation, readAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { startEmbeddedFerretdb } from '../../server/src/db/embedded-ferretdb.ts';
import { createLogger } from '../../server/src/logger.ts';
import { connectDebrief } from '../helpers/collab-client.ts';
import { createPartners, upperTrapeziusPressure } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { startHealthzMonitor, type HealthzStats } from '../helpers/healthz-monitor.ts';
import { signUpUser } from '../helpers/http-client.ts';
import { LivePair, percentile, sleep, sortedMarks, type Side } from '../helpers/live-pair.ts';
import { formatExit, watchedServer, type ServerExit, type WatchedServer } from '../helpers/watched-server.ts';
import { discoverRoutes, drillCase, SocketPool, type DrillCase, type DrillTargets } from './drill-cases.ts';

const argv = process.argv.slice(2);
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const positional = argv.filter((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
const CASES = Number(positional[0] ?? process.env.DRILL_CASES ?? 10_000);
const SEED = Number(flag('--seed') ?? process.env.DRILL_SEED ?? 20_261_127);
const ONLY_CASE = flag('--case');
const BATCH = Number(process.env.DRILL_BATCH ?? 24);
/** Stop sending (and fail) past this, so a server that slows to a crawl cannot hang the drill. */
const TIME_BUDGET_MS = Number(process.env.DRILL_MAX_SECONDS ?? 240) * 1000;
/** Optional: also fail when /healthz was ever slower than this. */
const MAX_STALL_MS = process.env.DRILL_MAX_STALL_MS ? Number(process.env.DRILL_MAX_STALL_MS) : undefined;
const EDIT_EVERY_MS = 100;
const HEALTH_TIMEOUT_MS = 5_000;
/** How long an unanswered /healthz (process still running) may last before the server counts as hung. */
const HUNG_AFTER_MS = 15_000;

type Health = 'ok' | 'dead' | 'hung';

interface Killer {
  c: DrillCase;
  outcome: string;
  how: string;
  trace: string[];
}

async function health(server: WatchedServer): Promise<Health> {
  const deadline = Date.now() + HUNG_AFTER_MS;
  while (server.alive) {
    try {
      const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS) });
      await res.arrayBuffer();
      if (res.status === 200) return 'ok';
    } catch {
      // refused (dying) or slow: look again
    }
    if (Date.now() > deadline) return 'hung';
    await sleep(100);
  }
  return 'dead';
}

/** The interesting part of the server's last words: errors and anything that is not a JSON log line. */
function traceOf(lines: readonly string[]): string[] {
  const picked = lines.filter((l) => {
    try {
      return ((JSON.parse(l) as { level?: number }).level ?? 60) >= 50;
    } catch {
      return true;
    }
  });
  return picked.slice(-14);
}

async function main(): Promise<void> {
  const started = performance.now();
  // y-websocket adds a process 'exit' listener per provider
  process.setMaxListeners(0);
  const startedWall = Date.now();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-drill-'));
  const db = await startEmbeddedFerretdb({
    dataDir,
    binary: process.env.FERRETDB_BIN,
    logger: createLogger('warn'),
    dbName: 'kb_drill',
  });
  const server = await watchedServer(db.uri);
  let pair: LivePair | null = null;
  let sockets: SocketPool | null = null;
  let exitCode = 0;
  try {
    await server.start();
    console.log(`server log: ${server.logFile}`);

    // ---- setup: the live pair, a debrief for the hostile partner, a stranger
    const live = await createPartners(server);
    const fuzz = await createPartners(server);
    const stranger = await signUpUser(server, 'Stranger');
    pair = await LivePair.open(server.url, live, 'live');
    const fuzzA = connectDebrief(server.url, fuzz.a.cookieHeader, fuzz.exchangeId);
    const fuzzB = connectDebrief(server.url, fuzz.b.cookieHeader, fuzz.exchangeId);
    await Promise.all([fuzzA.synced(), fuzzB.synced()]);
    const fuzzMarkId = addAnnotation(fuzzA.doc, fuzz.a.user.id, upperTrapeziusPressure).id;
    await eventually(() => {
      if (!readAnnotation(fuzzB.doc, fuzzMarkId)) throw new Error("the hostile partner's debrief did not sync");
    });
    fuzzA.destroy();
    fuzzB.destroy();
    sockets = new SocketPool(server.url);
    const routes = discoverRoutes();
    const targets: DrillTargets = {
      url: server.url,
      port: Number(new URL(server.url).port),
      routes,
      liveDebriefId: live.exchangeId,
      liveMarkId: pair.marks.a,
      liveVictimId: live.a.user.id,
      fuzzDebriefId: fuzz.exchangeId,
      fuzzMarkId,
      fuzzPartnerId: fuzz.a.user.id,
      fuzzVictimId: fuzz.b.user.id,
      strangerEmail: stranger.email,
      cookies: {
        'live-partner': live.b.cookieHeader,
        'fuzz-partner': fuzz.a.cookieHeader,
        stranger: stranger.cookieHeader,
        anonymous: '',
        'bogus-cookie': `kb_session=${'0'.repeat(64)}`,
      },
      sockets,
    };
    console.log(`routes drilled (${routes.length}): ${routes.map((r) => `${r.method} ${r.path}`).join(', ')}`);

    if (ONLY_CASE !== undefined) {
      const c = drillCase(SEED, Number(ONLY_CASE));
      console.log(`case ${c.index} (seed ${SEED}): ${c.what}`);
      const outcome = await c.run(targets);
      const h = await health(server);
      console.log(`answer: ${outcome}; server afterwards: ${h}`);
      const exit = server.exits.at(-1);
      if (exit) console.log(`${formatExit(exit)}\n${traceOf(exit.tail).join('\n')}`);
      exitCode = h === 'ok' ? 0 : 1;
      return;
    }

    // ---- the live pair edits throughout
    let editing = true;
    const editLoop = (async () => {
      let side: Side = 'a';
      while (editing) {
        pair!.edit(side);
        side = side === 'a' ? 'b' : 'a';
        await sleep(EDIT_EVERY_MS);
      }
    })();
    const monitor = startHealthzMonitor(server.url, { intervalMs: 50 });
    const clientLag = monitorEventLoopDelay({ resolution: 10 });
    clientLag.enable();

    // ---- the cases
    const outcomes = new Map<string, Map<string, number>>();
    const record = (c: DrillCase, outcome: string) => {
      const byOutcome = outcomes.get(c.kind) ?? new Map<string, number>();
      byOutcome.set(outcome, (byOutcome.get(outcome) ?? 0) + 1);
      outcomes.set(c.kind, byOutcome);
    };
    const killers: Killer[] = [];
    const killerKinds = new Set<string>();
    const unexplained: { cases: number[]; how: string; trace: string[] }[] = [];
    const batches: { start: number; end: number; kinds: string[] }[] = [];
    let sent = 0;
    let survived = 0;
    let skipped = 0;
    let index = 0;
    let outOfTime = false;
    let nextProgress = 1_000;

    const describeEnd = async (h: Health): Promise<{ how: string; trace: string[] }> => {
      if (h === 'hung') {
        const tail = traceOf(server.problemLines);
        await server.stop('SIGKILL', 0);
        return { how: `server stopped answering /healthz for ${HUNG_AFTER_MS / 1000} s (killed)`, trace: tail };
      }
      const exit: ServerExit | null = await server.exited();
      return { how: exit ? formatExit(exit) : 'server process ended', trace: exit ? traceOf(exit.tail) : [] };
    };
    const restart = async () => {
      console.log('  restarting the server...');
      await server.start();
    };

    while (sent < CASES) {
      if (performance.now() - started > TIME_BUDGET_MS) {
        outOfTime = true;
        break;
      }
      const batch: DrillCase[] = [];
      while (batch.length < BATCH && sent + batch.length < CASES && index < CASES * 3) {
        const c = drillCase(SEED, index++);
        if (killerKinds.has(c.kind)) skipped++;
        else batch.push(c);
      }
      if (batch.length === 0) break;
      const start = Date.now();
      const results = await Promise.all(batch.map((c) => c.run(targets)));
      const h = await health(server);
      batches.push({ start, end: Date.now(), kinds: batch.map((c) => c.kind) });
      sent += batch.length;
      if (h === 'ok') {
        survived += batch.length;
        batch.forEach((c, i) => record(c, results[i]!));
      } else {
        const end = await describeEnd(h);
        console.log(`! ${end.how} during cases ${batch[0]!.index}..${batch.at(-1)!.index}; finding the case...`);
        await restart();
        let found = false;
        for (const c of batch) {
          if (killerKinds.has(c.kind)) {
            // one of its kind just killed the server: do not replay it, and it did not survive
            record(c, 'not replayed (its kind killed the server)');
            continue;
          }
          const outcome = await c.run(targets);
          record(c, outcome);
          const again = await health(server);
          if (again === 'ok') {
            survived++;
            continue;
          }
          found = true;
          const how = await describeEnd(again);
          killers.push({ c, outcome, ...how });
          killerKinds.add(c.kind);
          console.log(`! case ${c.index} (${c.what}) -> ${how.how}; no more ${c.kind} cases`);
          await restart();
        }
        if (!found) unexplained.push({ cases: batch.map((c) => c.index), ...end });
      }
      if (sent >= nextProgress) {
        console.log(
          `[drill] ${sent}/${CASES} cases, ${killers.length + unexplained.length} deaths, ${((performance.now() - started) / 1000).toFixed(0)} s`,
        );
        nextProgress += 1_000;
      }
    }

    // ---- the end: stop editing, let the last edits arrive, compare the two devices and a fresh one
    editing = false;
    await editLoop;
    clientLag.disable();
    const lost = await pair.drain(10_000);
    const stats: HealthzStats = await monitor.stop();
    const divergence = pair.divergence();
    let freshCheck = 'not checked (server down)';
    if (server.alive) {
      const fresh = connectDebrief(server.url, live.a.cookieHeader, live.exchangeId);
      const synced = await Promise.race([fresh.synced().then(() => true), sleep(10_000).then(() => false)]);
      freshCheck = !synced
        ? 'a fresh device did not sync within 10 s'
        : JSON.stringify(sortedMarks(fresh.doc)) === JSON.stringify(sortedMarks(pair.a.doc))
          ? 'same marks'
          : 'DIFFERENT marks from the live devices';
      fresh.destroy();
    }

    // ---- report
    console.log('\nanswers by kind (most common first):');
    for (const [kind, byOutcome] of [...outcomes].sort(([a], [b]) => a.localeCompare(b))) {
      const total = [...byOutcome.values()].reduce((s, n) => s + n, 0);
      const top = [...byOutcome]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([o, n]) => `${o} ×${n}`)
        .join('; ');
      console.log(`  ${kind.padEnd(36)} ${String(total).padStart(5)}  ${top}`);
    }
    const serverErrors = [...outcomes].flatMap(([kind, byOutcome]) =>
      [...byOutcome]
        .filter(([o]) => /-> 5\d\d$|http 5\d\d|ack error internal/.test(o))
        .map(([o, n]) => `${kind}: ${o} ×${n}`),
    );
    if (serverErrors.length) console.log(`\nanswers with a server error (5xx):\n  ${serverErrors.join('\n  ')}`);
    const noAnswer = [...outcomes].flatMap(([kind, byOutcome]) =>
      [...byOutcome].filter(([o]) => /no answer|drill timeout/.test(o)).map(([o, n]) => `${kind}: ${o} ×${n}`),
    );
    if (noAnswer.length)
      console.log(`\ncases the server never answered (gave up after 4 s):\n  ${noAnswer.join('\n  ')}`);

    for (const k of killers) {
      console.log(
        `\nSERVER DIED: case ${k.c.index} (${k.c.what}); replay: pnpm drill --seed ${SEED} --case ${k.c.index}\n  ${k.how}\n  ${k.trace.join('\n  ')}`,
      );
    }
    for (const u of unexplained) {
      console.log(
        `\nSERVER DIED during cases ${u.cases[0]}..${u.cases.at(-1)}, and no single one of them killed it again\n  ${u.how}\n  ${u.trace.join('\n  ')}`,
      );
    }
    const grouped = new Map<string, number>();
    let plainLines = 0;
    for (const line of server.problemLines) {
      let key: string;
      try {
        const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        key = `${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`.slice(0, 160);
      } catch {
        plainLines++; // stack traces (shown above when they ended the process) and stray prints
        continue;
      }
      grouped.set(key, (grouped.get(key) ?? 0) + 1);
    }
    if (server.problemLines.length) {
      console.log(
        `\nserver log: ${grouped.size ? 'error and fatal entries' : 'no error or fatal entries'}, and ${plainLines} lines that are not log entries (full log ${server.logFile})`,
      );
      for (const [key, n] of [...grouped].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ×${n}  ${key}`);
    }
    if (stats.slow.length) {
      console.log('\nslowest /healthz answers, with the kinds of case in flight then:');
      for (const s of stats.slow.slice(0, 5)) {
        const kinds = new Map<string, number>();
        for (const b of batches)
          if (b.start <= s.at + s.ms && b.end >= s.at) for (const k of b.kinds) kinds.set(k, (kinds.get(k) ?? 0) + 1);
        const top = [...kinds]
          .sort((a, b) => b[1] - a[1])
          .slice(0, 4)
          .map(([k, n]) => `${k}×${n}`)
          .join(', ');
        console.log(`  ${s.ms.toFixed(0).padStart(5)} ms at +${((s.at - startedWall) / 1000).toFixed(1)} s  ${top}`);
      }
    }

    const lat = pair.samples.map((s) => s.latencyMs).sort((a, b) => a - b);
    const deaths = killers.length + unexplained.length;
    const elapsed = (performance.now() - started) / 1000;
    console.log(
      `\nseed ${SEED}, ${elapsed.toFixed(0)} s; /healthz polls ${stats.polls}: p50 ${stats.p50Ms.toFixed(1)} ms, p99 ${stats.p99Ms.toFixed(1)} ms, unanswered ${stats.failed}; drill client event-loop delay p99 ${(clientLag.percentile(99) / 1e6).toFixed(1)} ms`,
    );
    if (skipped) console.log(`skipped ${skipped} cases of kinds already known to kill the server (replaced by others)`);
    const verdict = (ok: boolean, text: string) => console.log(`${ok ? 'ok  ' : 'FAIL'} ${text}`);
    verdict(deaths === 0, `server process stayed up (${deaths} deaths)`);
    verdict(!outOfTime && sent >= CASES, `sent ${sent} of ${CASES} cases${outOfTime ? ' (time budget ran out)' : ''}`);
    verdict(stats.maxMs <= 100, `/healthz never slower than 100 ms (max ${stats.maxMs.toFixed(1)} ms)`);
    verdict(lost === 0, `every live edit reached the partner (${lost} of ${pair.sent} missing)`);
    verdict(divergence === null, `the live pair converged${divergence ? `: ${divergence}` : ''}`);
    verdict(freshCheck === 'same marks', `a fresh device sees the live pair's marks: ${freshCheck}`);
    for (const m of pair.missing().slice(0, 5))
      console.log(`  missing: ${m.from}#${m.seq}, sent ${(m.ageMs / 1000).toFixed(1)} s ago`);

    if (deaths > 0 || lost > 0 || divergence !== null || freshCheck !== 'same marks' || outOfTime) exitCode = 1;
    if (MAX_STALL_MS !== undefined && !(stats.maxMs <= MAX_STALL_MS)) exitCode = 1;
    console.log(
      `live_edits=${pair.sent} live_p50_ms=${percentile(lat, 50).toFixed(1)} live_p99_ms=${percentile(lat, 99).toFixed(1)} live_max_ms=${(lat.at(-1) ?? NaN).toFixed(1)} live_lost=${lost}`,
    );
    console.log(`cases=${sent} survived=${survived} max_stall_ms=${stats.maxMs.toFixed(1)}`);
  } finally {
    process.exitCode = exitCode;
    pair?.destroy();
    await sockets?.close();
    const code = await server.stop('SIGTERM', 20_000);
    if (code !== 0 && code !== null) console.log(`(the server exited with code ${code} when asked to stop)`);
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error('drill failed:', err);
    process.exit(2);
  },
);
