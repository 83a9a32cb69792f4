// What two real server processes behind one balancer must agree on besides live documents: the
// notes index and its sharing, partner discovery, the user cache, the booking lock, and the
// snapshots of a writer that stalled past its lease. Every change is made on one process and
// read, through the real endpoints, on the other.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import mongoose from 'mongoose';
import * as Y from 'yjs';
import { addAnnotation, readAnnotations } from '@kneadback/shared/docs/debrief-doc';
import { noteDocName } from '@kneadback/shared/docs/note-doc';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { mongoDocStore, snapshotCollectionName } from '../../server/src/collab/mongo-doc-store.ts';
import type { RedisConnections } from '../../server/src/scale/redis-connections.ts';
import { connectDebrief, type DebriefClient } from '../helpers/collab-client.ts';
import { createPartners, upperTrapeziusPressure } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { requestBody, daysFromNow } from '../helpers/exchange-requests.ts';
import { signUpUser, TestClient, type SignedUpUser } from '../helpers/http-client.ts';
import { notesCast, setTitle, type NotesCast } from '../helpers/notes.ts';
import { saveProfile } from '../helpers/profile-fixtures.ts';
import type { ServerProcess } from '../helpers/server-process.ts';
import { startTwoProcesses, stopTwoProcesses } from '../helpers/two-processes.ts';
import { withDatabaseName } from '../helpers/test-server.ts';

const dbUri = withDatabaseName(inject('mongoUri'), `kb_cluster_shared_${Date.now()}`);
let redis: RedisConnections;
let one: ServerProcess;
let two: ServerProcess;
let cast: NotesCast;
const clients: DebriefClient[] = [];

beforeAll(async () => {
  ({ redis, one, two } = await startTwoProcesses(dbUri));
  cast = await notesCast(one);
}, 90_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  one?.signal('SIGCONT');
  await stopTwoProcesses(dbUri, { redis, one, two });
});

/** `who`'s session, on process `proc`. */
function on(proc: ServerProcess, who: SignedUpUser) {
  const client = new TestClient(proc.url);
  const headers = { Cookie: who.cookieHeader };
  return {
    get: (path: string) => client.request('GET', path, undefined, { headers }),
    put: (path: string, body?: unknown) => client.request('PUT', path, body, { headers }),
    post: (path: string, body?: unknown) => client.request('POST', path, body, { headers }),
    patch: (path: string, body?: unknown) => client.request('PATCH', path, body, { headers }),
    delete: (path: string) => client.request('DELETE', path, undefined, { headers }),
  };
}

function live(proc: ServerProcess, who: SignedUpUser, docName: string): DebriefClient {
  const client = connectDebrief(proc.url, who.cookieHeader, docName);
  clients.push(client);
  return client;
}

it('decides access to a note by the sharing of the moment, whichever process changed it', async () => {
  const created = await on(one, cast.owner).post('/api/notes', { kind: 'technique', title: 'Forearm glide' });
  expect(created.status).toBe(201);
  const id = created.body.note.id as string;
  const path = `/api/notes/${id}`;
  // created and shared on one, read on two at once: no waiting for anything
  expect((await on(two, cast.reader).get(path)).status).toBe(404);
  expect((await on(one, cast.owner).put(`${path}/shares/${cast.reader.user.id}`, { role: 'reader' })).status).toBe(200);
  expect((await on(two, cast.reader).get(path)).status).toBe(200);
  const reading = live(two, cast.reader, noteDocName(id));
  await reading.synced();

  // revoked on one: refused on two at once, and the live connection there is closed
  expect((await on(one, cast.owner).delete(`${path}/shares/${cast.reader.user.id}`)).status).toBe(200);
  expect((await on(two, cast.reader).get(path)).status).toBe(404);
  await eventually(() => expect(reading.closes.map((c) => c.code)).toContain(CollabCloseCode.forbidden));

  // published on two: the community reads it on one; withdrawn on one: gone on two
  expect((await on(two, cast.owner).put(`${path}/community`, { published: true })).status).toBe(200);
  expect((await on(one, cast.community).get(path)).status).toBe(200);
  expect((await on(one, cast.owner).put(`${path}/community`, { published: false })).status).toBe(200);
  expect((await on(two, cast.community).get(path)).status).toBe(404);
});

it('finds a note on the other process by the title its writer just projected', async () => {
  const created = await on(one, cast.owner).post('/api/notes', { kind: 'technique', title: 'Draft' });
  const id = created.body.note.id as string;
  const editing = live(one, cast.owner, noteDocName(id));
  await editing.synced();
  setTitle(editing.doc, 'Scapular rocking');
  const search = () => on(two, cast.owner).get('/api/notes?q=scapular');
  // the writer projects a second after the last keystroke; the other process knows it right after
  await eventually(async () => expect((await search()).body.items.map((n: { id: string }) => n.id)).toEqual([id]), {
    timeout: 5_000,
  });
});

it('shows a name changed on one process on the other at once, and forgets a deleted account there', async () => {
  const [ana, ben, cleo] = await Promise.all(['Ana', 'Ben', 'Cleo'].map((n) => signUpUser(one, n)));
  // two reads (and caches) Ana as she is
  expect((await on(two, ana!).get('/api/auth/me')).body.user.displayName).toBe('Ana');
  expect((await on(one, ana!).patch('/api/auth/me', { displayName: 'Ana Lima' })).status).toBe(200);
  expect((await on(two, ana!).get('/api/auth/me')).body.user.displayName).toBe('Ana Lima');

  // Ben blocks Ana on two (two caches her as an account), then she deletes her account on one
  expect((await on(two, ben!).post('/api/blocks', { userId: ana!.user.id })).status).toBeLessThan(300);
  const deleted = await on(one, ana!).post('/api/account/delete', { password: ana!.password });
  expect(deleted.status).toBeLessThan(300);
  // on two she is nobody at once: Cleo cannot block an account that no longer exists
  expect((await on(two, cleo!).post('/api/blocks', { userId: ana!.user.id })).status).toBe(404);
  expect((await on(two, ana!).get('/api/auth/me')).status).toBe(401);
});

it('finds a profile saved on one process in the other’s search, and hides it there once blocked', async () => {
  const [dana, eli] = await Promise.all(['Dana', 'Eli'].map((n) => signUpUser(one, n)));
  const specialty = `scar-${randomBytes(3).toString('hex')}`;
  await saveProfile(dana!, { specialties: [specialty] });
  const found = async () =>
    ((await on(two, eli!).get(`/api/partners?specialty=${specialty}`)).body.results as { id: string }[]).map(
      (r) => r.id,
    );
  expect(await found()).toEqual([dana!.user.id]);
  expect((await on(one, dana!).post('/api/blocks', { userId: eli!.user.id })).status).toBeLessThan(300);
  expect(await found()).toEqual([]);
  expect((await on(one, dana!).delete(`/api/blocks/${eli!.user.id}`)).status).toBeLessThan(300);
  expect(await found()).toEqual([dana!.user.id]);
});

it('books one slot once when its two requests are accepted at the same moment on different processes', async () => {
  const [ana, ben, cleo] = await Promise.all(['Ana', 'Ben', 'Cleo'].map((n) => signUpUser(one, n)));
  for (const day of [4, 5, 6]) {
    const startsAt = daysFromNow(day);
    const fromAna = await ana!.client.post('/api/exchange-requests', requestBody(ben!, { startsAt }));
    const fromCleo = await cleo!.client.post('/api/exchange-requests', requestBody(ben!, { startsAt }));
    expect([fromAna.status, fromCleo.status]).toEqual([201, 201]);
    const answers = await Promise.all([
      on(one, ben!).post(`/api/exchange-requests/${fromAna.body.request.id}/accept`),
      on(two, ben!).post(`/api/exchange-requests/${fromCleo.body.request.id}/accept`),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
  }
});

it('refuses the late snapshot of a writer stopped past its lease: the new writer’s content stays stored', async () => {
  const partners = await createPartners(one);
  const docId = partners.exchangeId;
  const marks = (doc: Y.Doc) =>
    readAnnotations(doc)
      .map((a) => a.text)
      .sort();
  const a = live(one, partners.a, docId);
  await a.synced(); // one opens the debrief first: it writes
  const b = live(two, partners.b, docId);
  await b.synced();
  const instanceOf = async (proc: ServerProcess) =>
    ((await (await fetch(`${proc.url}/healthz`)).json()) as { instance: string }).instance;
  const [instanceOne, instanceTwo] = [await instanceOf(one), await instanceOf(two)];
  await eventually(async () => expect(await redis.commands.get(`kb:lease:${docId}`)).toBe(instanceOne));
  addAnnotation(a.doc, partners.a.user.id, { ...upperTrapeziusPressure, text: 'a before' });
  await eventually(() => expect(marks(b.doc)).toContain('a before'));

  one.signal('SIGSTOP');
  try {
    // while nobody writes: Ben's mark is in two's memory only, until two takes the lease over
    addAnnotation(b.doc, partners.b.user.id, { ...upperTrapeziusPressure, round: 2, text: 'b while one stalls' });
    await eventually(async () => expect(await redis.commands.get(`kb:lease:${docId}`)).toBe(instanceTwo), {
      timeout: 15_000,
      interval: 200,
    });
    addAnnotation(b.doc, partners.b.user.id, { ...upperTrapeziusPressure, round: 2, text: 'b after takeover' });
  } finally {
    one.signal('SIGCONT');
  }
  const connection = await mongoose.createConnection(dbUri).asPromise();
  try {
    const stored = async () => {
      const doc = new Y.Doc();
      for (const u of (await mongoDocStore(connection).load(docId)).updates) Y.applyUpdate(doc, u);
      return marks(doc);
    };
    const all = ['a before', 'b after takeover', 'b while one stalls'];
    await eventually(async () => expect(await stored()).toEqual(all), { timeout: 10_000 });
    // the snapshot is the new writer's, under its epoch, and stays so once one is awake again
    const epoch = Number(await redis.commands.get(`kb:lease:epoch:${docId}`));
    const row = () => connection.collection(snapshotCollectionName(docId)).findOne({ _id: docId as never });
    await eventually(async () => expect((await row())?.epoch).toBe(epoch), { timeout: 10_000 });
    await eventually(() => expect(marks(a.doc)).toEqual(all), { timeout: 10_000 });
    // one, awake, closes the debrief (its clients leave, it shuts down): nothing it writes replaces two's
    a.destroy();
    await one.kill('SIGTERM');
    expect((await row())?.epoch).toBe(epoch);
    expect(await stored()).toEqual(all);
  } finally {
    await connection.close();
  }
});
