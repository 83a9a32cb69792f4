// pnpm bench:forwarding — what one judge per debrief costs a client of a process that does not
// write the debrief: its change goes to the writer through Redis, is judged there and comes back
// through the fan-out before its partner on the same process sees it (two Redis hops more than a
// change judged where it arrives). Two processes share the database and Redis; every debrief is
// held open on process 1 (its writer) by a third device; then the same load runs with both
// partners of each pair on process 2 (forwarded) and with both on process 1 (judged locally).
// BENCH_PAIRS (default 50), BENCH_SECONDS (default 10); Redis at REDIS_URL (default local).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedFerretdb } from '../../server/src/db/embedded-ferretdb.ts';
import { createLogger } from '../../server/src/logger.ts';
import { connectDebriefFrom, loopbackAddress } from '../helpers/collab-client-from.ts';
import type { DebriefClient } from '../helpers/collab-client.ts';
import { REDIS_URL, requireRedis } from '../helpers/redis.ts';
import { serverProcess } from '../helpers/server-process.ts';
import { FAST_PACE, describePace, inBatches, openCollabLoad, partnerSeats, type Seat } from './collab-load.ts';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 50);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const load = () => os.loadavg()[0]!.toFixed(2);

async function measure(url: string, seats: Seat[]) {
  const pairs = await openCollabLoad({ url }, { pairs: seats.length, seats, log: () => undefined });
  try {
    return await pairs.run({ seconds: SECONDS, pace: FAST_PACE, sample: async () => ({ rssMb: 0 }) });
  } finally {
    pairs.close();
  }
}

await (await requireRedis()).close();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-bench-forwarding-'));
const db = await startEmbeddedFerretdb({ dataDir, binary: process.env.FERRETDB_BIN, logger: createLogger('warn') });
const env = { RATE_LIMITS: 'off', SESSION_SECRET: randomBytes(32).toString('hex'), REDIS_URL };
const [writer, other] = await Promise.all([0, 1].map(() => serverProcess(db.uri, env, { compiled: true })));
const holders: DebriefClient[] = [];
try {
  await Promise.all([writer!.start(), other!.start()]);
  console.log(
    `${PAIRS} pairs, both partners of a pair on one process, ${describePace(FAST_PACE)}, ${SECONDS} s per run; ` +
      `${os.cpus().length} cores, load average ${load()}; Redis ${REDIS_URL}`,
  );
  const seats = await partnerSeats(writer!, PAIRS * 2);
  // a third device on process 1 opens every debrief first: process 1 writes (and judges) them all
  await inBatches([...seats.entries()], 25, async ([i, seat]) => {
    const holder = connectDebriefFrom(loopbackAddress(1000 + i), writer!.url, seat.a.cookieHeader, seat.exchangeId);
    holders.push(holder);
    await holder.synced();
  });
  const forwarded = await measure(other!.url, seats.slice(0, PAIRS));
  const forwardedLoad = load();
  const local = await measure(writer!.url, seats.slice(PAIRS));
  for (const [name, r, at] of [
    ['forwarded', forwarded, forwardedLoad],
    ['at writer', local, load()],
  ] as const) {
    console.log(
      `  ${name}  partner saw the edit after p50 ${fmt(r.p50Ms)} / p99 ${fmt(r.p99Ms)} ms over ${r.measured} edits ` +
        `(${r.unmatched} unseen); bench client event-loop delay p99 ${fmt(r.clientLagP99Ms)} ms; load average ${at}`,
    );
  }
  console.log(
    `forwarding_extra_p50_ms=${fmt(forwarded.p50Ms - local.p50Ms)} forwarded_p50_ms=${fmt(forwarded.p50Ms)} ` +
      `forwarded_p99_ms=${fmt(forwarded.p99Ms)} local_p50_ms=${fmt(local.p50Ms)} local_p99_ms=${fmt(local.p99Ms)}`,
  );
} finally {
  for (const h of holders) h.destroy();
  await Promise.all([writer!.kill('SIGTERM'), other!.kill('SIGTERM')]);
  await db.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
