import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { messageSync } from 'y-websocket';
import { addAnnotation, readAnnotations, updateAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { CollabCloseCode, MAX_COLLAB_MESSAGE_BYTES, MAX_CONNECTIONS_PER_USER } from '@kneadback/shared/collab-protocol';
import { regionById } from '@kneadback/shared/body/index';
import {
  closeOf,
  connectDebrief,
  rawCollabSocket,
  upgradeAnswer,
  type DebriefClient,
} from '../helpers/collab-client.ts';
import { createPartners, upperTrapeziusPressure, type Partners } from '../helpers/debrief-fixtures.ts';
import { snapshotCollectionName } from '../../server/src/collab/mongo-doc-store.ts';
import { ReviewShards } from '../../server/src/features/review/review-shards.ts';
import { eventually } from '../helpers/eventually.ts';
import { syncUpdateMessage } from '../helpers/sync-messages.ts';
import { signUpUser } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let partners: Partners;
const clients: DebriefClient[] = [];

function connect(cookie: string, exchangeId = partners.exchangeId): DebriefClient {
  const client = connectDebrief(server.url, cookie, exchangeId);
  clients.push(client);
  return client;
}

/** A message of a type y-websocket does not have (its types are 0 to 3). */
function unknownTypeMessage(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 9);
  encoding.writeVarUint(encoder, 0);
  return encoding.toUint8Array(encoder);
}

/** A sync update message that promises 200 bytes and carries two. */
function truncatedUpdateMessage(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, messageSync);
  encoding.writeVarUint(encoder, syncProtocol.messageYjsUpdate);
  encoding.writeVarUint(encoder, 200);
  encoding.writeUint8Array(encoder, Uint8Array.from([2, 3]));
  return encoding.toUint8Array(encoder);
}

beforeAll(async () => {
  server = await startTestServer({}, { unloadDelayMs: 50 });
  partners = await createPartners(server);
});

afterAll(async () => {
  for (const c of clients) c.destroy();
  await server?.stop();
});

describe('live debrief between two partners', () => {
  it("shows one partner's mark to the other with its region, and the other's edit back", async () => {
    const a = connect(partners.a.cookieHeader);
    const b = connect(partners.b.cookieHeader);
    await Promise.all([a.synced(), b.synced()]);

    const mark = addAnnotation(a.doc, partners.a.user.id, upperTrapeziusPressure);
    const seen = await eventually(() => {
      const found = readAnnotations(b.doc).find((x) => x.id === mark.id);
      expect(found).toBeDefined();
      return found!;
    });
    expect(seen).toMatchObject({
      category: 'pressure',
      pressure: 8,
      verdict: 'too-deep',
      authorId: partners.a.user.id,
    });
    expect(regionById(seen.position.regionId)?.label).toBe('Left upper trapezius');
    expect(regionById(seen.position.regionId)?.view).toBe('posterior');

    updateAnnotation(b.doc, mark.id, { text: 'Agreed, ease off there' });
    await eventually(() =>
      expect(readAnnotations(a.doc).find((x) => x.id === mark.id)?.text).toBe('Agreed, ease off there'),
    );
  });

  it('keeps the queryable record of annotations in step with the document', async () => {
    const a = connect(partners.a.cookieHeader);
    await a.synced();
    const mark = addAnnotation(a.doc, partners.a.user.id, { ...upperTrapeziusPressure, text: 'projected' });
    const shards = new ReviewShards(server.connection);
    const _id = `${partners.exchangeId}:${mark.id}`;
    await eventually(async () => {
      const given = await shards.of(partners.a.user.id).findOne({ _id });
      expect(given).toMatchObject({ regionId: 'posterior-upper-trapezius-left', pressure: 8, text: 'projected' });
      expect(given).toMatchObject({ role: 'given', partnerId: partners.b.user.id });
      const received = await shards.of(partners.b.user.id).findOne({ _id });
      expect(received).toMatchObject({ regionId: 'posterior-upper-trapezius-left', pressure: 8, text: 'projected' });
      expect(received).toMatchObject({ role: 'received', partnerId: partners.a.user.id });
    });
  });
});

describe('who may connect', () => {
  it("refuses an outsider's connection with a reason", async () => {
    const eve = await signUpUser(server, 'Eve');
    const ws = rawCollabSocket(server.url, eve.cookieHeader, partners.exchangeId);
    expect(await closeOf(ws)).toEqual({ code: CollabCloseCode.forbidden, reason: 'not a partner of this exchange' });
  });

  it('refuses a connection without a session', async () => {
    const ws = rawCollabSocket(server.url, '', partners.exchangeId);
    expect((await closeOf(ws)).code).toBe(CollabCloseCode.unauthenticated);
  });

  it('refuses a debrief that does not exist', async () => {
    const ws = rawCollabSocket(server.url, partners.a.cookieHeader, 'ffffffffffffffffffffffff');
    expect((await closeOf(ws)).code).toBe(CollabCloseCode.notFound);
  });
});

describe('hostile or broken messages', () => {
  async function openRaw(): Promise<import('ws').WebSocket> {
    const ws = rawCollabSocket(server.url, partners.a.cookieHeader, partners.exchangeId);
    await new Promise((resolve) => ws.once('open', resolve));
    return ws;
  }

  async function expectPartnersUnharmed(): Promise<void> {
    const b = connect(partners.b.cookieHeader);
    await b.synced();
    const before = readAnnotations(b.doc).length;
    const a = connect(partners.a.cookieHeader);
    await a.synced();
    addAnnotation(a.doc, partners.a.user.id, { ...upperTrapeziusPressure, text: 'still working' });
    await eventually(() => expect(readAnnotations(b.doc)).toHaveLength(before + 1));
    const health = await server.client().get('/healthz');
    expect(health.status).toBe(200);
  }

  it.each([
    ['garbage bytes', truncatedUpdateMessage()],
    ['an unknown message type', unknownTypeMessage()],
    ['a truncated update', syncUpdateMessage(Y.encodeStateAsUpdate(new Y.Doc())).slice(0, 2)],
    ['a zero-length update (yjs#498)', syncUpdateMessage(new Uint8Array(0))],
  ])('closes the connection that sends %s and carries on', async (_what, bytes) => {
    const ws = await openRaw();
    ws.send(bytes);
    expect((await closeOf(ws)).code).toBe(CollabCloseCode.malformedMessage);
    await expectPartnersUnharmed();
  });

  it('closes the connection that sends a text frame', async () => {
    const ws = await openRaw();
    ws.send('hello');
    expect((await closeOf(ws)).code).toBe(CollabCloseCode.malformedMessage);
  });

  it('closes the connection that sends more than the size limit', async () => {
    const ws = await openRaw();
    ws.send(new Uint8Array(MAX_COLLAB_MESSAGE_BYTES + 1));
    expect((await closeOf(ws)).code).toBe(CollabCloseCode.tooLarge);
    await expectPartnersUnharmed();
  });

  it('refuses a mark whose author is forged, and stores nothing of it', async () => {
    const forger = new Y.Doc();
    const forged = addAnnotation(forger, partners.a.user.id, { ...upperTrapeziusPressure, text: 'forged' });
    const ws = rawCollabSocket(server.url, partners.b.cookieHeader, partners.exchangeId);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(syncUpdateMessage(Y.encodeStateAsUpdate(forger)));
    expect((await closeOf(ws)).code).toBe(CollabCloseCode.refusedUpdate);

    const a = connect(partners.a.cookieHeader);
    await a.synced();
    expect(readAnnotations(a.doc).some((x) => x.id === forged.id)).toBe(false);
    for (const partner of [partners.a, partners.b]) {
      const review = new ReviewShards(server.connection).of(partner.user.id);
      expect(await review.findOne({ _id: `${partners.exchangeId}:${forged.id}` })).toBeNull();
    }
  });
});

describe('who may stay connected', () => {
  it("closes a session's live debriefs when it signs out, and only that session's", async () => {
    const pair = await createPartners(server);
    const user = pair.b;
    const otherDevice = server.client();
    const login = await otherDevice.post('/api/auth/login', { email: user.email, password: user.password });
    expect(login.status).toBe(200);
    const phone = connect(otherDevice.cookieHeader, pair.exchangeId);
    const tablet = rawCollabSocket(server.url, user.cookieHeader, pair.exchangeId);
    await Promise.all([phone.synced(), new Promise((resolve) => tablet.once('open', resolve))]);
    const closed = closeOf(tablet);
    // keep the other session's connection: it must stay open
    expect((await otherDevice.post('/api/auth/logout')).status).toBe(204);
    await eventually(() => expect(phone.closes.map((c) => c.code)).toContain(CollabCloseCode.unauthenticated));
    expect(tablet.readyState).toBe(tablet.OPEN);
    tablet.close();
    await closed;
  });

  it(`refuses more than ${MAX_CONNECTIONS_PER_USER} open connections for one account`, async () => {
    const pair = await createPartners(server);
    const open = () => rawCollabSocket(server.url, pair.a.cookieHeader, pair.exchangeId);
    const before = server.collab.stats().connections;
    const sockets = Array.from({ length: MAX_CONNECTIONS_PER_USER }, open);
    // opened is not yet admitted: wait until the server counts them all
    await eventually(() => expect(server.collab.stats().connections).toBe(before + MAX_CONNECTIONS_PER_USER));
    expect((await closeOf(open())).code).toBe(CollabCloseCode.tooManyConnections);
    sockets[0]!.close();
    await eventually(() => expect(server.collab.stats().connections).toBe(before + MAX_CONNECTIONS_PER_USER - 1));
    const again = open();
    await new Promise((resolve) => again.once('open', resolve));
    await eventually(() => expect(server.collab.stats().connections).toBe(before + MAX_CONNECTIONS_PER_USER));
    for (const ws of [...sockets, again]) ws.close();
  });

  it('answers an upgrade to a path that is not valid percent-encoding with 400, and keeps serving', async () => {
    const answer = await upgradeAnswer(server.url, '/collab/%');
    expect(answer).toMatch(/^HTTP\/1.1 400/);
    expect((await server.client().get('/healthz')).status).toBe(200);
  });

  it('makes an account whose change was refused wait before it reconnects', async () => {
    const pair = await createPartners(server);
    const forger = new Y.Doc();
    addAnnotation(forger, pair.a.user.id, { ...upperTrapeziusPressure, text: 'forged again' });
    const ws = rawCollabSocket(server.url, pair.b.cookieHeader, pair.exchangeId);
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(syncUpdateMessage(Y.encodeStateAsUpdate(forger)));
    expect((await closeOf(ws)).code).toBe(CollabCloseCode.refusedUpdate);
    const straightBack = rawCollabSocket(server.url, pair.b.cookieHeader, pair.exchangeId);
    expect((await closeOf(straightBack)).code).toBe(CollabCloseCode.tooManyMessages);
    // the pause is short: a real client's backoff gets it back in
    const later = await eventually(
      async () => {
        const b = connectDebrief(server.url, pair.b.cookieHeader, pair.exchangeId);
        clients.push(b);
        await b.synced();
        return b;
      },
      { timeout: 10_000 },
    );
    expect(later.provider.wsconnected).toBe(true);
  });
});

describe('persistence', () => {
  it('loads the stored document before answering, so a returning client gets no duplicates', async () => {
    const fresh = await createPartners(server, '2026-11-28');
    const first = connect(fresh.a.cookieHeader, fresh.exchangeId);
    await first.synced();
    for (let i = 0; i < 5; i++)
      addAnnotation(first.doc, fresh.a.user.id, { ...upperTrapeziusPressure, text: `mark ${i}` });
    await eventually(async () =>
      expect(
        await new ReviewShards(server.connection).of(fresh.a.user.id).countDocuments({ exchangeId: fresh.exchangeId }),
      ).toBe(5),
    );
    first.destroy();
    // the room unloads (unloadDelayMs is short here); the next client loads it from the database
    await eventually(() => expect(server.collab.loadedDoc(fresh.exchangeId)).toBeUndefined());
    // unloading folded everything into one snapshot and marked the document cleanly closed
    const snapshot = await server.connection
      .collection(snapshotCollectionName(fresh.exchangeId))
      .findOne({ _id: fresh.exchangeId as never });
    expect(snapshot).toMatchObject({ open: false, upToSeq: expect.any(Number) });
    expect(snapshot?.upToSeq).toBeGreaterThanOrEqual(5);

    const second = connect(fresh.b.cookieHeader, fresh.exchangeId);
    await second.synced();
    expect(
      readAnnotations(second.doc)
        .map((x) => x.text)
        .sort(),
    ).toEqual(['mark 0', 'mark 1', 'mark 2', 'mark 3', 'mark 4']);
  });
});
