// pnpm bench:aged [pairs] — does cost grow with age? Ages an embedded FerretDB/SQLite database
// (aged-history.ts: 10,000 debriefs, 1,000,000 stored updates over months of simulated time,
// with their snapshots, window drops, projection, notifications and sign-in sessions), seeds a
// fresh one with only the debriefs the cold join opens, then runs the same things against each
// through the real server (its own process, RATE_LIMITS=off): N clients joining stored debriefs
// at once (cold join, until all synced) and the standard collab load (collab-load.ts, as
// bench:collab). Times the queries a join and an edit make on both databases, and compares the
// bytes stored per debrief with its encoded state. Not a test: figures depend on the machine.
// Each database is opened once by the real server before it is measured (its one-time moves run
// then, as they would have when it was upgraded), so the measures see the shapes it serves from.
// AGED_DIR=<dir> keeps the aged database there and reuses it on later runs (`aging.json` beside it
// holds what aging returned and the session secret its cookies are signed with): aging at full
// size takes minutes and a shared machine should do it once.
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { COMPACT_EVERY } from '../../server/src/collab/hub.ts';
import { snapshotCollectionName } from '../../server/src/collab/mongo-doc-store.ts';
import { authModels, type SessionRecord } from '../../server/src/features/auth/model.ts';
import { startEmbeddedFerretdb, type EmbeddedDatabase } from '../../server/src/db/embedded-ferretdb.ts';
import { bucketOf } from '../../server/src/db/hash-buckets.ts';
import { createLogger } from '../../server/src/logger.ts';
import { connectDebriefFrom, loopbackAddress } from '../helpers/collab-client-from.ts';
import { eventually } from '../helpers/eventually.ts';
import { serverProcess, type ServerProcess } from '../helpers/server-process.ts';
import { ageDatabase, type AgingOptions, type AgingResult, type StoredDebrief } from './aged-history.ts';
import { runCollabLoad, sleep, timeJoins, type CollabLoadResult } from './collab-load.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const DEBRIEFS = env('AGED_DEBRIEFS', 10_000);
const UPDATES = env('AGED_UPDATES', 1_000_000);
const USERS = env('AGED_USERS', Math.max(20, Math.round(DEBRIEFS / 5)));
const SESSIONS_PER_USER = env('AGED_SESSIONS_PER_USER', 12);
const DAYS = env('AGED_DAYS', 120);
const COLD_CLIENTS = env('AGED_COLD_JOIN_CLIENTS', 200);
const PAIRS = Number(process.argv[2] ?? process.env.BENCH_PAIRS ?? 50);
const SECONDS = env('BENCH_SECONDS', 20);
const SEED = env('AGED_SEED', 13);
const COLD_JOIN_TIMEOUT_MS = 180_000;
const AGED_DIR = process.env.AGED_DIR;

interface Measured {
  startS: number;
  cold: { seconds: number; p50Ms: number; p99Ms: number; failed: number; empty: number };
  load: CollabLoadResult;
}

interface Database {
  name: 'aged' | 'fresh';
  dataDir: string;
  /** Kept after the run (AGED_DIR). */
  kept: boolean;
  db: EmbeddedDatabase;
  aging: AgingResult;
}

/** What aging left in AGED_DIR for later runs. */
interface KeptAging {
  secret: string;
  opts: Omit<AgingOptions, 'log' | 'sessionSecret'>;
  aging: AgingResult;
}
const keptAgingFile = (dir: string) => path.join(dir, 'aging.json');

function readKeptAging(): KeptAging | null {
  if (!AGED_DIR || !existsSync(keptAgingFile(AGED_DIR))) return null;
  return JSON.parse(readFileSync(keptAgingFile(AGED_DIR), 'utf8')) as KeptAging;
}

const log = (line: string) => console.log(line);

async function openDatabase(name: Database['name'], opts: AgingOptions): Promise<Database> {
  const kept = name === 'aged' && AGED_DIR !== undefined;
  const dataDir = kept ? AGED_DIR : mkdtempSync(path.join(os.tmpdir(), `kb-bench-${name}-`));
  mkdirSync(dataDir, { recursive: true });
  const db = await startEmbeddedFerretdb({
    dataDir,
    binary: process.env.FERRETDB_BIN,
    logger: createLogger('warn'),
    dbName: 'kb_bench',
  });
  const reused = kept ? readKeptAging() : null;
  if (reused) {
    log(
      `${name}: reusing ${dataDir} (aged in ${reused.aging.seconds.toFixed(0)}s with ${JSON.stringify(reused.opts)})`,
    );
    return { name, dataDir, kept, db, aging: reused.aging };
  }
  log(`${name}: writing ${opts.debriefs} debriefs, ${opts.updates} updates over ${opts.days} days...`);
  const aging = await ageDatabase(db.uri, opts).catch(async (err: unknown) => {
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  });
  log(
    `${name}: ${aging.debriefs} debriefs, ${aging.storedUpdates} updates in ${aging.windowsWritten} windows, ` +
      `${aging.compactions} snapshots, ${aging.critiques} critiques, ${aging.notifications} notifications, ` +
      `${aging.sessions} sessions in ${aging.seconds.toFixed(0)}s`,
  );
  const started = performance.now();
  const server = await serverProcess(
    db.uri,
    { SESSION_SECRET: opts.sessionSecret, RATE_LIMITS: 'off' },
    { compiled: true },
  );
  // its one-time moves over months of rows can take longer than start() waits
  await server.start().catch(() =>
    eventually(
      async () => {
        if ((await fetch(`${server.url}/healthz`)).status !== 200) throw new Error('not healthy yet');
      },
      { timeout: 900_000, interval: 1_000 },
    ),
  );
  // and the moves it runs in the background, so that the measured start does not
  await eventually(
    async () => {
      const { backgroundWork } = (await (await fetch(`${server.url}/healthz`)).json()) as { backgroundWork: string[] };
      if (backgroundWork.length > 0) throw new Error(`still running: ${backgroundWork.join(', ')}`);
    },
    { timeout: 900_000, interval: 1_000 },
  );
  await stopServer(server);
  log(
    `${name}: first start of the server (one-time moves) and stop: ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
  if (kept) {
    const { log: _, sessionSecret, ...rest } = opts;
    const keptAging: KeptAging = { secret: sessionSecret, opts: rest, aging };
    writeFileSync(keptAgingFile(dataDir), JSON.stringify(keptAging));
  }
  return { name, dataDir, kept, db, aging };
}

async function stopServer(server: ServerProcess): Promise<void> {
  const stopped = server.kill('SIGTERM');
  const timedOut = await Promise.race([stopped.then(() => false), sleep(30_000).then(() => true)]);
  if (timedOut) {
    log('  the server did not stop within 30 s of SIGTERM; killed');
    await server.kill('SIGKILL');
  }
}

/** Both partners of every target debrief connect at once; resolves when all are synced. */
async function coldJoin(url: string, targets: StoredDebrief[]): Promise<Measured['cold']> {
  const t0 = performance.now();
  const clients = targets.flatMap((t, i) => [
    connectDebriefFrom(loopbackAddress(i), url, t.cookieA, t.id),
    connectDebriefFrom(loopbackAddress(i), url, t.cookieB, t.id),
  ]);
  const { seconds, p50Ms, p99Ms, failed, empty, closes } = await timeJoins(clients, t0, COLD_JOIN_TIMEOUT_MS);
  if (closes.length > 0)
    log(`  cold join: ${closes.length} closes, e.g. ${[...new Set(closes)].slice(0, 3).join('; ')}`);
  return { seconds, p50Ms, p99Ms, failed, empty };
}

async function measure(d: Database, secret: string): Promise<Measured> {
  const server = await serverProcess(d.db.uri, { SESSION_SECRET: secret, RATE_LIMITS: 'off' }, { compiled: true });
  const t0 = performance.now();
  await server.start();
  const startS = (performance.now() - t0) / 1000;
  try {
    log(`${d.name}: cold join, ${d.aging.targets.length * 2} clients on ${d.aging.targets.length} stored debriefs...`);
    const cold = await coldJoin(server.url, d.aging.targets);
    log(
      `  all synced in ${cold.seconds.toFixed(2)} s (per client p50 ${cold.p50Ms.toFixed(0)} ms, p99 ${cold.p99Ms.toFixed(0)} ms, ${cold.failed} not synced)`,
    );
    await sleep(7_000); // their rooms unload (5 s after the last client left) before the load starts
    log(`${d.name}: standard collab load`);
    const load = await runCollabLoad(server, { pairs: PAIRS, seconds: SECONDS, log: (l) => log(`  ${l}`) });
    log(`  edit-to-partner p50 ${load.p50Ms.toFixed(2)} ms, p99 ${load.p99Ms.toFixed(2)} ms`);
    return { startS, cold, load };
  } finally {
    await stopServer(server);
  }
}

/** What one join and one first edit ask of the database, timed directly (server stopped). */
async function probe(d: Database): Promise<Map<string, number>> {
  const connection = await mongoose.createConnection(d.db.uri).asPromise();
  const db = connection.db!;
  const out = new Map<string, number>();
  const time = async (name: string, runs: number, fn: (i: number) => Promise<unknown>) => {
    await fn(0);
    const t = performance.now();
    for (let i = 1; i <= runs; i++) await fn(i);
    out.set(name, (performance.now() - t) / runs);
  };
  try {
    const target = d.aging.targets[0]!;
    const sessions = authModels(connection).sessions;
    let session: SessionRecord | null = null;
    for (const bucket of sessions.all()) if ((session ??= await bucket.findOne({}))) break;
    const exchange = await db.collection('exchanges').findOne({ _id: new mongoose.Types.ObjectId(target.id) });
    const userId = exchange!.partnerA as mongoose.Types.ObjectId;
    await time('auth: sessions_xx.findById', 20, () => sessions.of(session!._id).findOne({ _id: session!._id }));
    await time('auth: sessions_xx.findById of no session', 20, (i) =>
      sessions.of(`none-${i}`).findOne({ _id: `none-${i}` }),
    );
    await time('auth: users.findById', 20, () => db.collection('users').findOne({ _id: userId }));
    await time('authorize: exchanges.findById', 20, () =>
      db.collection('exchanges').findOne({ _id: new mongoose.Types.ObjectId(target.id) }),
    );
    const snapshotsOf = (id: string) => db.collection<{ _id: string }>(snapshotCollectionName(id));
    await time('load: yjs_snapshots_xx.findById', 20, () => snapshotsOf(target.id).findOne({ _id: target.id }));
    const projectionStates = db.collection<{ _id: string }>(`critique_projections_${bucketOf(target.id)}`);
    await time('project: critique_projections_xx.findById', 20, () => projectionStates.findOne({ _id: target.id }));
    await time('join notice: notifications.countDocuments', 3, () =>
      db.collection('notifications').countDocuments({ userId, readAt: null }),
    );
    const targetId = (i: number) => d.aging.targets[i % d.aging.targets.length]!.id;
    await time('first edit: yjs_snapshots_xx mark open', 20, (i) =>
      snapshotsOf(targetId(i)).updateOne({ _id: targetId(i) }, { $set: { at: new Date() } }),
    );
    // FerretDB v1/SQLite reads by _id through an index, but a write that changes a document
    // costs a pass over its whole collection: these grow with the collection, not with the change
    await time('compaction: yjs_snapshots_xx state write', 3, (i) =>
      snapshotsOf(targetId(i)).updateOne({ _id: targetId(i) }, { $set: { upToSeq: 1e6 + i } }),
    );
    const review = db.collection<{ _id: string }>(`review_${userId.toHexString()}`);
    const critique = await review.findOne({});
    await time('project: review_<user> replaceOne', 3, (i) =>
      review.replaceOne({ _id: critique!._id }, { ...critique!, text: `probe ${i}` }, { upsert: true }),
    );
    await time('project: critique_projections_xx write', 3, (i) =>
      projectionStates.updateOne({ _id: target.id }, { $set: { probe: i } }, { upsert: true }),
    );
    const versionId = userId.toHexString();
    await time('project: review_versions_xx token write', 3, (i) =>
      db
        .collection<{ _id: string }>(`review_versions_${bucketOf(versionId)}`)
        .updateOne({ _id: versionId }, { $set: { v: `probe ${i}` } }, { upsert: true }),
    );
    const probeWindow = db.collection<{ _id: string }>('yjs_log_probe');
    await time('edit: insertMany 20 into a window', 20, (i) =>
      probeWindow.insertMany(
        Array.from({ length: 20 }, (_, j) => ({ _id: `p:${i}:${j}`, docId: 'p', seq: j, update: Buffer.alloc(60) })),
      ),
    );
    await probeWindow.drop();
    const stats = (name: string) =>
      db.command({ collStats: name }).then(
        (s) => ({ count: Number(s.count ?? 0), size: Number(s.size ?? 0), storage: Number(s.storageSize ?? 0) }),
        () => ({ count: 0, size: 0, storage: 0 }),
      );
    const snapshots = { count: 0, size: 0, storage: 0 };
    let logBytes = 0;
    for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) {
      if (c.name.startsWith('yjs_log_')) logBytes += (await stats(c.name)).storage;
      if (!c.name.startsWith('yjs_snapshots')) continue; // the buckets, and a legacy yjs_snapshots
      const s = await stats(c.name);
      snapshots.count += s.count;
      snapshots.size += s.size;
      snapshots.storage += s.storage;
    }
    out.set('snapshot count', snapshots.count);
    out.set('snapshot bytes', snapshots.size);
    out.set('snapshot storage bytes', snapshots.storage);
    out.set('log storage bytes', logBytes);
  } finally {
    await connection.close();
  }
  return out;
}

function sqliteMb(dataDir: string): number {
  const dir = path.join(dataDir, 'ferretdb', 'sqlite');
  let bytes = 0;
  for (const f of readdirSync(dir)) bytes += statSync(path.join(dir, f)).size;
  return bytes / 2 ** 20;
}

async function main(): Promise<void> {
  const started = performance.now();
  const secret = readKeptAging()?.secret ?? randomBytes(32).toString('hex');
  const targets = COLD_CLIENTS / 2;
  const base: Omit<AgingOptions, 'debriefs' | 'updates' | 'users' | 'sessionsPerUser' | 'days'> = {
    marks: [5, 40],
    batchMax: 20_000,
    compactEvery: COMPACT_EVERY,
    sessionSecret: secret,
    targets,
    seed: SEED,
    log,
  };
  const dbs: Database[] = [];
  try {
    dbs.push(
      await openDatabase('aged', {
        ...base,
        debriefs: DEBRIEFS,
        updates: UPDATES,
        users: USERS,
        sessionsPerUser: SESSIONS_PER_USER,
        days: DAYS,
      }),
    );
    // fresh: only the debriefs the cold join opens, with as many updates each, and their partners
    dbs.push(
      await openDatabase('fresh', {
        ...base,
        debriefs: targets,
        updates: Math.round((UPDATES / DEBRIEFS) * targets),
        users: Math.max(4, Math.round(targets / 5)),
        sessionsPerUser: 1,
        days: 1,
      }),
    );
    const [aged, fresh] = dbs as [Database, Database];
    // fresh first, aged right after: the machine's other load is as alike as it gets
    const f = await measure(fresh, secret);
    const a = await measure(aged, secret);
    const [pa, pf] = [await probe(aged), await probe(fresh)];

    const row = (label: string, x: string | number, y: string | number) =>
      log(`${label.padEnd(44)} ${String(x).padStart(12)} ${String(y).padStart(12)}`);
    const ms = (n: number) => n.toFixed(2);
    log('');
    row('', 'aged', 'fresh');
    row(
      'debriefs / stored updates',
      `${aged.aging.debriefs}/${aged.aging.storedUpdates}`,
      `${fresh.aging.debriefs}/${fresh.aging.storedUpdates}`,
    );
    row('server start to /healthz (s)', a.startS.toFixed(2), f.startS.toFixed(2));
    row(`cold join, ${targets * 2} clients: all synced (s)`, a.cold.seconds.toFixed(2), f.cold.seconds.toFixed(2));
    row(
      'cold join per client p50 / p99 (ms)',
      `${a.cold.p50Ms.toFixed(0)}/${a.cold.p99Ms.toFixed(0)}`,
      `${f.cold.p50Ms.toFixed(0)}/${f.cold.p99Ms.toFixed(0)}`,
    );
    row('cold join not synced / synced empty', `${a.cold.failed}/${a.cold.empty}`, `${f.cold.failed}/${f.cold.empty}`);
    row(`collab load ${PAIRS} pairs: edits measured`, a.load.measured, f.load.measured);
    row('edit-to-partner p50 (ms)', ms(a.load.p50Ms), ms(f.load.p50Ms));
    row('edit-to-partner p99 (ms)', ms(a.load.p99Ms), ms(f.load.p99Ms));
    row('edit-to-partner max (ms)', ms(a.load.maxMs), ms(f.load.maxMs));
    row('persisted updates/s', a.load.persistedPerS.toFixed(1), f.load.persistedPerS.toFixed(1));
    row('server peak rss (MB)', a.load.peakRssMb, f.load.peakRssMb);
    row('bench client event-loop p99 (ms)', a.load.clientLagP99Ms.toFixed(1), f.load.clientLagP99Ms.toFixed(1));
    log('per query, database alone (ms):');
    for (const [name, v] of pa) {
      if (name.includes('bytes') || name.includes('count')) continue;
      row(`  ${name}`, ms(v), ms(pf.get(name) ?? NaN));
    }
    const dbMb = sqliteMb(aged.dataDir);
    const snapshotsPerDebrief =
      (pa.get('snapshot storage bytes')! + pa.get('log storage bytes')!) / aged.aging.debriefs;
    log(
      `stored per debrief (aged): snapshot + log storage ${(snapshotsPerDebrief / 1024).toFixed(1)} KiB ` +
        `(${(pa.get('snapshot bytes')! / aged.aging.debriefs / 1024).toFixed(1)} KiB of documents), ` +
        `encoded state after compaction ${(aged.aging.meanStateBytes / 1024).toFixed(1)} KiB: ` +
        `${(snapshotsPerDebrief / aged.aging.meanStateBytes).toFixed(2)}x; ` +
        `whole database ${((dbMb * 2 ** 20) / aged.aging.debriefs / 1024).toFixed(1)} KiB per debrief ` +
        `(${((dbMb * 2 ** 20) / aged.aging.debriefs / aged.aging.meanStateBytes).toFixed(2)}x, with sessions, Review, notifications)`,
    );
    log(
      `fresh database ${sqliteMb(fresh.dataDir).toFixed(1)} MB; run took ${((performance.now() - started) / 60_000).toFixed(1)} min`,
    );
    log(
      `aged_p99_ms=${ms(a.load.p99Ms)} fresh_p99_ms=${ms(f.load.p99Ms)} aged_cold_join_s=${a.cold.seconds.toFixed(2)} ` +
        `fresh_cold_join_s=${f.cold.seconds.toFixed(2)} db_mb=${dbMb.toFixed(1)}`,
    );
  } finally {
    for (const d of dbs) {
      await d.db.stop();
      if (!d.kept && !process.env.AGED_KEEP) rmSync(d.dataDir, { recursive: true, force: true });
      else log(`kept ${d.dataDir}`);
    }
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
