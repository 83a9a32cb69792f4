// Review answers from memory while a therapist's collection is unchanged. These tests hold the
// in-memory answers to the database's own (the same service with nothing kept in memory) over
// varied entries, including ties in creation time, and after writes from this process and from
// another one.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_REGIONS } from '@kneadback/shared/body/index';
import { ANNOTATION_STATUSES, CATEGORIES, PRESSURE_VERDICTS, STARTER_TAGS } from '@kneadback/shared/vocabulary';
import type { ReviewFilter, ReviewListQuery } from '@kneadback/shared/schemas/review';
import { startTestServer, type TestServer } from '../../../../tests/helpers/test-server.ts';
import type { CritiqueRecord } from '@kneadback/shared/schemas/critique';
import { ReviewShards } from './review-shards.ts';
import { ReviewService } from './service.ts';

const hex = () => randomBytes(12).toString('hex');
const ALL_TAGS = Object.values(STARTER_TAGS).flat();
const PARTNERS = [hex(), hex(), hex()];
const DEBRIEFS = Array.from({ length: 6 }, (_, i) => ({ id: hex(), date: `2026-0${i + 1}-1${i}` }));
const noUsers = { publicUsers: async () => new Map() };

let seed = 7;
const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

function entry(over: Partial<CritiqueRecord> = {}): CritiqueRecord {
  const debrief = pick(DEBRIEFS);
  const annotationId = hex();
  const category = pick(CATEGORIES);
  return {
    _id: `${debrief.id}:${annotationId}`,
    exchangeId: debrief.id,
    annotationId,
    exchangeDate: debrief.date,
    round: random() < 0.5 ? 1 : 2,
    role: random() < 0.5 ? 'given' : 'received',
    partnerId: random() < 0.1 ? null : pick(PARTNERS),
    authorId: pick(PARTNERS),
    category,
    view: 'posterior',
    regionId: pick(BODY_REGIONS.slice(0, 6)).id,
    x: 10,
    y: 20,
    pressure: category === 'pressure' ? 5 : null,
    verdict: category === 'pressure' ? pick(PRESSURE_VERDICTS) : null,
    wanted: null,
    tags: random() < 0.3 ? [] : [pick(ALL_TAGS.slice(0, 4)), ...(random() < 0.3 ? [pick(ALL_TAGS.slice(0, 4))] : [])],
    text: 'seeded',
    status: pick(ANNOTATION_STATUSES),
    // few distinct times, so many entries tie on createdAt and the _id order decides
    createdAt: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 40) * 60_000),
    replyCount: 0,
    thread: [],
    ...over,
  };
}

const FILTERS: ReviewFilter[] = [
  {},
  { role: 'given' },
  { role: 'received', category: 'pressure' },
  { partnerId: PARTNERS[0] },
  { tag: ALL_TAGS[0] },
  { verdict: 'too-deep' },
  { status: 'open' },
  { regionId: BODY_REGIONS[0]!.id, status: 'resolved' },
  { from: DEBRIEFS[2]!.date },
  { to: DEBRIEFS[3]!.date },
  { from: DEBRIEFS[1]!.date, to: DEBRIEFS[1]!.date, role: 'given' },
  { from: '2027-01-01' },
];

let server: TestServer;
let shards: ReviewShards;
let fromMemory: ReviewService;
let fromDatabase: ReviewService;
const user = hex();

/** Every answer Review gives, from memory and from the database, must be the same. */
async function expectSameAnswers(viaMemory = fromMemory): Promise<void> {
  for (const filter of FILTERS) {
    for (const query of [
      { ...filter, sort: 'newest', page: 1, pageSize: 100 },
      { ...filter, sort: 'oldest', page: 1, pageSize: 100 },
      { ...filter, sort: 'newest', page: 3, pageSize: 7 },
      { ...filter, sort: 'oldest', page: 2, pageSize: 20 },
    ] satisfies ReviewListQuery[]) {
      expect(await viaMemory.list(user, query), JSON.stringify(query)).toEqual(await fromDatabase.list(user, query));
    }
    expect(await viaMemory.patterns(user, filter), JSON.stringify(filter)).toEqual(
      await fromDatabase.patterns(user, filter),
    );
  }
  const earlier = DEBRIEFS.slice(0, 4).map((d) => d.id);
  const carried = await viaMemory.openIn(user, earlier);
  expect(carried.length).toBeGreaterThan(0);
  expect(carried).toEqual(await fromDatabase.openIn(user, earlier));
}

/** How many times the memory side reads a whole collection from now on. */
function countFullReads(): () => number {
  const before = fullReads;
  return () => fullReads - before;
}
let fullReads = 0;

beforeAll(async () => {
  server = await startTestServer();
  shards = new ReviewShards(server.connection);
  const all = shards.all.bind(shards);
  shards.all = (...args) => {
    fullReads++;
    return all(...args);
  };
  fromMemory = new ReviewService(shards, noUsers);
  // its own instance, so its reads of the collection are not counted
  const elsewhere = new ReviewShards(server.connection);
  fromDatabase = new ReviewService(elsewhere, noUsers, { maxEntries: 0, maxEntriesPerUser: 0 });
  await shards.put(Array.from({ length: 150 }, () => ({ userId: user, record: entry() })));
});

afterAll(async () => {
  await server?.stop();
});

describe('Review from memory', () => {
  it('answers every filter, order and page as the database does', async () => {
    await expectSameAnswers();
    await expectSameAnswers(); // the second time from memory
  }, 60_000);

  it('sees this process’s writes (new, changed and removed entries) without reading everything again', async () => {
    await expectSameAnswers();
    const reads = countFullReads();
    const [first, second] = (await fromDatabase.list(user, { sort: 'oldest', page: 1, pageSize: 2 })).items;
    const added = entry({ category: 'pressure', verdict: 'too-deep', status: 'open', exchangeDate: DEBRIEFS[0]!.date });
    await shards.put([
      { userId: user, record: added },
      {
        userId: user,
        record: {
          ...entry(),
          _id: `${first!.exchangeId}:${first!.annotationId}`,
          text: 'changed',
          createdAt: new Date(0),
        },
      },
    ]);
    await shards.remove([user], [`${second!.exchangeId}:${second!.annotationId}`]);
    const all = await fromMemory.list(user, { sort: 'newest', page: 1, pageSize: 100, from: '2000-01-01' });
    expect(all.total).toBe(150);
    await expectSameAnswers();
    const texts = (await fromMemory.list(user, { sort: 'oldest', page: 1, pageSize: 100 })).items.map((i) => i.text);
    expect(texts).toContain('changed');
    expect(reads()).toBe(0);
  }, 60_000);

  it('sees another process’s writes', async () => {
    await expectSameAnswers();
    const elsewhere = new ReviewShards(server.connection);
    const added = entry({ text: 'written elsewhere', status: 'open', exchangeDate: DEBRIEFS[1]!.date });
    await elsewhere.put([{ userId: user, record: added }]);
    const reads = countFullReads();
    const found = await fromMemory.list(user, { sort: 'newest', page: 1, pageSize: 100, status: 'open' });
    expect(reads()).toBe(1);
    expect(found.items.map((i) => i.text)).toContain('written elsewhere');
    await expectSameAnswers();
    await elsewhere.remove([user], [added._id]);
    await expectSameAnswers();
  }, 60_000);

  it('reads from the database for a therapist with more entries than it may keep', async () => {
    const small = new ReviewService(shards, noUsers, { maxEntries: 1_000, maxEntriesPerUser: 50 });
    await expectSameAnswers(small);
    await shards.put([{ userId: user, record: entry({ text: 'one more' }) }]);
    await expectSameAnswers(small);
  }, 60_000);
});

describe('Review partners', () => {
  const named = {
    publicUsers: async (ids: string[]) =>
      new Map(ids.map((id) => [id, { id, displayName: `T${id.slice(-6)}`, modalities: [], city: '' }])),
  };

  it('names everyone in the collection once, the same from memory as from the database', async () => {
    const viaMemory = new ReviewService(shards, named);
    const viaDatabase = new ReviewService(new ReviewShards(server.connection), named, {
      maxEntries: 0,
      maxEntriesPerUser: 0,
    });
    const expected = [...PARTNERS].map((id) => `T${id.slice(-6)}`).sort((a, b) => a.localeCompare(b));
    const fromMemoryNames = (await viaMemory.partners(user)).partners.map((p) => p.displayName);
    expect(fromMemoryNames).toEqual(expected);
    expect(await viaDatabase.partners(user)).toEqual(await viaMemory.partners(user));
    expect(await viaMemory.partners(hex())).toEqual({ partners: [] });
  }, 60_000);
});
