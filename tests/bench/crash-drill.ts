// pnpm drill:crash [pairs] — the crash drill of issue 13: the real server (its own process, on
// its embedded FerretDB, as `npm start` runs it) while N partner pairs edit their debriefs in
// bursts over real y-websocket clients; SIGKILL in the middle of a burst, edits carry on, the
// server is started again on the same port and data dir. Measures how long until /healthz
// answers, until a fresh client syncs a debrief and until every client is synced again; then
// checks that every edit any device displays is in the stored document. Prints figures, exits
// non-zero when a displayed edit was lost. Not part of the tests: timings depend on the machine.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import * as Y from 'yjs';
import { addAnnotation, addReply, readAnnotations, readThread } from '@kneadback/shared/docs/debrief-doc';
import { mongoDocStore } from '../../server/src/collab/mongo-doc-store.ts';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';
import { watchedServer, type WatchedServer } from '../helpers/watched-server.ts';

const PAIRS = Number(process.argv[2] ?? process.env.DRILL_PAIRS ?? 50);
/** Editing before the kill, so every debrief has a log and a snapshot state to recover. */
const EDIT_BEFORE_KILL_MS = 6_000;
/** How long the server stays dead (a supervisor restarting it). */
const DOWN_MS = Number(process.env.DRILL_DOWN_MS ?? 500);
const EDIT_AFTER_RESYNC_MS = 3_000;
const RESYNC_TIMEOUT_MS = 60_000;
/** Human pace in bursts: every 1.5-3 s a partner makes 4 quick edits 150 ms apart. */
const BURST_EVERY_MS = [1_500, 3_000] as const;
const BURST_EDITS = 4;
const BURST_GAP_MS = 150;
/** The kill waits (a little) for a moment when at least this share of devices is mid-burst. */
const MID_BURST_SHARE = 0.2;

type Side = 'a' | 'b';
const quiet = () => undefined;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Editor {
  pair: number;
  side: Side;
  userId: string;
  client: DebriefClient;
  /** The mark this device's current burst replies under. */
  mark: string | null;
  seq: number;
  inBurst: boolean;
  /** performance.now() of every sync(true) event, to find the first after the restart. */
  syncs: number[];
  disconnectedAt: number | null;
}

interface Pair {
  index: number;
  partners: Partners;
  a: Editor;
  b: Editor;
}

/** Every edit a copy of a debrief shows: marks' notes and replies carry the edit's tag. */
function shownTags(doc: Y.Doc): Set<string> {
  const tags = new Set<string>();
  for (const mark of readAnnotations(doc, quiet)) if (mark.text.startsWith('p')) tags.add(mark.text);
  for (const entry of readThread(doc, undefined, quiet)) if (entry.kind === 'reply') tags.add(entry.text);
  return tags;
}

function edit(e: Editor, first: boolean): void {
  const tag = `p${e.pair}${e.side}${++e.seq}`;
  const doc = e.client.doc;
  if (first || !e.mark) {
    e.mark = addAnnotation(doc, e.userId, {
      ...upperTrapeziusPressure,
      round: e.side === 'a' ? 1 : 2,
      text: tag,
    }).id;
  } else {
    addReply(doc, e.mark, e.userId, { text: tag });
  }
}

function burstLoop(e: Editor, running: () => boolean): Promise<void> {
  return (async () => {
    while (running()) {
      const [lo, hi] = BURST_EVERY_MS;
      await sleep(lo + Math.random() * (hi - lo));
      e.inBurst = true;
      for (let i = 0; i < BURST_EDITS && running(); i++) {
        edit(e, i === 0);
        await sleep(BURST_GAP_MS);
      }
      e.inBurst = false;
    }
  })();
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  return out;
}

function editor(pair: number, side: Side, userId: string, client: DebriefClient): Editor {
  const e: Editor = { pair, side, userId, client, mark: null, seq: 0, inBurst: false, syncs: [], disconnectedAt: null };
  client.provider.on('sync', (synced: boolean) => {
    if (synced) e.syncs.push(performance.now());
  });
  client.provider.on('status', ({ status }: { status: string }) => {
    if (status === 'disconnected' && e.disconnectedAt === null) e.disconnectedAt = performance.now();
  });
  return e;
}

// ---------- the embedded database and the server's log, read from outside ----------

interface FerretdbInstance {
  pid: number;
  port: number;
}

function ferretdbInstance(dataDir: string): FerretdbInstance | null {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, 'ferretdb', 'instance.json'), 'utf8')) as FerretdbInstance;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface ProcSample {
  at: number;
  /** utime + stime, in clock ticks (1/100 s) */
  cpuTicks: number;
  /** R running, S sleeping, D in uninterruptible I/O, Z exited but not yet reaped */
  state: string;
  threads: number;
}

function procSample(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      at: performance.now(),
      state: fields[0]!,
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      threads: Number(fields[17]),
    };
  } catch {
    return null;
  }
}

/** How the old FerretDB spent the time from `from` (performance.now()) until it was gone. */
function describeStop(samples: ProcSample[], from: number | null): string {
  if (from === null) return 'n/a';
  const zombieAt = samples.find((s) => s.state === 'Z')?.at;
  const during = samples.filter((s) => s.at >= from && s.state !== 'Z');
  if (during.length === 0) return 'no samples';
  const states = new Map<string, number>();
  for (const s of during) states.set(s.state, (states.get(s.state) ?? 0) + 1);
  const cpuMs = (during.at(-1)!.cpuTicks - during[0]!.cpuTicks) * 10;
  const wallMs = during.at(-1)!.at - during[0]!.at;
  return (
    `running ${Math.round(wallMs)} ms (${cpuMs} ms CPU, ${during.at(-1)!.threads} threads, ` +
    `states ${[...states].map(([k, n]) => `${k}:${Math.round((100 * n) / during.length)}%`).join(' ')}), ` +
    `exited (zombie) at ${zombieAt === undefined ? 'n/a' : `${Math.round(zombieAt - from)} ms`}`
  );
}

interface LogLine {
  time: number;
  level: number;
  msg: string;
  [key: string]: unknown;
}

function logLines(logFile: string): LogLine[] {
  return readFileSync(logFile, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as LogLine;
        return typeof parsed.time === 'number' ? [parsed] : [];
      } catch {
        return [];
      }
    });
}

/** Milliseconds after `sinceEpoch` of the first line since then whose message starts with `msg`. */
function phaseAt(lines: LogLine[], sinceEpoch: number, msg: string): number | null {
  const line = lines.find((l) => l.time >= sinceEpoch && l.msg.startsWith(msg));
  return line ? line.time - sinceEpoch : null;
}

const ms = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x)} ms`);

// ---------- the drill ----------

async function healthyAfter(url: string, since: number, timeoutMs: number): Promise<number> {
  const deadline = since + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`/healthz did not answer 200 within ${timeoutMs} ms`);
    await sleep(10);
  }
}

async function main(): Promise<number> {
  // every y-websocket provider adds a process 'exit' listener (its presence cleanup)
  process.setMaxListeners(PAIRS * 2 + 20);
  const server = await watchedServer('', {
    logLevel: 'info',
    env: {
      RATE_LIMITS: 'off',
      // no MONGODB_URI: the server starts (and after the crash, replaces) its embedded FerretDB in
      // DATA_DIR, as `npm start` does; an undefined value is left out of the child's environment
      MONGODB_URI: undefined as unknown as string,
    },
  });
  const dataDir = path.dirname(server.logFile);
  const pairs: Pair[] = [];
  let fresh: DebriefClient | undefined;
  try {
    const firstSpawn = performance.now();
    await server.start(60_000);
    console.log(
      `server up (cold start, embedded FerretDB) in ${ms(performance.now() - firstSpawn)}; log ${server.logFile}`,
    );

    console.log(`setting up ${PAIRS} pairs (${PAIRS * 2} live clients)...`);
    pairs.push(
      ...(await inBatches(Array.from({ length: PAIRS }), 10, async (_, index): Promise<Pair> => {
        const partners = await createPartners(server);
        const a = connectDebrief(server.url, partners.a.cookieHeader, partners.exchangeId);
        const b = connectDebrief(server.url, partners.b.cookieHeader, partners.exchangeId);
        await Promise.all([a.synced(), b.synced()]);
        return {
          index,
          partners,
          a: editor(index, 'a', partners.a.user.id, a),
          b: editor(index, 'b', partners.b.user.id, b),
        };
      })),
    );
    const editors = pairs.flatMap((p) => [p.a, p.b]);

    let editing = true;
    const loops = editors.map((e) => burstLoop(e, () => editing));
    await sleep(EDIT_BEFORE_KILL_MS);
    const waitUntil = performance.now() + 3_000;
    while (editors.filter((e) => e.inBurst).length < MID_BURST_SHARE * editors.length && performance.now() < waitUntil)
      await sleep(5);

    // ---- crash ----
    const oldDb = ferretdbInstance(dataDir);
    if (!oldDb) throw new Error('no embedded FerretDB instance file: is the server running on its own database?');
    const midBurst = editors.filter((e) => e.inBurst).length;
    const editsBefore = editors.reduce((n, e) => n + e.seq, 0);
    const killedAt = performance.now();
    await server.stop('SIGKILL');
    console.log(`SIGKILL with ${midBurst}/${editors.length} devices mid-burst, ${editsBefore} edits made so far`);

    // The old FerretDB outlives the server (own process group); the next start replaces it.
    let oldDbGoneAt: number | null = null;
    let newDbSpawnedAt: number | null = null;
    // what the old FerretDB does while it stops: CPU ticks and scheduler states from /proc
    const oldDbSamples: ProcSample[] = [];
    const watchDb = (async () => {
      while (performance.now() - killedAt < 120_000 && (oldDbGoneAt === null || newDbSpawnedAt === null)) {
        if (oldDbGoneAt === null) {
          // gone = reaped (no /proc entry); kill(pid, 0), which the server's replacement loop
          // uses, also succeeds for a zombie, so this is when that loop can see it gone
          const sample = procSample(oldDb.pid);
          if (sample) oldDbSamples.push(sample);
          else oldDbGoneAt = performance.now();
        }
        if (newDbSpawnedAt === null && (ferretdbInstance(dataDir)?.pid ?? oldDb.pid) !== oldDb.pid)
          newDbSpawnedAt = performance.now();
        await sleep(5);
      }
    })();

    await sleep(DOWN_MS);
    const stillConnected = editors.filter((e) => e.disconnectedAt === null || e.disconnectedAt < killedAt).length;
    if (stillConnected > 0)
      console.log(`warning: ${stillConnected} clients had not noticed the crash after ${DOWN_MS} ms`);

    // ---- restart ----
    const spawnEpoch = Date.now();
    const spawnedAt = performance.now();
    const started = server.start(60_000);
    const editsAtSpawn = editors.reduce((n, e) => n + e.seq, 0);
    const restartHealthyMs = await healthyAfter(server.url, spawnedAt, 60_000);
    await started;

    // A device opening a debrief now (one that was live at the crash, so left open in the store).
    const probe = pairs[0]!;
    fresh = connectDebrief(server.url, probe.partners.a.cookieHeader, probe.partners.exchangeId);
    await fresh.synced();
    const firstSyncMs = performance.now() - spawnedAt;
    const freshShows = shownTags(fresh.doc).size;

    const resyncDeadline = performance.now() + RESYNC_TIMEOUT_MS;
    const resyncedAt = (e: Editor) => e.syncs.find((t) => t > spawnedAt);
    while (editors.some((e) => resyncedAt(e) === undefined) && performance.now() < resyncDeadline) await sleep(10);
    const notResynced = editors.filter((e) => resyncedAt(e) === undefined);
    const allResyncedMs = notResynced.length ? NaN : Math.max(...editors.map((e) => resyncedAt(e)!)) - spawnedAt;
    const resyncTimes = editors
      .map((e) => resyncedAt(e))
      .filter((t): t is number => t !== undefined)
      .map((t) => t - spawnedAt)
      .sort((x, y) => x - y);
    console.log(
      `restart: healthy after ${ms(restartHealthyMs)}, fresh client synced after ${ms(firstSyncMs)} (shows ${freshShows} edits), ` +
        `clients resynced p50 ${ms(resyncTimes[Math.floor(resyncTimes.length / 2)] ?? null)}, last ${ms(resyncTimes.at(-1) ?? null)}` +
        (notResynced.length ? `, ${notResynced.length} NOT resynced within ${RESYNC_TIMEOUT_MS / 1000} s` : ''),
    );
    for (const e of notResynced.slice(0, 5))
      console.log(`  not resynced: pair ${e.pair}${e.side}, closes ${JSON.stringify(e.client.closes.slice(-3))}`);

    await sleep(EDIT_AFTER_RESYNC_MS);
    editing = false;
    await Promise.all(loops);
    const editsMade = editors.reduce((n, e) => n + e.seq, 0);
    console.log(
      `editing stopped: ${editsMade} edits in all, ${editsAtSpawn - editsBefore} made while the server was down`,
    );

    // ---- convergence: both partners of each pair show the same ----
    const convergeDeadline = performance.now() + 30_000;
    const differs = (p: Pair) => {
      const a = shownTags(p.a.client.doc);
      const b = shownTags(p.b.client.doc);
      return a.size !== b.size || [...a].some((t) => !b.has(t));
    };
    while (pairs.some(differs) && performance.now() < convergeDeadline) await sleep(50);
    const diverged = pairs.filter(differs);
    if (diverged.length) console.log(`warning: ${diverged.length} pairs still differ after 30 s`);

    // ---- what the devices display, against what is stored ----
    const displayed = new Map<number, Set<string>>();
    for (const p of pairs)
      displayed.set(p.index, new Set([...shownTags(p.a.client.doc), ...shownTags(p.b.client.doc)]));
    const displayedEdits = [...displayed.values()].reduce((n, s) => n + s.size, 0);
    const notDisplayed = editsMade - displayedEdits;
    if (notDisplayed !== 0) console.log(`warning: ${notDisplayed} edits made are not displayed by their own device`);

    const db = ferretdbInstance(dataDir);
    if (!db) throw new Error('no embedded FerretDB instance file after the restart');
    const connection = await mongoose
      .createConnection(`mongodb://127.0.0.1:${db.port}/kneadback`, { retryWrites: false })
      .asPromise();
    let lost: { pair: number; tags: string[] }[] = [];
    try {
      const store = mongoDocStore(connection);
      // stored before relayed, or relayed after 100 ms when the database is slow: give the group
      // commit time to catch up before calling anything lost
      const storeDeadline = performance.now() + 20_000;
      for (;;) {
        lost = [];
        for (const p of pairs) {
          const stored = await store.load(p.partners.exchangeId);
          const doc = new Y.Doc();
          for (const u of stored.updates) Y.applyUpdate(doc, u);
          const inStore = shownTags(doc);
          doc.destroy();
          const missing = [...displayed.get(p.index)!].filter((t) => !inStore.has(t));
          if (missing.length) lost.push({ pair: p.index, tags: missing });
        }
        if (lost.length === 0 || performance.now() > storeDeadline) break;
        await sleep(500);
      }
    } finally {
      await connection.close();
    }
    const lostCount = lost.reduce((n, l) => n + l.tags.length, 0);
    for (const l of lost.slice(0, 5)) console.log(`  lost in pair ${l.pair}: ${l.tags.slice(0, 10).join(' ')}`);

    // ---- where the restart's time went (the server's own log lines, and the old database) ----
    await Promise.race([watchDb, sleep(100)]);
    // the old process is dead, so every line since the spawn is the new one's (a line's "pid"
    // can name another process: the replaced FerretDB's)
    const lines = logLines(server.logFile).filter((l) => l.time >= spawnEpoch);
    const at = (msg: string) => phaseAt(lines, spawnEpoch, msg);
    const firstLine = lines[0];
    console.log('restart phases (ms after spawn; from the server log, and the old FerretDB watched from here):');
    console.log(
      `  first log line (node + tsx + imports + config):  ${ms(firstLine ? firstLine.time - spawnEpoch : null)}  "${firstLine?.msg ?? ''}"`,
    );
    console.log(
      `  old FerretDB (pid ${oldDb.pid}) told to stop (SIGTERM):  ${ms(at('replacing an embedded FerretDB'))}`,
    );
    console.log(
      `  old FerretDB reaped (pid gone):                  ${ms(oldDbGoneAt === null ? null : oldDbGoneAt - spawnedAt)}`,
    );
    const sigtermAt = at('replacing an embedded FerretDB');
    console.log(
      `  old FerretDB after SIGTERM:                      ${describeStop(oldDbSamples, sigtermAt === null ? null : spawnedAt + sigtermAt)}`,
    );
    console.log(
      `  new FerretDB spawned:                            ${ms(newDbSpawnedAt === null ? null : newDbSpawnedAt - spawnedAt)}`,
    );
    console.log(`  embedded FerretDB started (port answers):        ${ms(at('embedded FerretDB started'))}`);
    console.log(`  database connected:                              ${ms(at('database connected'))}`);
    console.log(`  listening (after model init / indexes):          ${ms(at('Kneadback listening'))}`);
    console.log(`  /healthz 200 seen here:                          ${ms(restartHealthyMs)}`);
    console.log(`  repair of debriefs left open finished:           ${ms(at('repaired debriefs left open'))}`);
    const restartProblems = lines.filter((l) => l.level >= 40);
    const byMsg = new Map<string, number>();
    for (const l of restartProblems) {
      const key = typeof l.reason === 'string' ? `${l.msg}: ${l.reason}` : l.msg;
      byMsg.set(key, (byMsg.get(key) ?? 0) + 1);
    }
    for (const [msg, n] of byMsg) console.log(`  warn/error after restart: ${n}x "${msg}"`);
    const closeCodes = new Map<number, number>();
    for (const e of editors) for (const c of e.client.closes) closeCodes.set(c.code, (closeCodes.get(c.code) ?? 0) + 1);
    console.log(
      `  close codes the clients saw (whole run): ${[...closeCodes].map(([code, n]) => `${code}x${n}`).join(' ')}`,
    );
    if (restartHealthyMs > 3_000) console.log(`target missed: healthy ${Math.round(restartHealthyMs)} ms > 3000 ms`);

    console.log(
      `pairs=${PAIRS} restart_healthy_ms=${Math.round(restartHealthyMs)} first_sync_ms=${Math.round(firstSyncMs)} ` +
        `all_resynced_ms=${Number.isNaN(allResyncedMs) ? 'NaN' : Math.round(allResyncedMs)} displayed_edits=${displayedEdits} lost=${lostCount}`,
    );
    return lostCount > 0 ? 1 : 0;
  } finally {
    fresh?.destroy();
    for (const p of pairs) {
      p.a.client.destroy();
      p.b.client.destroy();
    }
    await stopAll(server, dataDir);
  }
}

/** Stops the server (it stops its FerretDB) and whatever FerretDB a crash left behind. */
async function stopAll(server: WatchedServer, dataDir: string): Promise<void> {
  await server.stop('SIGTERM');
  const left = ferretdbInstance(dataDir);
  try {
    if (left && isAlive(left.pid) && readFileSync(`/proc/${left.pid}/cmdline`, 'utf8').includes('ferretdb'))
      process.kill(left.pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
  if (process.env.DRILL_KEEP) console.log(`kept ${dataDir}`);
  else rmSync(dataDir, { recursive: true, force: true });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
