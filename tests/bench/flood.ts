// pnpm bench:flood [pairs] — one hostile partner tries to grow one debrief by 20 MiB while N
// other pairs (default 20) edit their own debriefs at human pace, against the real server (its
// own process) on the embedded FerretDB. The hostile script sends updates of 500 KB to 1 MiB
// (new top-level maps, a huge note in its own mark, hundreds of marks at once), reconnecting
// after each refusal as a script would. Prints the other pairs' edit-to-partner latency before,
// during and after the attempt, what the server accepted, and the hostile debrief's final size
// (served to a fresh device, and read back from the store after the server stopped). Not a
// test: figures depend on the machine.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import mongoose from 'mongoose';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { COLLAB_PATH_PREFIX, MAX_COLLAB_MESSAGE_BYTES } from '@kneadback/shared/collab-protocol';
import { addAnnotation, readAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { MAX_ANNOTATION_TEXT } from '@kneadback/shared/schemas/annotation';
import { mongoDocStore } from '../../server/src/collab/mongo-doc-store.ts';
import { startEmbeddedFerretdb } from '../../server/src/db/embedded-ferretdb.ts';
import { createLogger } from '../../server/src/logger.ts';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { startHealthzMonitor } from '../helpers/healthz-monitor.ts';
import { LivePair, percentile, sleep, type Side } from '../helpers/live-pair.ts';
import { Rng } from '../helpers/seeded-random.ts';
import { formatExit, watchedServer } from '../helpers/watched-server.ts';

const MIB = 1024 * 1024;
const PAIRS = Number(process.argv[2] ?? process.env.FLOOD_PAIRS ?? 20);
const PHASE_MS = Number(process.env.FLOOD_PHASE_SECONDS ?? 10) * 1000;
const TARGET_BYTES = Number(process.env.FLOOD_MIB ?? 20) * MIB;
/** The attempt stops here even if it has not sent everything (a stalled server answers nothing). */
const ATTACK_MAX_MS = Number(process.env.FLOOD_MAX_SECONDS ?? 90) * 1000;
const SEED = Number(process.env.FLOOD_SEED ?? 7);
const WARMUP_MS = 2_000;
/** Human pace: each partner edits every 1-3 s. */
const EDIT_EVERY_MS = [1_000, 3_000] as const;
/** An attempt the server neither accepts nor refuses within this counts as unanswered. */
const ATTEMPT_TIMEOUT_MS = 20_000;
/** The largest update that still fits a 1 MiB message with its 2-5 header bytes. */
const MAX_UPDATE_BYTES = MAX_COLLAB_MESSAGE_BYTES - 16;

type Phase = 'warmup' | 'before' | 'during' | 'after';
type Strategy = 'top-level-map' | 'huge-note' | 'many-marks';
const STRATEGIES: Strategy[] = ['top-level-map', 'huge-note', 'many-marks'];

interface Attempt {
  strategy: Strategy;
  bytes: number;
  outcome: string;
  ms: number;
}

async function inBatches<T, R>(items: T[], size: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push(...(await Promise.all(items.slice(i, i + size).map((item, j) => fn(item, i + j)))));
  return out;
}

function letters(rng: Rng, n: number): string {
  const chunk = Array.from({ length: 4096 }, () => String.fromCharCode(rng.int(97, 122))).join('');
  return chunk.repeat(Math.ceil(n / chunk.length)).slice(0, n);
}

/**
 * One hostile update, made on a fresh copy of the debrief as it was at the start (a new Yjs client
 * id each time, so no attempt depends on an earlier refused one), encoded against that state.
 */
function buildAttack(
  strategy: Strategy,
  targetBytes: number,
  base: Uint8Array,
  hostileId: string,
  hostileMarkId: string,
  rng: Rng,
  n: number,
): Uint8Array {
  for (let size = targetBytes; ; size = Math.floor(size * 0.95)) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, base);
    const baseVector = Y.encodeStateVector(doc);
    doc.transact(() => {
      if (strategy === 'top-level-map') {
        // a hostile client writes outside the debrief's shape on purpose: that is what is measured
        // eslint-disable-next-line no-restricted-syntax
        doc.getMap(`junk-${n}`).set('blob', letters(rng, size));
      } else if (strategy === 'huge-note') {
        // eslint-disable-next-line no-restricted-syntax
        const mark = doc.getMap<Y.Map<unknown>>('annotations').get(hostileMarkId);
        if (!mark) throw new Error('the hostile mark is missing from the base state');
        mark.set('text', letters(rng, size));
      } else {
        // valid marks, each with the longest note the schema allows: only their number is hostile
        const count = Math.max(1, Math.floor(size / (MAX_ANNOTATION_TEXT + 300)));
        for (let i = 0; i < count; i++) {
          addAnnotation(doc, hostileId, { ...upperTrapeziusPressure, text: letters(rng, MAX_ANNOTATION_TEXT) });
        }
      }
    });
    const update = Y.encodeStateAsUpdate(doc, baseVector);
    doc.destroy();
    if (update.length <= MAX_UPDATE_BYTES) return update;
  }
}

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, step);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** The server's state vector plus everything in `update`: a sync step 1 that asks for nothing we sent. */
function vectorWith(serverVector: Uint8Array, update: Uint8Array): Uint8Array {
  const merged = Y.decodeStateVector(serverVector);
  for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(update))) {
    merged.set(client, Math.max(clock, merged.get(client) ?? 0));
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, merged.size);
  for (const [client, clock] of merged) {
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, clock);
  }
  return encoding.toUint8Array(e);
}

/**
 * Connects as the hostile partner, waits for the server's greeting (its state vector), sends the
 * update, then a sync step 1 claiming everything: the server answers it only after storing what
 * came before (accepted), or closes the socket (refused).
 */
function sendAttack(url: string, cookie: string, docId: string, update: Uint8Array): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${COLLAB_PATH_PREFIX}${docId}`, {
      headers: { cookie },
      handshakeTimeout: ATTEMPT_TIMEOUT_MS,
    });
    let settled = false;
    const done = (outcome: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.on('error', () => undefined);
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(() => done('no answer'), ATTEMPT_TIMEOUT_MS);
    let greeted = false;
    ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (bytes[0] !== 0) return;
      if (!greeted && bytes[1] === 0) {
        greeted = true;
        const decoder = decoding.createDecoder(bytes.subarray(2));
        const serverVector = decoding.readVarUint8Array(decoder);
        ws.send(syncMessage(2, update));
        ws.send(syncMessage(0, vectorWith(serverVector, update)));
        return;
      }
      if (greeted && bytes[1] === 1) done('accepted');
    });
    ws.on('close', (code, reason) => done(`refused ${code}${reason.length ? ` (${reason.toString()})` : ''}`));
    ws.on('error', (err) => done(`error: ${err.message.slice(0, 60)}`));
  });
}

function phaseStats(pairs: LivePair[], phase: Phase) {
  const lat = pairs
    .flatMap((p) => p.samples)
    .filter((s) => s.tag === phase)
    .map((s) => s.latencyMs)
    .sort((a, b) => a - b);
  const lost = pairs.flatMap((p) => p.missing()).filter((m) => m.tag === phase).length;
  return { edits: lat.length + lost, p50: percentile(lat, 50), p99: percentile(lat, 99), max: lat.at(-1) ?? NaN, lost };
}

async function storedSize(uri: string, docId: string): Promise<number> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000 }).asPromise();
  try {
    const { updates } = await mongoDocStore(connection).load(docId);
    const doc = new Y.Doc();
    for (const u of updates) Y.applyUpdate(doc, u);
    const size = Y.encodeStateAsUpdate(doc).length;
    doc.destroy();
    return size;
  } finally {
    await connection.close();
  }
}

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '-');
const mib = (bytes: number) => `${(bytes / MIB).toFixed(2)} MiB`;

async function main(): Promise<void> {
  const rng = new Rng(SEED);
  // y-websocket adds a process 'exit' listener per provider
  process.setMaxListeners(0);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-flood-'));
  const db = await startEmbeddedFerretdb({
    dataDir,
    binary: process.env.FERRETDB_BIN,
    logger: createLogger('warn'),
    dbName: 'kb_flood',
  });
  // 40 sign-ups from one address: the request-rate limits are not what this measures
  const server = await watchedServer(db.uri, { env: { RATE_LIMITS: 'off' } });
  let pairs: LivePair[] = [];
  let exitCode = 0;
  try {
    await server.start();
    console.log(`server log: ${server.logFile}`);
    console.log(`setting up ${PAIRS} live pairs and a hostile partner...`);
    pairs = await inBatches(Array.from({ length: PAIRS }), 5, async (_x, i) =>
      LivePair.open(server.url, await createPartners(server), `p${i}`),
    );
    const hostile: Partners = await createPartners(server);
    const hostileClient: DebriefClient = connectDebrief(server.url, hostile.a.cookieHeader, hostile.exchangeId);
    await hostileClient.synced();
    const hostileMarkId = addAnnotation(hostileClient.doc, hostile.a.user.id, upperTrapeziusPressure).id;
    const witness = connectDebrief(server.url, hostile.b.cookieHeader, hostile.exchangeId);
    await eventually(() => {
      if (!readAnnotation(witness.doc, hostileMarkId)) throw new Error("the hostile partner's mark did not sync");
    });
    witness.destroy();
    const base = Y.encodeStateAsUpdate(hostileClient.doc);
    hostileClient.destroy();

    let phase: Phase = 'warmup';
    let editing = true;
    const editRng = new Rng(SEED + 1);
    const editors = pairs.flatMap((pair) =>
      (['a', 'b'] as Side[]).map(async (side) => {
        const [lo, hi] = EDIT_EVERY_MS;
        await sleep(editRng.int(0, hi));
        while (editing) {
          pair.edit(side, phase);
          await sleep(lo + editRng.next() * (hi - lo));
        }
      }),
    );
    const died = server.exited().then((exit) => exit);
    const monitor = startHealthzMonitor(server.url, { intervalMs: 100 });
    const clientLag = monitorEventLoopDelay({ resolution: 10 });

    await sleep(WARMUP_MS);
    clientLag.enable();
    const windows: Record<Phase, number> = { warmup: WARMUP_MS, before: 0, during: 0, after: 0 };
    phase = 'before';
    console.log(`before: ${PHASE_MS / 1000} s of editing...`);
    await sleep(PHASE_MS);
    windows.before = PHASE_MS;

    phase = 'during';
    console.log(`during: the hostile partner tries to add ${mib(TARGET_BYTES)}...`);
    const attackStart = performance.now();
    const attempts: Attempt[] = [];
    let attempted = 0;
    let serverDied = false;
    void died.then((exit) => {
      if (exit) serverDied = true;
    });
    for (let n = 0; attempted < TARGET_BYTES && !serverDied; n++) {
      if (performance.now() - attackStart > ATTACK_MAX_MS) break;
      const strategy = STRATEGIES[n % STRATEGIES.length]!;
      const size = Math.min(rng.int(500_000, 1_000_000), TARGET_BYTES - attempted);
      const update = buildAttack(strategy, size, base, hostile.a.user.id, hostileMarkId, rng, n);
      const t = performance.now();
      const outcome = await sendAttack(server.url, hostile.a.cookieHeader, hostile.exchangeId, update);
      attempts.push({ strategy, bytes: update.length, outcome, ms: performance.now() - t });
      attempted += update.length;
    }
    const attackMs = performance.now() - attackStart;
    // at least a full phase of "during", so effects that trail the attempt (storing, compaction) count
    if (attackMs < PHASE_MS && !serverDied) await sleep(PHASE_MS - attackMs);
    windows.during = performance.now() - attackStart;

    phase = 'after';
    console.log(`after: ${PHASE_MS / 1000} s of editing...`);
    await sleep(PHASE_MS);
    windows.after = PHASE_MS;
    editing = false;
    await Promise.all(editors);
    clientLag.disable();
    await Promise.all(pairs.map((p) => p.drain(10_000)));
    const health = await monitor.stop();

    // the hostile debrief as a fresh device gets it
    let servedBytes = NaN;
    let servedNote = '';
    if (server.alive) {
      const fresh = connectDebrief(server.url, hostile.b.cookieHeader, hostile.exchangeId);
      const synced = await Promise.race([fresh.synced().then(() => true), sleep(30_000).then(() => false)]);
      if (synced) {
        servedBytes = Y.encodeStateAsUpdate(fresh.doc).length;
        servedNote = `${fresh.doc.share.size} top-level types`;
      } else servedNote = 'a fresh device did not sync within 30 s';
      fresh.destroy();
    }
    const divergent = pairs.filter((p) => p.divergence() !== null).length;
    const stats = {
      before: phaseStats(pairs, 'before'),
      during: phaseStats(pairs, 'during'),
      after: phaseStats(pairs, 'after'),
    };
    const rss = server.alive
      ? (((await (await fetch(`${server.url}/healthz`)).json()) as { rssMb?: number }).rssMb ?? NaN)
      : NaN;

    // stop the server (it flushes every document), then read the hostile debrief from the store
    for (const p of pairs) p.destroy();
    pairs = [];
    const stopT = performance.now();
    const stopCode = server.alive ? await server.stop('SIGTERM', 60_000) : null;
    const stopMs = performance.now() - stopT;
    let storedBytes = NaN;
    let storedNote = '';
    try {
      storedBytes = await storedSize(db.uri, hostile.exchangeId);
    } catch (err) {
      storedNote = `could not read it back: ${(err as Error).message.slice(0, 100)}`;
    }

    // ---- report
    const byStrategy = new Map<string, Map<string, { n: number; bytes: number }>>();
    for (const a of attempts) {
      const m = byStrategy.get(a.strategy) ?? new Map<string, { n: number; bytes: number }>();
      const entry = m.get(a.outcome) ?? { n: 0, bytes: 0 };
      entry.n++;
      entry.bytes += a.bytes;
      m.set(a.outcome, entry);
      byStrategy.set(a.strategy, m);
    }
    const acceptedBytes = attempts.filter((a) => a.outcome === 'accepted').reduce((s, a) => s + a.bytes, 0);
    console.log(
      `\nhostile partner: ${attempts.length} updates, ${mib(attempted)} sent in ${(attackMs / 1000).toFixed(1)} s`,
    );
    for (const [strategy, outcomes] of byStrategy) {
      for (const [outcome, { n, bytes }] of outcomes) {
        console.log(`  ${strategy.padEnd(14)} ${outcome.padEnd(44)} ×${String(n).padStart(3)}  ${mib(bytes)}`);
      }
    }
    const slowest = [...attempts].sort((a, b) => b.ms - a.ms)[0];
    if (slowest) console.log(`  slowest answer: ${slowest.ms.toFixed(0)} ms (${slowest.strategy}, ${slowest.outcome})`);
    console.log(
      `  hostile debrief served to a fresh device: ${Number.isNaN(servedBytes) ? '-' : mib(servedBytes)} (${servedNote})`,
    );
    console.log(
      `  hostile debrief read back from the store: ${Number.isNaN(storedBytes) ? storedNote : mib(storedBytes)}`,
    );

    console.log(`\nthe other ${PAIRS} pairs, edit-to-partner latency:`);
    console.log('  phase    window    edits   p50_ms   p99_ms    max_ms   lost');
    for (const ph of ['before', 'during', 'after'] as const) {
      const s = stats[ph];
      console.log(
        `  ${ph.padEnd(8)} ${(windows[ph] / 1000).toFixed(1).padStart(5)} s ${String(s.edits).padStart(7)} ${fmt(s.p50).padStart(8)} ${fmt(s.p99).padStart(8)} ${fmt(s.max).padStart(9)} ${String(s.lost).padStart(6)}`,
      );
    }
    console.log(
      `  pairs whose two devices differ at the end: ${divergent}; /healthz max ${fmt(health.maxMs)} ms (p99 ${fmt(health.p99Ms)} ms, unanswered ${health.failed}); server rss ${rss} MB; bench client event-loop delay p99 ${(clientLag.percentile(99) / 1e6).toFixed(1)} ms`,
    );
    console.log(
      `  server stop (flushing every document) took ${(stopMs / 1000).toFixed(1)} s, exit code ${stopCode ?? '-'}`,
    );
    for (const exit of server.exits) {
      exitCode = 1;
      console.log(`\nSERVER DIED: ${formatExit(exit)}\n  ${exit.tail.slice(-12).join('\n  ')}`);
    }
    const problems = server.problemLines.length;
    if (problems) {
      console.log(`\nserver log: ${problems} error/fatal lines (full log ${server.logFile}); the first ones:`);
      for (const line of server.problemLines.slice(0, 5)) console.log(`  ${line.slice(0, 300)}`);
    }
    const lostTotal = stats.before.lost + stats.during.lost + stats.after.lost;
    if (lostTotal > 0) exitCode = 1;
    console.log(
      `before_p99_ms=${fmt(stats.before.p99)} during_p99_ms=${fmt(stats.during.p99)} after_p99_ms=${fmt(stats.after.p99)} hostile_accepted_bytes=${acceptedBytes} hostile_doc_bytes=${Number.isNaN(storedBytes) ? (Number.isNaN(servedBytes) ? 'unknown' : servedBytes) : storedBytes}`,
    );
  } finally {
    for (const p of pairs) p.destroy();
    await server.stop('SIGTERM', 30_000);
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exitCode = exitCode;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    console.error('bench:flood failed:', err);
    process.exit(2);
  },
);
