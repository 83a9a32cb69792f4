import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  addAnnotation,
  addReply,
  readAnnotations,
  readThread,
  setAnnotationStatus,
  updateAnnotation,
} from '@kneadback/shared/docs/debrief-doc';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let partners: Partners;
const clients: DebriefClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  partners = await createPartners(server);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

it('a partner who goes offline, edits, and comes back converges with the other’s concurrent edits', async () => {
  const a = connectDebrief(server.url, partners.a.cookieHeader, partners.exchangeId);
  const b = connectDebrief(server.url, partners.b.cookieHeader, partners.exchangeId);
  clients.push(a, b);
  await Promise.all([a.synced(), b.synced()]);
  const shared = addAnnotation(a.doc, partners.a.user.id, upperTrapeziusPressure);
  await eventually(() => expect(readAnnotations(b.doc)).toHaveLength(1));

  b.provider.disconnect(); // B's Wi-Fi drops in the treatment room
  const offlineMark = addAnnotation(b.doc, partners.b.user.id, {
    ...upperTrapeziusPressure,
    round: 2,
    text: 'offline',
  });
  updateAnnotation(b.doc, shared.id, { tags: ['rushing'] });
  addReply(b.doc, shared.id, partners.b.user.id, { text: 'written offline' });
  // meanwhile A keeps going
  updateAnnotation(a.doc, shared.id, { text: 'edited while B was away' });
  const onlineMark = addAnnotation(a.doc, partners.a.user.id, {
    ...upperTrapeziusPressure,
    category: 'praise',
    pressure: null,
    verdict: null,
  });

  b.provider.connect();
  await eventually(() => {
    expect(readAnnotations(a.doc)).toEqual(readAnnotations(b.doc));
    expect(readThread(a.doc)).toEqual(readThread(b.doc));
  });
  const merged = readAnnotations(a.doc);
  expect(merged.map((x) => x.id).sort()).toEqual([shared.id, offlineMark.id, onlineMark.id].sort());
  expect(merged.find((x) => x.id === shared.id)).toMatchObject({ text: 'edited while B was away', tags: ['rushing'] });
  expect(readThread(a.doc, shared.id).map((t) => t.text)).toEqual(['written offline']);
});

it('what an offline device wrote earlier, on a clock running late, is kept after the partner’s newer words arrived first', async () => {
  const pair = await createPartners(server);
  const a = connectDebrief(server.url, pair.a.cookieHeader, pair.exchangeId);
  const b = connectDebrief(server.url, pair.b.cookieHeader, pair.exchangeId);
  clients.push(a, b);
  await Promise.all([a.synced(), b.synced()]);
  const shared = addAnnotation(a.doc, pair.a.user.id, upperTrapeziusPressure);
  await eventually(() => expect(readAnnotations(b.doc)).toHaveLength(1));

  b.provider.disconnect();
  // B's tablet runs 45 minutes late: everything it writes offline is dated before A's mark
  const late = shared.createdAt - 45 * 60_000;
  const offlineReply = addReply(b.doc, shared.id, pair.b.user.id, { text: 'written offline' }, { now: late });
  setAnnotationStatus(b.doc, shared.id, 'resolved', pair.b.user.id, { now: late + 1_000 });
  const offlineMark = addAnnotation(b.doc, pair.b.user.id, { ...upperTrapeziusPressure, round: 2 }, { now: late });
  const newer = addReply(a.doc, shared.id, pair.a.user.id, { text: 'how did it feel?' });
  await eventually(async () => {
    const stored = await pair.a.client.get('/api/review/critiques');
    expect(stored.body.items[0]?.replyCount).toBe(1);
  });

  b.provider.connect();
  await eventually(() => {
    expect(readThread(a.doc, shared.id).map((t) => t.id)).toEqual([offlineReply.id, expect.any(String), newer.id]);
    expect(readAnnotations(a.doc).map((m) => m.id)).toContain(offlineMark.id);
  });
  expect(readAnnotations(a.doc).find((m) => m.id === shared.id)).toMatchObject({ status: 'resolved' });
  expect(b.closes, "B's connection was not refused").toEqual([]);
});
