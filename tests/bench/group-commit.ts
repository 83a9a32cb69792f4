// pnpm bench:group-commit — what the group-commit window saves the database: the same stream of
// appends (500 debriefs, 2,000 updates/s of ~60 bytes, as bench:collab's 500 pairs at 2 edits/s
// per client) through the real UpdateWriter and document store into an embedded FerretDB/SQLite,
// once per window. Prints, per window, the inserts sent, FerretDB's CPU seconds per 1,000 stored
// updates (from /proc, so the figure holds on a busy machine better than any time does) and the
// arrival-to-stored p50/p99. GROUP_COMMIT_WINDOWS (default 0,25) in ms, GROUP_COMMIT_SECONDS (10).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DocStore } from '../../server/src/collab/doc-store.ts';
import { mongoDocStore } from '../../server/src/collab/mongo-doc-store.ts';
import { UpdateWriter } from '../../server/src/collab/update-writer.ts';
import { connectDatabase } from '../../server/src/db/connection.ts';
import { startEmbeddedFerretdb } from '../../server/src/db/embedded-ferretdb.ts';
import { createLogger } from '../../server/src/logger.ts';
import { runBench } from './bench-run.ts';
import { cpuSeconds } from './cpu-meter.ts';

const WINDOWS = (process.env.GROUP_COMMIT_WINDOWS ?? '0,25').split(',').map(Number);
const SECONDS = Number(process.env.GROUP_COMMIT_SECONDS ?? 10);
const DOCS = 500;
const PER_S = 2_000;
const TICK_MS = 5;

/** Counts the store's insert calls. */
function counted(store: DocStore): { store: DocStore; inserts: () => number } {
  let inserts = 0;
  return {
    store: {
      ...store,
      appendMany: (updates) => {
        inserts++;
        return store.appendMany(updates);
      },
    },
    inserts: () => inserts,
  };
}

runBench(async () => {
  const logger = createLogger('warn');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-bench-commit-'));
  const db = await startEmbeddedFerretdb({ dataDir, binary: process.env.FERRETDB_BIN, logger });
  const connection = await connectDatabase(db.uri, logger);
  const seqs = new Map<string, number>();
  const update = new Uint8Array(60).fill(7);
  try {
    console.log(
      `${DOCS} documents, ${PER_S} appends/s for ${SECONDS} s per window; ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(2)}`,
    );
    for (const windowMs of WINDOWS) {
      const { store, inserts } = counted(mongoDocStore(connection));
      const writer = new UpdateWriter(store, logger, { windowMs });
      const cpu0 = cpuSeconds(db.pid);
      const writes: Promise<void>[] = [];
      let doc = 0;
      const t0 = performance.now();
      let sent = 0;
      await new Promise<void>((resolve) => {
        const tick = setInterval(() => {
          const due = Math.min(PER_S * SECONDS, Math.floor(((performance.now() - t0) / 1000) * PER_S));
          for (; sent < due; sent++) {
            const docId = `doc-${doc++ % DOCS}`;
            const seq = (seqs.get(docId) ?? 0) + 1;
            seqs.set(docId, seq);
            writes.push(writer.write({ docId, seq, update }));
          }
          if (sent >= PER_S * SECONDS) {
            clearInterval(tick);
            resolve();
          }
        }, TICK_MS);
      });
      await Promise.all(writes);
      const ferretdbS = cpuSeconds(db.pid) - cpu0;
      const { p50, p99 } = writer.durableLatency();
      console.log(
        `window_ms=${windowMs} inserts=${inserts()} updates_per_insert=${(sent / inserts()).toFixed(1)} ` +
          `ferretdb_cpu_s_per_1000=${((ferretdbS / sent) * 1000).toFixed(3)} durable_p50_ms=${p50} durable_p99_ms=${p99} ` +
          `load1=${os.loadavg()[0]!.toFixed(2)}`,
      );
    }
  } finally {
    await connection.close();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
