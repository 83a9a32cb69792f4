// pnpm bench:notes — seeds 10,000 technique notes (realistic lengths, 200 authors, mixed
// sharing: a few partners each, 30% published to the community) into a real FerretDB as the
// projector writes them, restarts the server so it loads them as it would at start-up, then
// times searches as a typical therapist through the real HTTP endpoint (loopback, so the
// figures are the server's time plus a round trip). Not part of the tests.
// Last line: notes=N search_p50_ms=X search_p99_ms=Y
import { rmSync } from 'node:fs';
import mongoose from 'mongoose';
import { BODY_REGIONS } from '@kneadback/shared/body/index';
import { NOTE_KINDS } from '@kneadback/shared/schemas/note';
import { MODALITIES, STARTER_TAGS } from '@kneadback/shared/vocabulary';
import { noteCollections, type NoteRecord } from '../../server/src/features/notes/model.ts';
import { createLogger } from '../../server/src/logger.ts';
import { startServer } from '../../server/src/server.ts';
import { TestClient, signUpUser } from '../helpers/http-client.ts';
import { Rng } from '../helpers/seeded-random.ts';
import { benchConfig, runBench } from './bench-run.ts';
import { summaryLine, timeQueries } from './time-queries.ts';

const NOTES = Number(process.env.BENCH_NOTES ?? 10_000);
const AUTHORS = 200;
const RUNS_PER_QUERY = 30;

const rng = new Rng(10);
const random = () => rng.next();
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

const WORDS = (
  'thumb thumbs stack stacked pad tip knuckle forearm elbow palm heel hand hands lean leaning weight body ' +
  'pressure deep light slow slowly glide stroke strokes effleurage petrissage friction kneading compression ' +
  'trapezius shoulder shoulders neck back lower upper spine scapula rhomboid calf hamstring glute hip ' +
  'client breath breathing release tension knot trigger point tender warm stones basalt oil lotion drape ' +
  'table height posture wrist wrists keep avoid before after during then first next always never check ' +
  'ask feedback comfortable pain sore tissue fascia muscle fibres across along direction anchor support'
).split(' ');
const TAGS = Object.values(STARTER_TAGS).flat();

function paragraph(): string {
  const sentences = between(2, 6);
  return Array.from({ length: sentences }, () => {
    const words = Array.from({ length: between(6, 18) }, () => pick(WORDS));
    return words.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.';
  }).join(' ');
}

function seedNote(i: number, authors: string[], me: string): NoteRecord {
  // the bench's therapist writes 1 note in 200, the average for 200 authors
  const ownerId = i % AUTHORS === 0 ? me : pick(authors);
  const others = authors.filter((a) => a !== ownerId);
  const shares = Array.from({ length: between(0, 3) }, () => pick([...others, me])).filter(
    (id, k, all) => id !== ownerId && all.indexOf(id) === k,
  );
  const created = new Date(Date.UTC(2025, 0, 1) + i * 3_000_000);
  return {
    _id: new mongoose.Types.ObjectId().toHexString(),
    ownerId,
    kind: pick(NOTE_KINDS),
    createdAt: created,
    updatedAt: new Date(created.getTime() + between(0, 30) * 86_400_000),
    shares: shares.map((userId) => ({
      userId,
      role: pick(['reader', 'editor'] as const),
      sharedAt: created,
      sharedBy: ownerId,
    })),
    published: random() < 0.3,
    publishedAt: null,
    links: [],
    helpful: [],
    followers: [],
    unfollowed: [],
    opened: {},
    versions: [],
    title: Array.from({ length: between(2, 6) }, () => pick(WORDS)).join(' '),
    tags: Array.from({ length: between(0, 3) }, () => pick(TAGS)),
    regions: Array.from({ length: between(0, 2) }, () => pick(BODY_REGIONS).id),
    modality: random() < 0.6 ? pick(MODALITIES) : null,
    // 1 to 12 paragraphs: a quick tip to a page and a half
    text: Array.from({ length: between(1, 12) }, paragraph).join('\n'),
  };
}

async function main(): Promise<void> {
  const { dataDir, config } = benchConfig('notes');
  let server = await startServer(config, createLogger('warn'));
  try {
    const me = await signUpUser(server, 'Searcher');
    const authors = [
      me.user.id,
      ...Array.from({ length: AUTHORS - 1 }, () => new mongoose.Types.ObjectId().toHexString()),
    ];
    console.log(`seeding ${NOTES} notes by ${AUTHORS} authors...`);
    const t0 = performance.now();
    const { notes } = noteCollections(server.connection);
    const records = Array.from({ length: NOTES }, (_, i) => seedNote(i, authors, me.user.id));
    for (let start = 0; start < records.length; start += 500) {
      await notes.insertMany(records.slice(start, start + 500), { ordered: false });
    }
    const chars = records.reduce((n, r) => n + r.text.length, 0);
    console.log(
      `seeded in ${((performance.now() - t0) / 1000).toFixed(1)}s, ${Math.round(chars / NOTES)} characters a note on average`,
    );

    await server.stop();
    const t1 = performance.now();
    server = await startServer(config, createLogger('warn'));
    console.log(`restarted (loading every note) in ${((performance.now() - t1) / 1000).toFixed(1)}s`);
    const client = new TestClient(server.url);
    const login = await client.post('/api/auth/login', { email: me.email, password: me.password });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);

    const readable = records.filter(
      (r) => r.ownerId === me.user.id || r.published || r.shares.some((s) => s.userId === me.user.id),
    ).length;
    console.log(`the therapist may read ${readable} notes`);
    const queries: [string, string][] = [
      ['one common word', '/api/notes?q=thumb'],
      ['two words', '/api/notes?q=basalt+stones'],
      ['prefix of a word', '/api/notes?q=trap'],
      ['words, recent first', '/api/notes?q=slow+lean&sort=recent'],
      ['no words, recent', '/api/notes'],
      ['kind + region', `/api/notes?kind=technique&regionId=${BODY_REGIONS[0]!.id}`],
      ['modality + tag', `/api/notes?modality=swedish&tag=${TAGS[0]}`],
      ['shared with me', '/api/notes?scope=shared&q=pressure'],
      ['mine', '/api/notes?scope=mine&q=client'],
      ['community, page 3', '/api/notes?scope=community&q=release&page=3'],
      ['no match', '/api/notes?q=zebra'],
    ];
    const all = await timeQueries(client, queries, RUNS_PER_QUERY);
    console.log(summaryLine('notes', NOTES, 'search', all));
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
