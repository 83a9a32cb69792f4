// The collab core on its own, for its tests: a CollabHub on port 0 over an in-memory store, with
// stand-in hooks (no database, no accounts), reached by real y-websocket clients and raw sockets.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type WebSocket from 'ws';
import { debriefKind } from '@kneadback/shared/docs/debrief-rules';
import type { AnnotationInput } from '@kneadback/shared/schemas/annotation';
import { upperTrapeziusPressure } from '../../../../tests/helpers/debrief-fixtures.ts';
import {
  closeOf,
  connectDebrief,
  rawCollabSocket,
  type DebriefClient,
} from '../../../../tests/helpers/collab-client.ts';
import { createLogger } from '../../logger.ts';
import { CollabHub, type CollabHooks, type CollabHubOptions } from '../hub.ts';
import { MemoryDocStore, type DocStore } from '../doc-store.ts';
import { UpdateWriter } from '../update-writer.ts';
import type { CollabUser } from '../connection.ts';

export { closeOf };
export { eventually } from '../../../../tests/helpers/eventually.ts';

export const ANA: CollabUser = { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', displayName: 'Ana', sessionKey: 'ana-tablet' };
export const BEN: CollabUser = { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', displayName: 'Ben', sessionKey: 'ben-tablet' };
export const DOC = 'debrief-1';
/** A document the stand-in hooks say is someone else's, and one they say does not exist. */
export const FORBIDDEN_DOC = 'forbidden-debrief';
export const MISSING_DOC = 'missing-debrief';

/** The request's user travels in a cookie, as the app's session does: `user=<id>`. */
export function cookieFor(user: CollabUser): string {
  return `user=${user.id}`;
}

/** Presence naming the sender is relayed as sent; anything else is dropped (the app parses it with a schema). */
function presenceToRelay(state: unknown, { user }: { user: CollabUser }): object | null {
  const named = (state as { user?: { id?: unknown } }).user?.id;
  return named === user.id ? (state as object) : null;
}

function standInHooks(): CollabHooks {
  const users = new Map([ANA, BEN].map((u) => [u.id, u]));
  return {
    async authenticate(req) {
      const id = /(?:^|;\s*)user=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
      if (!id) return null;
      return users.get(id) ?? { id, displayName: `user ${id}` };
    },
    async authorize(_user, docId) {
      if (docId === FORBIDDEN_DOC) return 'forbidden';
      return docId === MISSING_DOC ? 'not-found' : 'allowed';
    },
    clientAddress: (req) => req.socket.remoteAddress ?? 'unknown',
    kindOf: () => debriefKind,
    presenceToRelay,
  };
}

export interface CoreServer {
  url: string;
  hub: CollabHub;
  store: DocStore;
  writer: UpdateWriter;
  /** A y-websocket client (the provider the app uses) for `user` on `docId`. */
  connect(user: CollabUser, docId?: string): DebriefClient;
  /** Ana and Ben on `docId`, both synced. */
  partners(docId?: string): Promise<{ ana: DebriefClient; ben: DebriefClient }>;
  /**
   * A raw socket for `user` on `docId`, resolved once open, or once greeted by the server's
   * first message ('message': access decided, the room loaded, messages now handled one by one).
   */
  raw(user: CollabUser | null, docId?: string, until?: 'open' | 'message'): Promise<WebSocket>;
  /** Stops clients, the hub (storing everything) and the HTTP server. */
  stop(): Promise<void>;
}

export interface CoreServerOptions extends Partial<Omit<CollabHubOptions, 'hooks'>> {
  hooks?: Partial<CollabHooks>;
}

export async function newServer(options: CoreServerOptions = {}): Promise<CoreServer> {
  const logger = createLogger('silent');
  const store = options.store ?? new MemoryDocStore();
  const writer = options.writer ?? new UpdateWriter(store, logger);
  const hub = new CollabHub({
    unloadDelayMs: 50,
    ...options,
    store,
    writer,
    logger,
    hooks: { ...standInHooks(), ...options.hooks },
  });
  const httpServer = http.createServer((_req, res) => res.writeHead(404).end());
  httpServer.on('upgrade', (req, socket, head) => {
    if (!hub.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  const clients: DebriefClient[] = [];
  const sockets: WebSocket[] = [];
  let stopped: Promise<void> | undefined;
  const connect = (user: CollabUser, docId = DOC) => {
    const client = connectDebrief(url, cookieFor(user), docId);
    clients.push(client);
    return client;
  };
  return {
    url,
    hub,
    store,
    writer,
    connect,
    async partners(docId = DOC) {
      const [ana, ben] = [connect(ANA, docId), connect(BEN, docId)];
      await Promise.all([ana.synced(), ben.synced()]);
      return { ana, ben };
    },
    async raw(user, docId = DOC, until = 'open') {
      const ws = rawCollabSocket(url, user ? cookieFor(user) : '', docId);
      sockets.push(ws);
      await new Promise((resolve, reject) => {
        ws.once(until, resolve);
        ws.once('error', reject);
      });
      return ws;
    },
    stop: () =>
      (stopped ??= (async () => {
        for (const c of clients) c.destroy();
        for (const ws of sockets) ws.terminate();
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await hub.close();
        httpServer.closeAllConnections();
        await closed;
      })()),
  };
}

/** A valid mark with `text` (the app's reference critique otherwise). */
export function markInput(text: string): AnnotationInput {
  return { ...upperTrapeziusPressure, text };
}
