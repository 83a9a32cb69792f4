import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  addAnnotation,
  addReply,
  readAnnotations,
  readThread,
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
