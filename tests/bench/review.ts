// pnpm bench:review — seeds 100,000 critiques across 2,000 debriefs into a real FerretDB (the
// records the projector writes: the critiques collection and each therapist's Review
// collection) and times typical Review queries through the real server (HTTP on loopback, so
// the figures are the server's time plus a loopback round trip), then the first request after
// a write from another process. Not part of the tests.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { BODY_REGIONS } from '@kneadback/shared/body/index';
import { CATEGORIES, PRESSURE_VERDICTS, STARTER_TAGS } from '@kneadback/shared/vocabulary';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import { loadConfig } from '../../server/src/config.ts';
import { critiqueModel } from '../../server/src/features/debriefs/critique-model.ts';
import { reviewEntries, toRecord } from '../../server/src/features/debriefs/critique-record.ts';
import { ReviewShards, type ReviewEntry } from '../../server/src/features/review/review-shards.ts';
import { createLogger } from '../../server/src/logger.ts';
import { startServer } from '../../server/src/server.ts';
import { signUpUser } from '../helpers/http-client.ts';
import { percentile, timeQueries } from './time-queries.ts';

const CRITIQUES = Number(process.env.BENCH_CRITIQUES ?? 100_000);
const DEBRIEFS = Number(process.env.BENCH_DEBRIEFS ?? 2_000);
const THERAPISTS = 200;
const RUNS_PER_QUERY = 30;

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const ALL_TAGS = Object.values(STARTER_TAGS).flat();

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-bench-review-'));
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const server = await startServer(config, createLogger('warn'));
  try {
    const me = await signUpUser(server, 'Reviewer');
    const others = Array.from({ length: THERAPISTS - 1 }, () => new mongoose.Types.ObjectId());
    const meId = new mongoose.Types.ObjectId(me.user.id);

    console.log(`seeding ${CRITIQUES} critiques across ${DEBRIEFS} debriefs...`);
    const debriefs = Array.from({ length: DEBRIEFS }, (_, i) => {
      // the reviewer takes part in 1 debrief in 100: 20 debriefs, the average for 200 therapists
      const a = i % 100 === 0 ? meId : pick(others);
      let b = pick(others);
      while (b.equals(a)) b = pick(others);
      const day = new Date(Date.UTC(2025, 0, 1) + i * 8.64e7 * 0.3).toISOString().slice(0, 10);
      return { id: new mongoose.Types.ObjectId(), a, b, day };
    });
    const Critiques = critiqueModel(server.connection);
    const shards = new ReviewShards(server.connection);
    const t0 = performance.now();
    const perDebrief = Math.round(CRITIQUES / DEBRIEFS);
    let written = 0;
    for (let start = 0; start < debriefs.length; start += 20) {
      // the same records the projector writes, built by the same function
      const records = debriefs.slice(start, start + 20).flatMap((d) =>
        Array.from({ length: perDebrief }, (_, j) => {
          const round = ((j % 2) + 1) as 1 | 2;
          const category = pick(CATEGORIES);
          const region = pick(BODY_REGIONS);
          const created = Date.parse(`${d.day}T10:00:00Z`) + j * 60_000;
          const annotation: Annotation = {
            id: randomBytes(12).toString('hex'),
            authorId: (round === 1 ? d.b : d.a).toHexString(),
            round,
            position: { view: region.view, x: 200, y: 300, regionId: region.id },
            category,
            pressure: category === 'pressure' ? 1 + Math.floor(Math.random() * 10) : null,
            verdict: category === 'pressure' ? pick(PRESSURE_VERDICTS) : null,
            wanted: null,
            tags: category === 'pressure' ? [] : [pick(ALL_TAGS)],
            text: 'seeded critique',
            status: Math.random() < 0.3 ? 'open' : 'resolved',
            statusChangedBy: null,
            statusChangedAt: null,
            createdAt: created,
            updatedAt: created,
          };
          const ctx = { exchangeDate: d.day, partnerA: d.a.toHexString(), partnerB: d.b.toHexString() };
          return toRecord(d.id.toHexString(), annotation, [], ctx);
        }),
      );
      written += records.length;
      await Critiques.insertMany(records, { ordered: false, lean: true });
      const byUser = new Map<string, ReviewEntry[]>();
      for (const { userId, entry } of records.flatMap(reviewEntries))
        byUser.set(userId, [...(byUser.get(userId) ?? []), entry]);
      for (const [userId, entries] of byUser) await shards.of(userId).insertMany(entries, { ordered: false });
    }
    console.log(`seeded ${written} in ${((performance.now() - t0) / 1000).toFixed(1)}s`);

    const partner = debriefs.find((d) => d.a.equals(meId))!.b.toHexString();
    const queries: [string, string][] = [
      ['newest page 1', '/api/review/critiques'],
      ['given, pressure', '/api/review/critiques?role=given&category=pressure'],
      ['received, too deep', '/api/review/critiques?role=received&verdict=too-deep'],
      ['tag', `/api/review/critiques?tag=${ALL_TAGS[0]}`],
      ['region, open', '/api/review/critiques?regionId=posterior-upper-trapezius-left&status=open'],
      ['partner', `/api/review/critiques?partnerId=${partner}`],
      ['date range, page 3', '/api/review/critiques?from=2025-03-01&to=2025-09-30&page=3'],
      ['patterns, given pressure', '/api/review/patterns?role=given&category=pressure'],
      ['patterns, all', '/api/review/patterns'],
    ];
    const all = await timeQueries(me.client, queries, RUNS_PER_QUERY);
    // Review holds each therapist's collection in memory while it is unchanged; a write from
    // another process (here the bench's own ReviewShards) makes the next request read it all
    // again. Not in the figures above: the worst case, printed for comparison.
    const sample = (await shards.of(me.user.id).findOne({}))!;
    const reread: number[] = [];
    for (let i = 0; i < 10; i++) {
      await shards.put([{ userId: me.user.id, entry: sample }]);
      const start = performance.now();
      const res = await me.client.get(queries[1]![1]);
      reread.push(performance.now() - start);
      if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
    }
    reread.sort((x, y) => x - y);
    console.log(
      `${'after an outside write'.padEnd(26)} (re-read) p50_ms=${percentile(reread, 50).toFixed(1)} max_ms=${reread.at(-1)!.toFixed(1)}`,
    );
    console.log(
      `critiques=${written} review_p50_ms=${percentile(all, 50).toFixed(1)} review_p99_ms=${percentile(all, 99).toFixed(1)}`,
    );
  } finally {
    await server.stop();
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
