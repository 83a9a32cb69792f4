// Review (search over every critique a therapist gave or received), patterns, carried-forward
// items and thread reads, all fed by marks made through real collab connections.
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addAnnotation, readAnnotation, readThread, setAnnotationStatus } from '@kneadback/shared/docs/debrief-doc';
import type { AnnotationInput } from '@kneadback/shared/schemas/annotation';
import { reviewPartnersResponseSchema, type CritiqueView } from '@kneadback/shared/schemas/review';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createExchange, createPartners, type Partners } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { signUpUser, type SignedUpUser, type TestClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { ThreadReads } from '../../server/src/features/debriefs/thread-reads.ts';
import { nameReviewRecordsByExchange } from '../../server/src/features/review/review-shards.ts';

const FIRST_DATE = '2026-10-02';
const SECOND_DATE = '2026-11-13';
const TRAP_LEFT = 'posterior-upper-trapezius-left';
const TRAP_RIGHT = 'posterior-upper-trapezius-right';

/**
 * Round 1: Ana (partner A) gives, Ben receives; round 2: Ben gives, Ana receives. The receiver
 * writes the marks, so round-1 marks come from Ben's device and round-2 marks from Ana's.
 */
interface MarkSpec {
  key: string;
  debrief: 'first' | 'second';
  round: 1 | 2;
  category: AnnotationInput['category'];
  regionId: string;
  pressure?: number;
  verdict?: 'too-light' | 'just-right' | 'too-deep';
  tags?: string[];
  text?: string;
  resolve?: boolean;
}

const SPECS: MarkSpec[] = [
  // first debrief
  {
    key: 'm1',
    debrief: 'first',
    round: 2,
    category: 'pressure',
    regionId: TRAP_LEFT,
    pressure: 8,
    verdict: 'too-deep',
    tags: ['sharp-elbow'],
    text: 'Elbow dug into the left trap',
  },
  { key: 'm2', debrief: 'first', round: 2, category: 'habit', regionId: 'posterior-rhomboids-left', tags: ['rushing'] },
  {
    key: 'm3',
    debrief: 'first',
    round: 1,
    category: 'pressure',
    regionId: TRAP_LEFT,
    pressure: 3,
    verdict: 'too-light',
  },
  {
    key: 'm4',
    debrief: 'first',
    round: 2,
    category: 'praise',
    regionId: 'posterior-lower-trapezius-left',
    tags: ['good-pacing'],
  },
  {
    key: 'm5',
    debrief: 'first',
    round: 1,
    category: 'thumb-technique',
    regionId: 'posterior-infraspinatus-teres-right',
    tags: ['tip-not-pad'],
  },
  { key: 'm6', debrief: 'first', round: 1, category: 'question', regionId: 'anterior-abdomen', resolve: true },
  // second debrief
  {
    key: 'n1',
    debrief: 'second',
    round: 2,
    category: 'pressure',
    regionId: TRAP_LEFT,
    pressure: 6,
    verdict: 'just-right',
    tags: ['sharp-elbow'],
  },
  {
    key: 'n2',
    debrief: 'second',
    round: 2,
    category: 'pressure',
    regionId: TRAP_RIGHT,
    pressure: 9,
    verdict: 'too-deep',
  },
  {
    key: 'n3',
    debrief: 'second',
    round: 1,
    category: 'pressure',
    regionId: 'anterior-quadriceps-left',
    pressure: 7,
    verdict: 'too-deep',
  },
];

let server: TestServer;
let partners: Partners;
let eve: SignedUpUser;
let firstId: string;
let secondId: string;
/** spec key -> annotation id */
const ids = new Map<string, string>();
const clients: DebriefClient[] = [];

const id = (key: string) => ids.get(key)!;
const idsOf = (...keys: string[]) => keys.map(id).sort();
const annotationIds = (items: CritiqueView[]) => items.map((i) => i.annotationId).sort();

function connect(cookie: string, exchangeId: string): DebriefClient {
  const client = connectDebrief(server.url, cookie, exchangeId);
  clients.push(client);
  return client;
}

async function critiques(client: TestClient, query = '') {
  const res = await client.get(`/api/review/critiques${query ? `?${query}` : ''}`);
  expect(res.status, res.text).toBe(200);
  return res.body as { items: CritiqueView[]; total: number; page: number; pageSize: number };
}

beforeAll(async () => {
  server = await startTestServer({}, { unloadDelayMs: 50 });
  partners = await createPartners(server, FIRST_DATE);
  firstId = partners.exchangeId;
  secondId = await createExchange(partners, SECOND_DATE);
  eve = await signUpUser(server, 'Eve');

  const docs = {
    first: { a: connect(partners.a.cookieHeader, firstId), b: connect(partners.b.cookieHeader, firstId) },
    second: { a: connect(partners.a.cookieHeader, secondId), b: connect(partners.b.cookieHeader, secondId) },
  };
  await Promise.all(Object.values(docs).flatMap((d) => [d.a.synced(), d.b.synced()]));

  // creation times a second apart, so "oldest" and "newest" have one right answer
  const base = Date.now() - 60 * 60_000;
  SPECS.forEach((spec, i) => {
    const writer = spec.round === 1 ? partners.b : partners.a;
    const client = docs[spec.debrief][spec.round === 1 ? 'b' : 'a'];
    const mark = addAnnotation(
      client.doc,
      writer.user.id,
      {
        round: spec.round,
        position: {
          view: spec.regionId.startsWith('anterior') ? 'anterior' : 'posterior',
          x: 170,
          y: 149,
          regionId: spec.regionId,
        },
        category: spec.category,
        pressure: spec.pressure ?? null,
        verdict: spec.verdict ?? null,
        tags: spec.tags ?? [],
        text: spec.text ?? `${spec.key} text`,
      },
      { now: base + i * 1_000 },
    );
    ids.set(spec.key, mark.id);
    if (spec.resolve) setAnnotationStatus(client.doc, mark.id, 'resolved', writer.user.id);
  });

  await eventually(
    async () => {
      const all = await critiques(partners.b.client, 'pageSize=100');
      expect(all.total).toBe(SPECS.length);
      expect(all.items.find((i) => i.annotationId === id('m6'))?.status).toBe('resolved');
    },
    { timeout: 15_000 },
  );
  for (const c of clients.splice(0)) c.destroy();
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

describe('Review', () => {
  it("shows Ben's given pressure critiques: his round-2 marks, the left upper trapezius from both debriefs", async () => {
    const res = await critiques(partners.b.client, 'role=given&category=pressure');
    expect(res.total).toBe(3);
    expect(annotationIds(res.items)).toEqual(idsOf('m1', 'n1', 'n2'));
    for (const item of res.items) {
      expect(item).toMatchObject({ role: 'given', round: 2, category: 'pressure' });
      expect(item.partner).toMatchObject({ id: partners.a.user.id, displayName: 'Ana' });
    }
    const trap = res.items.filter((i) => i.regionId === TRAP_LEFT);
    expect(trap.map((i) => i.exchangeId).sort()).toEqual([firstId, secondId].sort());

    const m1 = res.items.find((i) => i.annotationId === id('m1'));
    expect(m1).toMatchObject({
      exchangeId: firstId,
      exchangeDate: FIRST_DATE,
      authorId: partners.a.user.id,
      view: 'posterior',
      regionId: TRAP_LEFT,
      pressure: 8,
      verdict: 'too-deep',
      tags: ['sharp-elbow'],
      text: 'Elbow dug into the left trap',
      status: 'open',
      replyCount: 0,
      thread: [],
    });
  });

  it('gives round 1 to Ana: her given critiques are what Ben received', async () => {
    const received = await critiques(partners.b.client, 'role=received');
    expect(received.total).toBe(4);
    expect(annotationIds(received.items)).toEqual(idsOf('m3', 'm5', 'm6', 'n3'));
    expect(received.items.every((i) => i.role === 'received' && i.round === 1)).toBe(true);

    const anaGiven = await critiques(partners.a.client, 'role=given');
    expect(annotationIds(anaGiven.items)).toEqual(annotationIds(received.items));
    expect(anaGiven.items.every((i) => i.role === 'given' && i.partner?.id === partners.b.user.id)).toBe(true);

    const everything = await critiques(partners.b.client, 'pageSize=100');
    expect(everything.total).toBe(SPECS.length);
    const anaReceived = await critiques(partners.a.client, 'role=received&pageSize=100');
    expect(annotationIds(anaReceived.items)).toEqual(idsOf('m1', 'm2', 'm4', 'n1', 'n2'));
  });

  it.each([
    ['tag=sharp-elbow', ['m1', 'n1']],
    [`regionId=${TRAP_LEFT}`, ['m1', 'm3', 'n1']],
    ['verdict=too-deep', ['m1', 'n2', 'n3']],
    ['verdict=too-light&role=received', ['m3']],
    ['status=resolved', ['m6']],
    ['status=open&role=received', ['m3', 'm5', 'n3']],
    ['category=praise', ['m4']],
    ['from=2026-11-01', ['n1', 'n2', 'n3']],
    ['to=2026-10-31', ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']],
    [`from=${FIRST_DATE}&to=${FIRST_DATE}`, ['m1', 'm2', 'm3', 'm4', 'm5', 'm6']],
    ['from=2026-12-01', []],
    ['tag=sharp-elbow&from=2026-11-01', ['n1']],
    ['category=pressure&role=given&regionId=' + TRAP_RIGHT, ['n2']],
  ])('filters by %s', async (query, keys) => {
    const res = await critiques(partners.b.client, `${query}&pageSize=100`);
    expect(res.total).toBe(keys.length);
    expect(annotationIds(res.items)).toEqual(idsOf(...keys));
  });

  it('filters by partner', async () => {
    expect((await critiques(partners.b.client, `partnerId=${partners.a.user.id}`)).total).toBe(SPECS.length);
    expect((await critiques(partners.b.client, `partnerId=${eve.user.id}`)).total).toBe(0);
  });

  it('sorts newest first by default, or oldest first', async () => {
    const newest = await critiques(partners.b.client, 'role=given&category=pressure');
    expect(newest.items.map((i) => i.annotationId)).toEqual(['n2', 'n1', 'm1'].map(id));
    const explicit = await critiques(partners.b.client, 'role=given&category=pressure&sort=newest');
    expect(explicit.items).toEqual(newest.items);
    const oldest = await critiques(partners.b.client, 'role=given&category=pressure&sort=oldest');
    expect(oldest.items.map((i) => i.annotationId)).toEqual(['m1', 'n1', 'n2'].map(id));
  });

  it('pages through the results with the total', async () => {
    const page2 = await critiques(partners.b.client, 'role=given&category=pressure&sort=oldest&pageSize=1&page=2');
    expect(page2).toMatchObject({ total: 3, page: 2, pageSize: 1 });
    expect(page2.items.map((i) => i.annotationId)).toEqual([id('n1')]);

    const pages = [];
    for (let page = 1; page <= 5; page++) {
      const res = await critiques(partners.b.client, `sort=oldest&pageSize=2&page=${page}`);
      expect(res.total).toBe(SPECS.length);
      pages.push(...res.items.map((i) => i.annotationId));
    }
    expect(pages).toEqual(SPECS.map((s) => id(s.key)));

    const beyond = await critiques(partners.b.client, 'page=50');
    expect(beyond).toMatchObject({ items: [], total: SPECS.length, page: 50, pageSize: 20 });
  });

  it('shows an outsider nothing', async () => {
    const res = await critiques(eve.client);
    expect(res).toMatchObject({ items: [], total: 0 });
    expect((await critiques(eve.client, `partnerId=${partners.a.user.id}`)).total).toBe(0);
    const patterns = await eve.client.get('/api/review/patterns');
    expect(patterns.body).toEqual({ regions: [], tagsByMonth: [], total: 0 });
  });

  it.each([
    ['category=massage', 'category'],
    ['regionId=nowhere', 'regionId'],
    ['from=2026-12-01&to=2026-01-01', 'from'],
    ['from=2026-13-01', 'from'],
    ['to=yesterday', 'to'],
    ['pageSize=1000', 'pageSize'],
    ['pageSize=0', 'pageSize'],
    ['page=0', 'page'],
    ['page=two', 'page'],
    ['sort=sideways', 'sort'],
    ['role=both', 'role'],
    ['verdict=ouch', 'verdict'],
    ['status=closed', 'status'],
    ['tag=Not%20A%20Tag!', 'tag'],
    ['partnerId=ana', 'partnerId'],
    ['category=pressure&category=habit', 'category'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const res = await partners.b.client.get(`/api/review/critiques?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', field });
    expect(res.body.error.message).toEqual(expect.any(String));
  });

  it('refuses an unknown parameter with 400 naming it', async () => {
    const res = await partners.b.client.get('/api/review/critiques?foo=1');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_input');
    expect(res.body.error.message).toContain('foo');
  });

  it('asks for a session (401)', async () => {
    const anonymous = server.client();
    expect((await anonymous.get('/api/review/critiques')).status).toBe(401);
    expect((await anonymous.get('/api/review/patterns')).status).toBe(401);
    expect((await anonymous.get('/api/review/partners')).status).toBe(401);
  });
});

describe('Review partners', () => {
  it('names the partners of the critiques, for the Partner filter, without the exchanges', async () => {
    for (const [me, partner] of [
      [partners.b, partners.a],
      [partners.a, partners.b],
    ] as const) {
      const res = await me.client.get('/api/review/partners');
      expect(res.status, res.text).toBe(200);
      expect(reviewPartnersResponseSchema.parse(res.body)).toEqual({
        partners: [expect.objectContaining({ id: partner.user.id, displayName: partner.user.displayName })],
      });
    }
  });

  it('shows an outsider nobody', async () => {
    const res = await eve.client.get('/api/review/partners');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ partners: [] });
  });
});

describe('Review patterns', () => {
  it('counts critiques per region and tags per month', async () => {
    const res = await partners.b.client.get('/api/review/patterns');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(SPECS.length);
    expect(res.body.regions[0]).toEqual({ regionId: TRAP_LEFT, count: 3 });
    expect(res.body.regions).toEqual(
      expect.arrayContaining([
        { regionId: TRAP_RIGHT, count: 1 },
        { regionId: 'posterior-rhomboids-left', count: 1 },
        { regionId: 'anterior-quadriceps-left', count: 1 },
      ]),
    );
    expect(res.body.regions.reduce((sum: number, r: { count: number }) => sum + r.count, 0)).toBe(SPECS.length);
    expect(res.body.tagsByMonth).toEqual([
      { tag: 'good-pacing', month: '2026-10', count: 1 },
      { tag: 'rushing', month: '2026-10', count: 1 },
      { tag: 'sharp-elbow', month: '2026-10', count: 1 },
      { tag: 'tip-not-pad', month: '2026-10', count: 1 },
      { tag: 'sharp-elbow', month: '2026-11', count: 1 },
    ]);
  });

  it('applies the Review filter', async () => {
    const res = await partners.b.client.get('/api/review/patterns?role=given&category=pressure');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      regions: [
        { regionId: TRAP_LEFT, count: 2 },
        { regionId: TRAP_RIGHT, count: 1 },
      ],
      tagsByMonth: [
        { tag: 'sharp-elbow', month: '2026-10', count: 1 },
        { tag: 'sharp-elbow', month: '2026-11', count: 1 },
      ],
      total: 3,
    });
  });

  it.each([
    ['category=massage', 'category'],
    ['regionId=nowhere', 'regionId'],
    ['from=2026-12-01&to=2026-01-01', 'from'],
  ])('refuses %s with 400 naming %s', async (query, field) => {
    const res = await partners.b.client.get(`/api/review/patterns?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  it('refuses list-only and unknown parameters', async () => {
    for (const query of ['pageSize=10', 'sort=newest', 'foo=1']) {
      const res = await partners.b.client.get(`/api/review/patterns?${query}`);
      expect(res.status, query).toBe(400);
    }
  });
});

describe('carried-forward items', () => {
  const carried = async (client: TestClient, exchangeId: string) => {
    const res = await client.get(`/api/debriefs/${exchangeId}/carried-forward`);
    expect(res.status, res.text).toBe(200);
    return res.body.items as CritiqueView[];
  };

  it("lists the first debrief's open critiques (not praise, not resolved) at the second", async () => {
    const forBen = await carried(partners.b.client, secondId);
    expect(annotationIds(forBen)).toEqual(idsOf('m1', 'm2', 'm3', 'm5'));
    expect(forBen.every((i) => i.exchangeId === firstId && i.status === 'open')).toBe(true);
    expect(forBen.find((i) => i.annotationId === id('m1'))?.role).toBe('given');
    expect(forBen.find((i) => i.annotationId === id('m3'))?.role).toBe('received');

    const forAna = await carried(partners.a.client, secondId);
    expect(annotationIds(forAna)).toEqual(annotationIds(forBen));
    expect(forAna.find((i) => i.annotationId === id('m3'))?.role).toBe('given');

    // nothing came before the first debrief
    expect(await carried(partners.a.client, firstId)).toEqual([]);
  });

  it('resolves a mark of an earlier debrief from the server, in its document and in the record', async () => {
    const res = await partners.b.client.post(`/api/debriefs/${firstId}/annotations/${id('m1')}/status`, {
      status: 'resolved',
    });
    expect(res.status).toBe(204);

    const reopened = connect(partners.a.cookieHeader, firstId);
    await reopened.synced();
    const mark = readAnnotation(reopened.doc, id('m1'));
    expect(mark).toMatchObject({ status: 'resolved', statusChangedBy: partners.b.user.id });
    expect(mark?.statusChangedAt).toEqual(expect.any(Number));
    const thread = readThread(reopened.doc, id('m1'));
    expect(thread).toHaveLength(1);
    expect(thread[0]).toMatchObject({ kind: 'resolved', authorId: partners.b.user.id, annotationId: id('m1') });
    reopened.destroy();

    await eventually(async () =>
      expect(annotationIds(await carried(partners.b.client, secondId))).toEqual(idsOf('m2', 'm3', 'm5')),
    );
    const inReview = await critiques(partners.b.client, 'status=resolved');
    expect(annotationIds(inReview.items)).toEqual(idsOf('m1', 'm6'));
    const m1 = inReview.items.find((i) => i.annotationId === id('m1'));
    expect(m1?.thread).toEqual([expect.objectContaining({ kind: 'resolved', authorId: partners.b.user.id })]);
  });

  it('reopens it again, and it is carried forward again', async () => {
    const res = await partners.a.client.post(`/api/debriefs/${firstId}/annotations/${id('m1')}/status`, {
      status: 'open',
    });
    expect(res.status).toBe(204);
    await eventually(async () =>
      expect(annotationIds(await carried(partners.a.client, secondId))).toEqual(idsOf('m1', 'm2', 'm3', 'm5')),
    );
    const doc = connect(partners.b.cookieHeader, firstId);
    await doc.synced();
    expect(readAnnotation(doc.doc, id('m1'))).toMatchObject({ status: 'open', statusChangedBy: partners.a.user.id });
    expect(readThread(doc.doc, id('m1')).map((t) => t.kind)).toEqual(['resolved', 'reopened']);
    doc.destroy();
  });

  it('answers 404 for a mark that does not exist and 400 for a bad status', async () => {
    const missing = await partners.a.client.post(`/api/debriefs/${firstId}/annotations/no-such-mark/status`, {
      status: 'resolved',
    });
    expect(missing.status).toBe(404);

    for (const body of [{ status: 'closed' }, {}, { status: 'resolved', by: eve.user.id }]) {
      const bad = await partners.a.client.post(`/api/debriefs/${firstId}/annotations/${id('m2')}/status`, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.body.error.code).toBe('invalid_input');
    }
    const bad = await partners.a.client.post(`/api/debriefs/${firstId}/annotations/${id('m2')}/status`, {
      status: 'closed',
    });
    expect(bad.body.error.field).toBe('status');
  });

  it('gives an outsider 404 and changes nothing', async () => {
    expect((await eve.client.get(`/api/debriefs/${secondId}/carried-forward`)).status).toBe(404);
    const status = await eve.client.post(`/api/debriefs/${firstId}/annotations/${id('m2')}/status`, {
      status: 'resolved',
    });
    expect(status.status).toBe(404);
    expect((await eve.client.get('/api/debriefs/ffffffffffffffffffffffff/carried-forward')).status).toBe(404);
    expect((await eve.client.get('/api/debriefs/not-an-id/carried-forward')).status).toBe(404);
    const m2 = (await critiques(partners.a.client, 'pageSize=100')).items.find((i) => i.annotationId === id('m2'));
    expect(m2?.status).toBe('open');
  });

  it('asks for a session (401)', async () => {
    const anonymous = server.client();
    expect((await anonymous.get(`/api/debriefs/${secondId}/carried-forward`)).status).toBe(401);
    expect(
      (await anonymous.post(`/api/debriefs/${firstId}/annotations/${id('m2')}/status`, { status: 'resolved' })).status,
    ).toBe(401);
  });
});

describe('thread reads', () => {
  it('remembers when each person last read a thread, per person', async () => {
    const before = Date.now();
    const put = await partners.b.client.put(`/api/debriefs/${firstId}/reads`, { annotationId: id('m1') });
    expect(put.status).toBe(204);

    const mine = await partners.b.client.get(`/api/debriefs/${firstId}/reads`);
    expect(mine.status).toBe(200);
    const seenAt: string = mine.body.reads[id('m1')];
    expect(seenAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(Date.parse(seenAt)).toBeGreaterThanOrEqual(before - 1_000);
    expect(Object.keys(mine.body.reads)).toEqual([id('m1')]);

    // Ana has read nothing; the other debrief has no reads
    expect((await partners.a.client.get(`/api/debriefs/${firstId}/reads`)).body).toEqual({ reads: {} });
    expect((await partners.b.client.get(`/api/debriefs/${secondId}/reads`)).body).toEqual({ reads: {} });

    // reading again moves the time on, without a second entry
    await eventually(() => expect(Date.now()).toBeGreaterThan(Date.parse(seenAt)));
    expect((await partners.b.client.put(`/api/debriefs/${firstId}/reads`, { annotationId: id('m1') })).status).toBe(
      204,
    );
    const again = await partners.b.client.get(`/api/debriefs/${firstId}/reads`);
    expect(Object.keys(again.body.reads)).toEqual([id('m1')]);
    expect(Date.parse(again.body.reads[id('m1')])).toBeGreaterThan(Date.parse(seenAt));
  });

  it('refuses a bad body with 400', async () => {
    for (const body of [
      {},
      { annotationId: '' },
      { annotationId: 'x'.repeat(65) },
      { annotationId: 'a', extra: 1 },
      { annotationId: 'a.b' }, // would be a path in the stored map of markers
      { annotationId: '$set' },
    ]) {
      const res = await partners.b.client.put(`/api/debriefs/${firstId}/reads`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    const res = await partners.b.client.put(`/api/debriefs/${firstId}/reads`, {});
    expect(res.body.error.field).toBe('annotationId');
  });

  it('gives an outsider 404', async () => {
    expect((await eve.client.get(`/api/debriefs/${firstId}/reads`)).status).toBe(404);
    expect((await eve.client.put(`/api/debriefs/${firstId}/reads`, { annotationId: id('m1') })).status).toBe(404);
    expect(await server.connection.collection(`thread_reads_${partners.b.user.id}`).countDocuments({})).toBe(1);
  });

  it('renames the exchange id of review records stored by earlier versions (debriefId), once', async () => {
    const records = server.connection.collection(`review_${partners.a.user.id}`);
    const stored = await records.countDocuments({ exchangeId: { $exists: true } });
    expect(stored).toBeGreaterThan(0);
    await records.updateMany({}, { $rename: { exchangeId: 'debriefId' } });
    await server.connection.collection('migrations').deleteOne({ _id: 'review-records-exchange-id' as never });
    expect(await nameReviewRecordsByExchange(server.connection)).toBe(stored);
    expect(await records.countDocuments({ exchangeId: { $exists: true } })).toBe(stored);
    expect(await records.countDocuments({ debriefId: { $exists: true } })).toBe(0);
    expect(await nameReviewRecordsByExchange(server.connection)).toBe(0);
  });

  it('keeps read markers stored by earlier versions (moved once to the reader’s own collection)', async () => {
    const legacy = server.connection.collection('thread_reads');
    const seenAt = new Date('2026-11-20T10:00:00Z');
    await legacy.insertOne({
      userId: new mongoose.Types.ObjectId(partners.a.user.id),
      // the field name those versions wrote
      debriefId: new mongoose.Types.ObjectId(secondId),
      annotationId: 'legacy-mark',
      seenAt,
    });
    await server.connection.collection('migrations').deleteOne({ _id: 'thread-reads-per-user' as never });
    expect(await new ThreadReads(server.connection).moveLegacy()).toBe(1);
    const reads = await partners.a.client.get(`/api/debriefs/${secondId}/reads`);
    expect(reads.body.reads).toEqual({ 'legacy-mark': seenAt.toISOString() });
    expect(await new ThreadReads(server.connection).moveLegacy()).toBe(0);
  });
});
