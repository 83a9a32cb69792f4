// pnpm bench:review — seeds 100,000 critiques across 2,000 debriefs into a real FerretDB and times
// typical Review queries through the real server (HTTP on loopback, so the figures are the
// server's time plus a loopback round trip). Not part of the tests.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { BODY_REGIONS } from '@kneadback/shared/body/index';
import { CATEGORIES, PRESSURE_VERDICTS, STARTER_TAGS } from '@kneadback/shared/vocabulary';
import { loadConfig } from '../../server/src/config.ts';
import { createLogger } from '../../server/src/logger.ts';
import { startServer } from '../../server/src/server.ts';
import { signUpUser } from '../helpers/http-client.ts';

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
      // the reviewer takes part in 1 debrief in 10, like a regular exchanger among many
      const a = i % 10 === 0 ? meId : pick(others);
      let b = pick(others);
      while (b.equals(a)) b = pick(others);
      const day = new Date(Date.UTC(2025, 0, 1) + i * 8.64e7 * 0.3).toISOString().slice(0, 10);
      return { id: new mongoose.Types.ObjectId(), a, b, day };
    });
    const critiques = server.connection.collection('critiques');
    const t0 = performance.now();
    const perDebrief = Math.ceil(CRITIQUES / DEBRIEFS);
    let batch: Record<string, unknown>[] = [];
    let written = 0;
    for (const d of debriefs) {
      for (let j = 0; j < perDebrief && written + batch.length < CRITIQUES; j++) {
        const round = (j % 2) + 1;
        const category = pick(CATEGORIES);
        const region = pick(BODY_REGIONS);
        const annotationId = randomBytes(12).toString('hex');
        const created = new Date(`${d.day}T10:00:00Z`).getTime() + j * 60_000;
        batch.push({
          _id: `${d.id.toHexString()}:${annotationId}`,
          debriefId: d.id,
          annotationId,
          exchangeDate: d.day,
          giverId: round === 1 ? d.a : d.b,
          receiverId: round === 1 ? d.b : d.a,
          authorId: round === 1 ? d.b : d.a,
          round,
          category,
          view: region.view,
          regionId: region.id,
          x: 200,
          y: 300,
          pressure: category === 'pressure' ? 1 + Math.floor(Math.random() * 10) : null,
          verdict: category === 'pressure' ? pick(PRESSURE_VERDICTS) : null,
          wanted: null,
          tags: category === 'pressure' ? [] : [pick(ALL_TAGS)],
          text: 'seeded critique',
          status: Math.random() < 0.3 ? 'open' : 'resolved',
          statusChangedBy: null,
          statusChangedAt: null,
          createdAt: new Date(created),
          updatedAt: new Date(created),
          thread: [],
          replyCount: 0,
          hash: 'seed',
        });
        if (batch.length === 1_000) {
          await critiques.insertMany(batch, { ordered: false });
          written += batch.length;
          batch = [];
        }
      }
    }
    if (batch.length) await critiques.insertMany(batch, { ordered: false });
    written += batch.length;
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
    const all: number[] = [];
    for (const [name, url] of queries) {
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < RUNS_PER_QUERY; i++) {
        const start = performance.now();
        const res = await me.client.get(url);
        times.push(performance.now() - start);
        if (res.status !== 200) throw new Error(`${url}: ${res.status} ${res.text}`);
        total = res.body.total;
      }
      times.sort((x, y) => x - y);
      all.push(...times);
      console.log(
        `${name.padEnd(26)} matches=${String(total).padStart(5)} p50_ms=${p(times, 50).toFixed(1)} p99_ms=${p(times, 99).toFixed(1)}`,
      );
    }
    all.sort((x, y) => x - y);
    console.log(`critiques=${written} review_p50_ms=${p(all, 50).toFixed(1)} review_p99_ms=${p(all, 99).toFixed(1)}`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function p(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))]!;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
