// pnpm bench:partners — seeds 10,000 therapist profiles (users, profiles and some block lists, as
// the server stores them) into the embedded FerretDB, restarts the server so it builds its
// discovery index from the database, then times partner searches through the real HTTP endpoint
// (loopback, so each figure is the server's time plus a round trip, session lookup included).
// Not part of the tests.
import { rmSync } from 'node:fs';
import mongoose from 'mongoose';
import { MODALITIES } from '@kneadback/shared/vocabulary';
import {
  DAY_PARTS,
  LANGUAGES,
  PLACES,
  PROFILE_PARTS,
  SUGGESTED_SPECIALTIES,
  WEEKDAYS,
} from '@kneadback/shared/profile-vocabulary';
import { partnerSearchQuerySchema } from '@kneadback/shared/schemas/profile';
import { authModels } from '../../server/src/features/auth/model.ts';
import { AuthService } from '../../server/src/features/auth/service.ts';
import { exchangeModel } from '../../server/src/features/exchanges/model.ts';
import { BlockService } from '../../server/src/features/profiles/blocks.ts';
import { DiscoveryIndex } from '../../server/src/features/profiles/discovery-index.ts';
import { exchangeFacts } from '../../server/src/features/profiles/exchange-facts.ts';
import { blockListModel, profileModel, profilePhotoModel } from '../../server/src/features/profiles/model.ts';
import { ProfileService } from '../../server/src/features/profiles/service.ts';
import { RateLimits } from '../../server/src/http/rate-limit.ts';
import { createLogger } from '../../server/src/logger.ts';
import { startServer } from '../../server/src/server.ts';
import { signUpUser } from '../helpers/http-client.ts';
import { benchConfig, runBench } from './bench-run.ts';
import { percentile, summaryLine, timeQueries, timeRuns } from './time-queries.ts';

const PROFILES = Number(process.env.BENCH_PROFILES ?? 10_000);
const RUNS_PER_QUERY = 40;
const BATCH = 500;

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const some = <T>(xs: readonly T[], max: number): T[] => [
  ...new Set(Array.from({ length: 1 + Math.floor(Math.random() * max) }, () => pick(xs))),
];
const jitter = () => (Math.random() - 0.5) * 0.3;

async function main(): Promise<void> {
  const { dataDir, config } = benchConfig('partners', { RATE_LIMITS: 'off' });
  try {
    let server = await startServer(config, createLogger('warn'));
    console.log(`seeding ${PROFILES} profiles...`);
    const t0 = performance.now();
    const ids: mongoose.Types.ObjectId[] = [];
    for (let start = 0; start < PROFILES; start += BATCH) {
      const users = [];
      const profiles = [];
      for (let i = start; i < Math.min(PROFILES, start + BATCH); i++) {
        const _id = new mongoose.Types.ObjectId();
        ids.push(_id);
        const place = pick(PLACES);
        const modalities = some(MODALITIES, 3);
        const now = new Date();
        users.push({
          _id,
          email: `bench-${i}@bench.kneadback.test`,
          passwordHash: '!',
          displayName: `Therapist ${i}`,
          modalities,
          city: place.name,
          deletedAt: null,
          createdAt: now,
          updatedAt: now,
        });
        profiles.push({
          _id,
          bio: 'Seeded for the partner search benchmark.',
          modalityYears: modalities.map((modality) => ({ modality, years: Math.floor(Math.random() * 20) })),
          specialties: some(SUGGESTED_SPECIALTIES, 2),
          certifications:
            Math.random() < 0.1
              ? [
                  {
                    title: 'Instructor',
                    modality: modalities[0]!,
                    issuer: 'Bench school',
                    year: 2015,
                    qualifiesToTeach: true,
                  },
                ]
              : [],
          languages: some(LANGUAGES, 2),
          location: { lat: place.lat + jitter(), lng: place.lng + jitter() },
          availability: some(WEEKDAYS, 3).map((day) => ({ day, part: pick(DAY_PARTS) })),
          openToExchanges: Math.random() < 0.8,
          visibility: Object.fromEntries(
            PROFILE_PARTS.map((part) => [part, Math.random() < 0.1 ? 'partners' : 'everyone']),
          ),
          createdAt: now,
          updatedAt: now,
        });
      }
      await server.connection.collection('users').insertMany(users, { ordered: false });
      await server.connection.collection('profiles').insertMany(profiles, { ordered: false });
    }
    const blockLists = ids
      .slice(0, 200)
      .map((_id) => ({ _id, blocked: Array.from({ length: 5 }, () => pick(ids)).filter((b) => !b.equals(_id)) }));
    await server.connection.collection('block_lists').insertMany(blockLists, { ordered: false });
    console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)}s`);

    await server.stop();
    const restartStart = performance.now();
    server = await startServer(config, createLogger('warn'));
    console.log(`restart with index build: ${Math.round(performance.now() - restartStart)} ms`);
    try {
      const me = await signUpUser(server, 'Searcher');
      const lisbon = PLACES.find((p) => p.id === 'lisbon')!;
      const queries: [string, string][] = [
        ['everyone, page 1', '/api/partners'],
        ['modality', '/api/partners?modality=shiatsu'],
        ['modality + city', '/api/partners?modality=thai&city=Lisbon'],
        ['language', '/api/partners?language=pt'],
        ['availability', '/api/partners?day=tue&part=evening'],
        ['specialty', '/api/partners?specialty=back'],
        ['teaches', '/api/partners?teaches=hot-stone'],
        ['near Lisbon, 15 km', `/api/partners?lat=${lisbon.lat}&lng=${lisbon.lng}&maxKm=15`],
        ['near Lisbon, page 5', `/api/partners?lat=${lisbon.lat}&lng=${lisbon.lng}&page=5`],
        ['everything', `/api/partners?modality=swedish&language=en&day=sat&lat=${lisbon.lat}&lng=${lisbon.lng}`],
      ];
      const all = await timeQueries(me.client, queries, RUNS_PER_QUERY);
      // what any signed-in request costs here (session and user read by _id), for comparison
      const baseline = await timeRuns(RUNS_PER_QUERY, () => me.client.get('/api/auth/me'));
      console.log(
        `${'GET /api/auth/me'.padEnd(22)} (baseline) p50_ms=${percentile(baseline, 50).toFixed(1)} p99_ms=${percentile(baseline, 99).toFixed(1)}`,
      );
      // the search alone, in this process, on an index built the way the server builds its own
      const index = new DiscoveryIndex();
      const auth = new AuthService(authModels(server.connection), 'bench-secret-'.repeat(3), new RateLimits(false));
      const blocks = new BlockService(blockListModel(server.connection), auth, index, new RateLimits(false));
      await new ProfileService(
        profileModel(server.connection),
        profilePhotoModel(server.connection),
        auth,
        blocks,
        index,
        exchangeFacts(exchangeModel(server.connection)),
        new RateLimits(false),
      ).loadIndex();
      const searcher = { id: me.user.id, modalities: ['swedish' as const] };
      const inProcess: number[] = [];
      for (const [, url] of queries) {
        const query = partnerSearchQuerySchema.parse(Object.fromEntries(new URL(url, 'http://x').searchParams));
        for (let i = 0; i < RUNS_PER_QUERY; i++) {
          const start = performance.now();
          index.search(searcher, query);
          inProcess.push(performance.now() - start);
        }
      }
      inProcess.sort((x, y) => x - y);
      console.log(
        `${'index.search alone'.padEnd(22)} (in process) p50_ms=${percentile(inProcess, 50).toFixed(2)} p99_ms=${percentile(inProcess, 99).toFixed(2)}`,
      );
      console.log(summaryLine('profiles', PROFILES, 'search', all));
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
