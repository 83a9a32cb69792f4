// pnpm bench:snapshots — does a snapshot write grow with the number of stored snapshots? Fills an
// embedded FerretDB/SQLite with N snapshots of ~30 KB through the real document store (one per
// debrief, spread over its 256 `yjs_snapshots_xx` collections) and times, at each N, a
// compaction (store.compact) and the first append after a load (store.appendMany, which marks the
// document open first). As the baseline, the same N snapshots in one `yjs_snapshots` collection
// (the shape before the buckets, in a database of its own on the same FerretDB) and the same two
// writes as direct updateOne calls by _id: a compaction's $set of state/upToSeq/open/at, and a
// first append's mark-open $set followed by the log insertMany. Sizes: SNAPSHOT_SIZES
// (default 1000,5000,10000), SNAPSHOT_BYTES (30000), SNAPSHOT_SAMPLES (20 timed writes of each
// kind per size). Not a test: figures depend on the machine.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { LOG_WINDOW_MS, mongoDocStore } from '../../server/src/collab/mongo-doc-store.ts';
import { startEmbeddedFerretdb } from '../../server/src/db/embedded-ferretdb.ts';
import { createLogger } from '../../server/src/logger.ts';

const SIZES = (process.env.SNAPSHOT_SIZES ?? '1000,5000,10000').split(',').map(Number);
const BYTES = Number(process.env.SNAPSHOT_BYTES ?? 30_000);
const SAMPLES = Number(process.env.SNAPSHOT_SAMPLES ?? 20);
const FILL_CONCURRENCY = 8;

interface Row {
  _id: string;
  state: Buffer | null;
  upToSeq: number;
  open: boolean;
  at: Date;
}

interface Figures {
  compactMs: number[];
  firstAppendMs: number[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const docId = (i: number) => `debrief-${String(i).padStart(6, '0')}`;
const state = () => randomBytes(BYTES);

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** `count` ids spread over the first `filled`, different for each round so no row is written twice. */
function sampleIds(filled: number, count: number, round: number): string[] {
  const step = Math.floor(filled / count);
  return Array.from({ length: count }, (_, k) => docId(k * step + (round % Math.max(1, step))));
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-bench-snapshots-'));
  const db = await startEmbeddedFerretdb({
    dataDir,
    binary: process.env.FERRETDB_BIN,
    logger: createLogger('warn'),
    dbName: 'kb_snap_bucketed',
  });
  const connection = await mongoose.createConnection(db.uri, { retryWrites: false }).asPromise();
  const legacyDb = connection.useDb('kb_snap_legacy');
  const legacy = legacyDb.collection<Row>('yjs_snapshots');
  const legacyLog = legacyDb.collection(`yjs_log_${Math.floor(Date.now() / LOG_WINDOW_MS)}`);
  const store = mongoDocStore(connection);
  const rows: { n: number; bucketed: Figures; legacy: Figures; fillS: number }[] = [];
  let filled = 0;
  let seq = 10; // every timed write uses a new seq: each one really changes its row
  const update = new Uint8Array(60);
  try {
    for (const [round, n] of SIZES.entries()) {
      const fillStart = performance.now();
      for (let from = filled; from < n; from += 100) {
        const ids = Array.from({ length: Math.min(100, n - from) }, (_, k) => docId(from + k));
        for (let k = 0; k < ids.length; k += FILL_CONCURRENCY)
          await Promise.all(ids.slice(k, k + FILL_CONCURRENCY).map((id) => store.compact(id, state(), 1, true)));
        await legacy.insertMany(ids.map((_id) => ({ _id, state: state(), upToSeq: 1, open: false, at: new Date() })));
      }
      filled = n;
      const fillS = (performance.now() - fillStart) / 1000;
      console.log(`filled ${n} snapshots of ${BYTES} bytes in each layout (${fillS.toFixed(1)} s)`);

      const bucketed: Figures = { compactMs: [], firstAppendMs: [] };
      const old: Figures = { compactMs: [], firstAppendMs: [] };
      const [compacted, appended] = [sampleIds(n, SAMPLES, 2 * round), sampleIds(n, SAMPLES, 2 * round + 1)];
      for (const id of compacted) {
        seq++;
        bucketed.compactMs.push(await timed(() => store.compact(id, state(), seq, false)));
        old.compactMs.push(
          await timed(() =>
            legacy.updateOne({ _id: id }, { $set: { state: state(), upToSeq: seq, open: true, at: new Date() } }),
          ),
        );
      }
      for (const id of appended) {
        const { lastSeq } = await store.load(id);
        bucketed.firstAppendMs.push(await timed(() => store.appendMany([{ docId: id, seq: lastSeq + 1, update }])));
        old.firstAppendMs.push(
          await timed(async () => {
            await legacy.updateOne({ _id: id }, { $set: { open: true, at: new Date() } });
            await legacyLog.insertMany([
              { _id: `${id}:${lastSeq + 1}` as never, docId: id, seq: lastSeq + 1, update: Buffer.from(update) },
            ]);
          }),
        );
      }
      rows.push({ n, bucketed, legacy: old, fillS });
    }
  } finally {
    await connection.close();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const cell = (xs: number[]) => `${median(xs).toFixed(1)} / ${p95(xs).toFixed(1)}`.padStart(15);
  console.log(`\nms per write, median / p95 of ${SAMPLES} (legacy = one yjs_snapshots collection, direct updateOne)`);
  console.log(
    `${'snapshots'.padStart(9)} ${'legacy compact'.padStart(15)} ${'bucket compact'.padStart(15)} ` +
      `${'legacy 1st app.'.padStart(15)} ${'bucket 1st app.'.padStart(15)}`,
  );
  for (const r of rows)
    console.log(
      `${String(r.n).padStart(9)} ${cell(r.legacy.compactMs)} ${cell(r.bucketed.compactMs)} ` +
        `${cell(r.legacy.firstAppendMs)} ${cell(r.bucketed.firstAppendMs)}`,
    );
  const last = rows.at(-1)!;
  console.log(
    `legacy: snapshots=${last.n} compact_ms=${median(last.legacy.compactMs).toFixed(1)} ` +
      `first_append_ms=${median(last.legacy.firstAppendMs).toFixed(1)}`,
  );
  console.log(
    `snapshots=${last.n} compact_ms=${median(last.bucketed.compactMs).toFixed(1)} ` +
      `first_append_ms=${median(last.bucketed.firstAppendMs).toFixed(1)}`,
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
