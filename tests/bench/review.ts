// pnpm bench:review — seeds 100,000 critiques across 2,000 debriefs into a real FerretDB (the
// critique records the projector writes into each therapist's Review collection) and times
// typical Review queries through the real server (HTTP on loopback, so the figures are the
// server's time plus a loopback round trip), then the first request after a write from another
// process. Not part of the tests.
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { BODY_REGIONS } from '@kneadback/shared/body/index';
import { CATEGORIES, PRESSURE_VERDICTS, STARTER_TAGS } from '@kneadback/shared/vocabulary';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import { projectCritique } from '../../server/src/features/debriefs/critique-record.ts';
import type { CritiqueRecord } from '@kneadback/shared/schemas/critique';
import { ReviewShards } from '../../server/src/features/review/review-shards.ts';
import { createLogger } from '../../server/src/logger.ts';
import { startServer } from '../../server/src/server.ts';
import { signUpUser } from '../helpers/http-client.ts';
import { benchConfig, runBench } from './bench-run.ts';
import { percentile, summaryLine, timeQueries, timeRuns } from './time-queries.ts';

const CRITIQUES = Number(process.env.BENCH_CRITIQUES ?? 100_000);
const DEBRIEFS = Number(process.env.BENCH_DEBRIEFS ?? 2_000);
const THERAPISTS = 200;
const RUNS_PER_QUERY = 30;

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const ALL_TAGS = Object.values(STARTER_TAGS).flat();

async function main(): Promise<void> {
  const { dataDir, config } = benchConfig('review');
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
    const shards = new ReviewShards(server.connection);
    const t0 = performance.now();
    const perDebrief = Math.round(CRITIQUES / DEBRIEFS);
    let written = 0;
    for (let start = 0; start < debriefs.length; start += 20) {
      // the same records the projector writes, built by the same function
      const critiques = debriefs.slice(start, start + 20).flatMap((d) =>
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
          return projectCritique(d.id.toHexString(), annotation, [], ctx);
        }),
      );
      written += critiques.length;
      const byUser = new Map<string, CritiqueRecord[]>();
      for (const { userId, record } of critiques.flatMap((c) => c.records))
        byUser.set(userId, [...(byUser.get(userId) ?? []), record]);
      for (const [userId, records] of byUser) await shards.of(userId).insertMany(records, { ordered: false });
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
    const reread = await timeRuns(
      10,
      async () => {
        const res = await me.client.get(queries[1]![1]);
        if (res.status !== 200) throw new Error(`${res.status} ${res.text}`);
      },
      () => shards.put([{ userId: me.user.id, record: sample }]),
    );
    console.log(
      `${'after an outside write'.padEnd(26)} (re-read) p50_ms=${percentile(reread, 50).toFixed(1)} max_ms=${reread.at(-1)!.toFixed(1)}`,
    );
    console.log(summaryLine('critiques', written, 'review', all));
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
