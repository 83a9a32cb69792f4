// The embedded FerretDB after a crash: the next start must replace the copy left running,
// never run a second process over the same SQLite files, and keep the data.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { isFerretdb } from './connection.ts';
import { startEmbeddedFerretdb, type EmbeddedDatabase } from './embedded-ferretdb.ts';
import { PerUserCollections } from './per-user-collections.ts';

const logger = createLogger('silent');
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Pids of live FerretDB processes whose state dir is `stateDir` (zombies have no cmdline). */
function ferretdbPidsFor(stateDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue; // exited meanwhile
    }
    if (args[0]?.includes('ferretdb') && args.includes(`--state-dir=${stateDir}`)) pids.push(Number(entry));
  }
  return pids;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withConnection<T>(uri: string, fn: (c: mongoose.Connection) => Promise<T>): Promise<T> {
  const connection = await mongoose
    .createConnection(uri, { serverSelectionTimeoutMS: 5_000, retryWrites: false })
    .asPromise();
  try {
    return await fn(connection);
  } finally {
    await connection.close();
  }
}

describe.skipIf(process.platform !== 'linux')('embedded FerretDB', () => {
  it('replaces a copy left running by a crashed run and keeps its data', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-ferretdb-crash-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const stateDir = path.join(dataDir, 'ferretdb');
    const stateFile = path.join(stateDir, 'instance.json');

    const first: EmbeddedDatabase = await startEmbeddedFerretdb({ dataDir, binary: undefined, logger });
    const firstPid = (JSON.parse(readFileSync(stateFile, 'utf8')) as { pid: number }).pid;
    // until the second start has replaced it, the first is ours to stop
    let firstReplaced = false;
    cleanups.push(() => (firstReplaced ? undefined : first.stop()));
    expect(ferretdbPidsFor(stateDir)).toEqual([firstPid]);

    await withConnection(first.uri, (c) =>
      c.collection('crash_probe').insertMany([{ _id: 'a', n: 1 } as never, { _id: 'b', n: 2 } as never]),
    );

    // the "crash": the app is gone, its FerretDB is not; nothing is stopped or deleted
    const second = await startEmbeddedFerretdb({ dataDir, binary: undefined, logger });
    firstReplaced = true;
    cleanups.push(() => second.stop());
    const secondPid = (JSON.parse(readFileSync(stateFile, 'utf8')) as { pid: number }).pid;

    expect(secondPid).not.toBe(firstPid);
    expect(isAlive(firstPid)).toBe(false);
    expect(ferretdbPidsFor(stateDir)).toEqual([secondPid]);

    const docs = await withConnection(second.uri, (c) =>
      c
        .collection('crash_probe')
        .find({}, { sort: { _id: 1 } })
        .toArray(),
    );
    expect(docs).toEqual([
      { _id: 'a', n: 1 },
      { _id: 'b', n: 2 },
    ]);

    await second.stop();
    expect(isAlive(secondPid)).toBe(false);
    expect(ferretdbPidsFor(stateDir)).toEqual([]);
  });

  it('runs every thread of the database below the app, even those started under load', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-ferretdb-nice-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const db = await startEmbeddedFerretdb({ dataDir, binary: undefined, logger });
    cleanups.push(() => db.stop());
    // work makes the Go runtime start more threads: they inherit the priority too
    await withConnection(db.uri, (c) =>
      Promise.all([...Array(20).keys()].map((i) => c.collection(`nice_probe_${i % 4}`).insertOne({ i }))),
    );
    const niceOf = (thread: string) => {
      const stat = readFileSync(`/proc/${db.pid}/task/${thread}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]); // field 19 of stat(5)
    };
    const threads = readdirSync(`/proc/${db.pid}/task`);
    expect(threads.length).toBeGreaterThan(1);
    expect(threads.map(niceOf)).toEqual(threads.map(() => 10));
  });

  it('is known as FerretDB, so per-user collections ask for no index there', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-ferretdb-indexes-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const db = await startEmbeddedFerretdb({ dataDir, binary: undefined, logger });
    cleanups.push(() => db.stop());
    await withConnection(db.uri, async (c) => {
      expect(await isFerretdb(c)).toBe(true);
      const perUser = new PerUserCollections<{ at: Date }>(c, 'index_probe', [{ at: -1 }]);
      const userId = 'a'.repeat(24);
      await perUser.ensureIndexes(userId);
      await perUser.of(userId).insertOne({ at: new Date() });
      expect((await perUser.of(userId).indexes()).map((i) => i.name)).toEqual(['_id_']);
    });
  });
});
