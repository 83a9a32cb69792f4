import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  COLLAB_PATH_PREFIX,
  CollabCloseCode,
  MAX_CONNECTIONS_PER_ADDRESS,
  MAX_CONNECTIONS_PER_USER,
} from '@kneadback/shared/collab-protocol';
import { upgradeAnswer } from '../../../../tests/helpers/collab-client.ts';
import type { CollabUser } from '../connection.ts';
import {
  ANA,
  BEN,
  FORBIDDEN_DOC,
  MISSING_DOC,
  closeOf,
  cookieFor,
  eventually,
  newServer,
  type CoreServer,
} from './core-server.ts';

let server: CoreServer;
afterEach(() => server?.stop());

const someone = (i: number): CollabUser => ({ id: `${i}`.padStart(24, 'c'), displayName: `person ${i}` });

describe('who may connect', () => {
  it.each([
    ['without a session', null, undefined, CollabCloseCode.unauthenticated],
    ["to someone else's document", BEN, FORBIDDEN_DOC, CollabCloseCode.forbidden],
    ['to a document that does not exist', BEN, MISSING_DOC, CollabCloseCode.notFound],
  ])('refuses a socket %s with its close code', async (_what, user, docId, code) => {
    server = await newServer();
    expect((await closeOf(await server.raw(user, docId))).code).toBe(code);
    expect(server.hub.stats().connections).toBe(0);
  });

  it('answers an upgrade from a page on another site with 403', async () => {
    server = await newServer();
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}${COLLAB_PATH_PREFIX}debrief-1`, {
      headers: { cookie: cookieFor(ANA), origin: 'https://elsewhere.example' },
    });
    const status = await new Promise<number | undefined>((resolve) =>
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode)),
    );
    expect(status).toBe(403);
  });

  it('answers an upgrade to a path that is not valid percent-encoding with 400', async () => {
    server = await newServer();
    const answer = await upgradeAnswer(server.url, `${COLLAB_PATH_PREFIX}%`);
    expect(answer).toMatch(/^HTTP\/1.1 400/);
  });
});

describe('connection limits', () => {
  it(`refuses an account's connection past ${MAX_CONNECTIONS_PER_USER} with 4429, and takes one again after a close`, async () => {
    server = await newServer();
    const open = await Promise.all(
      Array.from({ length: MAX_CONNECTIONS_PER_USER }, () => server.raw(ANA, undefined, 'message')),
    );
    expect((await closeOf(await server.raw(ANA))).code).toBe(CollabCloseCode.tooManyConnections);
    // another account from the same address is not affected
    await server.raw(BEN, undefined, 'message');
    open[0]!.close();
    await eventually(() => expect(server.hub.stats().connections).toBe(MAX_CONNECTIONS_PER_USER));
    await server.raw(ANA, undefined, 'message');
  });

  it(`refuses an address's connection past ${MAX_CONNECTIONS_PER_ADDRESS} with 4429`, async () => {
    server = await newServer();
    const people = MAX_CONNECTIONS_PER_ADDRESS / MAX_CONNECTIONS_PER_USER;
    await Promise.all(
      Array.from({ length: MAX_CONNECTIONS_PER_ADDRESS }, (_, i) =>
        server.raw(someone(i % people), `doc-${i % 7}`, 'message'),
      ),
    );
    expect(server.hub.stats().connections).toBe(MAX_CONNECTIONS_PER_ADDRESS);
    const oneMore = await server.raw(someone(people), undefined);
    expect(await closeOf(oneMore)).toEqual({
      code: CollabCloseCode.tooManyConnections,
      reason: 'too many connections from this address',
    });
  });
});

describe('who may stay connected', () => {
  it("closes a session's connections when it signs out with 4401, and only that session's", async () => {
    server = await newServer();
    const { ana, ben } = await server.partners();
    server.hub.closeSession(ANA.sessionKey!);
    await eventually(() => expect(ana.closes.map((c) => c.code)).toEqual([CollabCloseCode.unauthenticated]));
    expect(ben.closes).toEqual([]);
    expect(ben.provider.wsconnected).toBe(true);
  });

  it('closes every connection with 1012 on shutdown', async () => {
    server = await newServer();
    const ana = server.connect(ANA);
    await ana.synced();
    await server.hub.close();
    await eventually(() => expect(ana.closes.map((c) => c.code)).toContain(CollabCloseCode.serverRestarting));
  });
});
