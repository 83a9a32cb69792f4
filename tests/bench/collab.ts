// pnpm bench:collab [pairs] — N partner pairs editing debriefs over real sockets against the real
// server (its own process) and a real FerretDB. Prints edit-to-partner latency, stored updates
// per second and server memory. Not part of the tests: figures depend on the machine.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedFerretdb } from '../../server/src/db/embedded-ferretdb.ts';
import { createLogger } from '../../server/src/logger.ts';
import { serverProcess } from '../helpers/server-process.ts';
import { runCollabLoad } from './collab-load.ts';

const PAIRS = Number(process.argv[2] ?? process.env.BENCH_PAIRS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);

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
    const r = await runCollabLoad(server, { pairs: PAIRS, seconds: SECONDS });
    console.log(
      `edits measured: ${r.measured}, superseded by a concurrent edit or still in flight: ${r.unmatched}, max ${r.maxMs.toFixed(1)} ms`,
    );
    console.log(`server: ${JSON.stringify(r.serverCollab)}, peak rss ${r.peakRssMb} MB`);
    console.log(
      `bench client event-loop delay: p50 ${r.clientLagP50Ms.toFixed(1)} ms, p99 ${r.clientLagP99Ms.toFixed(1)} ms`,
    );
    console.log(
      `pairs=${PAIRS} p50_ms=${r.p50Ms.toFixed(2)} p99_ms=${r.p99Ms.toFixed(2)} persisted_per_s=${r.persistedPerS.toFixed(1)} rss_mb=${r.peakRssMb}`,
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
