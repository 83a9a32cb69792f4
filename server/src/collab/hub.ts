import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type * as Y from 'yjs';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  COLLAB_PATH_PREFIX,
  CollabCloseCode,
  MAX_COLLAB_MESSAGE_BYTES,
  MAX_CONNECTIONS_PER_ADDRESS,
  MAX_CONNECTIONS_PER_USER,
} from '@kneadback/shared/collab-protocol';
import type { DocKind } from '@kneadback/shared/docs/doc-guard';
import { AppError } from '../http/errors.ts';
import { sameOrigin } from '../http/origin.ts';
import { MemoryHitCounts, type HitCounts } from '../http/rate-limit.ts';
import type { Logger } from '../logger.ts';
import { CollabConnection, closeUntilDatabaseAnswers, type CollabUser, type ConnectionChecks } from './connection.ts';
import type { DocStore } from './doc-store.ts';
import { DatabaseUnavailableError, DocRoom } from './room.ts';
import type { UpdateWriter } from './update-writer.ts';

/** What a socket may send before its access is decided: a real client sends a handful of small messages. */
const MAX_EARLY_MESSAGES = 64;
const MAX_EARLY_BYTES = 2 * 1024 * 1024;
/**
 * After a refused change the sender waits before reconnecting: 0.5 s, doubling per refusal up
 * to a minute, forgotten after ten quiet minutes. Judging and refusing a large change costs the
 * server tens of milliseconds, so a script resending one in a loop must not get to repeat it.
 */
const REFUSAL_PAUSE_MS = 500;
const MAX_REFUSAL_PAUSE_MS = 60_000;
const REFUSALS_FORGOTTEN_AFTER_MS = 10 * 60_000;
const refusalsKey = (userId: string) => `collab-refusals:${userId}`;
/**
 * Stored updates between an open document's snapshots. Each snapshot is one database write of
 * its own, while group commit stores every document's updates together: at 2,000 edits/s the
 * appends took about 35 writes a second and snapshots every 50 updates 40 more (bursts of them
 * held appends up to 0.25 s). Every 200: 10 a second. The log a snapshot leaves behind is read
 * only after a crash (200 small updates replay in milliseconds), and a quiet document is
 * snapshotted after staleCompactionMs anyway.
 */
export const COMPACT_EVERY = 200;
/** An open document nobody changed for this long keeps no judging copy (rebuilt on the next change). */
const GUARD_REST_AFTER_MS = 60_000;

/** `read-only`: may connect and follow live edits, never change the document. */
export type AccessDecision = 'allowed' | 'read-only' | 'forbidden' | 'not-found';

/** Everything the hub needs from the product, plugged in so the core knows no database or app. */
export interface CollabHooks extends ConnectionChecks {
  authenticate(req: IncomingMessage): Promise<CollabUser | null>;
  authorize(user: CollabUser, docId: string): Promise<AccessDecision>;
  /** Where a request comes from, for per-address limits (behind proxies: from forwarded headers). */
  clientAddress(req: IncomingMessage): string;
  /** The kind of document behind an id: its shape, limits and rules. */
  kindOf(docId: string): DocKind;
  /** A room finished loading: attach projections and the like. Returns a detach function. */
  onRoomLoaded?(docId: string, room: DocRoom): (() => Promise<void>) | void;
  onJoin?(docId: string, user: CollabUser): void;
}

/**
 * Shares live documents with other server processes (several processes behind one balancer;
 * see server/src/scale/). Without it this process alone holds and stores every document.
 */
export interface RoomSharing {
  /** Tries to become the document's writer before its room reads it (see RoomOptions.claim). */
  claim(docId: string): Promise<boolean>;
  /**
   * Shares a room that just loaded (storing only if its claim succeeded). `attachWriter` starts
   * the work only a document's writer does (projections): the sharing runs it while this process
   * holds the document and calls what it returns when it stops.
   */
  share(room: DocRoom, attachWriter: () => (() => Promise<void>) | void): SharedRoom;
}

export interface SharedRoom {
  /** Resolves once this process knows whether it writes the document (so durable() means stored here). */
  writerKnown(): Promise<void>;
  /** Before the room's final store and close: hand over or finish the writer's work. */
  beforeClose(): Promise<void>;
  /** After the room closed: stop sharing it (and let another process write it). */
  afterClose(): Promise<void>;
}

export interface CollabHubOptions {
  store: DocStore;
  /** Every write to the store goes through it (shared so others can give live edits priority). */
  writer: UpdateWriter;
  hooks: CollabHooks;
  logger: Logger;
  // The defaults suit production; the core's tests (collab/test/) shorten each to see it work.
  /** How long an empty room stays in memory in case its partners reconnect (default 5 s). */
  unloadDelayMs?: number;
  /**
   * An open document gets a snapshot after this many stored updates, or up to half as many more
   * (default COMPACT_EVERY).
   */
  compactEvery?: number;
  /** Sockets that did not answer the previous ping are dropped (default every 30 s). */
  pingIntervalMs?: number;
  /** How often log entries folded into snapshots are cleared away (default 30 s). */
  sweepIntervalMs?: number;
  /** Open documents with edits older than this outside any snapshot get one (default 5 min). */
  staleCompactionMs?: number;
  sharing?: RoomSharing;
  /**
   * Where refused changes are counted per person: this process's memory, or Redis with several
   * processes, so the pause after a refusal holds whichever process the device reconnects to.
   */
  refusals?: HitCounts;
}

interface RoomEntry {
  room: DocRoom;
  /** Settles once the room has loaded and its hooks are attached (rejects when the load failed). */
  loaded: Promise<void>;
  detach: (() => Promise<void>) | undefined;
  afterClose?: () => Promise<void>;
  writerKnown?: () => Promise<void>;
  unloadTimer: NodeJS.Timeout | null;
  closing: Promise<void> | null;
}

/**
 * The Yjs endpoint: authenticates the upgrade, checks access to the document, then runs the
 * y-websocket protocol over rooms that load before they answer and store before they relay.
 */
export class CollabHub {
  readonly writer: UpdateWriter;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_COLLAB_MESSAGE_BYTES });
  private readonly rooms = new Map<string, RoomEntry>();
  private readonly connections = new Set<CollabConnection>();
  private readonly alive = new WeakSet<WebSocket>();
  private readonly refusals: HitCounts;
  /** Documents being repaired outside any room; their rooms wait until that is done. */
  private readonly repairs = new Map<string, Promise<void>>();
  private readonly pingTimer: NodeJS.Timeout;
  private readonly sweepTimer: NodeJS.Timeout;
  private shuttingDown = false;
  /**
   * Counts recheckAccess calls: a join that checked access before one and joins after it asks
   * again (recheckAccess sees only the connections already in place).
   */
  private accessRechecks = 0;

  constructor(private readonly opts: CollabHubOptions) {
    this.refusals = opts.refusals ?? new MemoryHitCounts();
    this.writer = opts.writer;
    this.pingTimer = setInterval(() => this.pingAll(), opts.pingIntervalMs ?? 30_000);
    this.pingTimer.unref();
    this.sweepTimer = setInterval(() => void this.sweep(), opts.sweepIntervalMs ?? 30_000);
    this.sweepTimer.unref();
  }

  /** Call from the HTTP server's 'upgrade' event; returns false when the path is not ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(COLLAB_PATH_PREFIX)) return false;
    const docId = decodePathSegment(url.pathname.slice(COLLAB_PATH_PREFIX.length));
    if (docId === null) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      return true;
    }
    if (!sameOrigin(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      void this.accept(ws, req, docId).catch((err: unknown) => {
        if (err instanceof HubClosingError) {
          ws.close(CollabCloseCode.serverRestarting, 'server restarting');
        } else if (err instanceof DatabaseUnavailableError) {
          closeUntilDatabaseAnswers((code, reason) => ws.close(code, reason), this.opts.logger, { err, docId });
        } else {
          this.opts.logger.error({ err, docId }, 'collab connection failed');
          ws.close(CollabCloseCode.internalError, 'internal error');
        }
      });
    });
    return true;
  }

  private async accept(ws: WebSocket, req: IncomingMessage, docId: string): Promise<void> {
    // Close codes reach the browser (an HTTP refusal would not), so the client can say why.
    let early: Buffer[] = [];
    let earlyBytes = 0;
    const hold = (data: Buffer) => {
      earlyBytes += data.length;
      if (early.push(data) > MAX_EARLY_MESSAGES || earlyBytes > MAX_EARLY_BYTES) {
        early = [];
        ws.close(CollabCloseCode.tooSlow, 'too many messages before access');
      }
    };
    ws.on('message', hold);
    ws.on('error', (err) => this.opts.logger.debug({ err }, 'collab socket error'));
    // pinged from now on: a socket waiting for its document (seconds in a cold join) that answers
    // stays; one the ping round found unknown was cut, and its reconnect loaded the document again
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    const refuse = (code: number, reason: string) => {
      early = []; // never applied: the sender had no access
      ws.close(code, reason);
    };

    if (this.shuttingDown) return refuse(CollabCloseCode.serverRestarting, 'server restarting');
    const address = this.opts.hooks.clientAddress(req);
    if (this.countConnections((c) => c.address === address) >= MAX_CONNECTIONS_PER_ADDRESS) {
      return refuse(CollabCloseCode.tooManyConnections, 'too many connections from this address');
    }
    const user = await this.opts.hooks.authenticate(req);
    if (!user) return refuse(CollabCloseCode.unauthenticated, 'sign in first');
    if (await this.pausedAfterRefusals(user.id)) {
      return refuse(CollabCloseCode.tooManyMessages, 'changes were refused; wait a moment');
    }
    if (this.countConnections((c) => c.user.id === user.id) >= MAX_CONNECTIONS_PER_USER) {
      return refuse(CollabCloseCode.tooManyConnections, 'too many open debriefs for this account');
    }
    let rechecks = this.accessRechecks;
    let access = await this.opts.hooks.authorize(user, docId);
    if (access === 'not-found') return refuse(CollabCloseCode.notFound, 'no such debrief');
    if (access === 'forbidden') return refuse(CollabCloseCode.forbidden, 'not a partner of this exchange');
    if (ws.readyState !== ws.OPEN) return;

    const entry = await this.roomFor(docId);
    // sharing changed while the document loaded (a block, an unshare): the answer may be stale
    while (rechecks !== this.accessRechecks) {
      rechecks = this.accessRechecks;
      access = await this.opts.hooks.authorize(user, docId);
    }
    ws.off('message', hold);
    if (access === 'forbidden' || access === 'not-found') {
      if (![...this.connections].some((c) => c.room === entry.room)) this.scheduleUnload(docId, entry);
      return refuse(CollabCloseCode.forbidden, 'access revoked');
    }
    // the room is closing with the hub: joined now, the device's changes would go unstored
    if (this.shuttingDown) return refuse(CollabCloseCode.serverRestarting, 'server restarting');
    if (ws.readyState !== ws.OPEN) {
      // gone while the document loaded: its 'close' has fired already, so nothing else would
      // let the room unload
      if (![...this.connections].some((c) => c.room === entry.room)) this.scheduleUnload(docId, entry);
      return;
    }
    const connection = new CollabConnection(
      ws,
      user,
      address,
      entry.room,
      this.opts.hooks,
      this.opts.logger,
      () => this.recordRefusal(user.id),
      access === 'read-only',
    );
    this.connections.add(connection);
    ws.on('close', () => {
      connection.close(1000, 'closed');
      this.connections.delete(connection);
      if (![...this.connections].some((c) => c.room === entry.room)) this.scheduleUnload(docId, entry);
    });
    // Replay what arrived while we checked access, in order, before live messages.
    for (const data of early) ws.emit('message', data, true);
    this.opts.hooks.onJoin?.(docId, user);
  }

  private async roomFor(docId: string): Promise<RoomEntry> {
    let entry = this.rooms.get(docId);
    // wait out a repair or an unload; from the last check on, nothing yields until the room is set
    for (let busy = this.repairs.get(docId) ?? entry?.closing; busy; busy = this.repairs.get(docId) ?? entry?.closing) {
      await busy;
      entry = this.rooms.get(docId);
    }
    if (entry) {
      if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
      entry.unloadTimer = null;
      await entry.loaded; // still loading for someone else: a failed load fails this join too
      return entry;
    }
    // close() has unloaded every room it found: one created now would never be stored and closed
    if (this.shuttingDown) throw new HubClosingError();
    const room = new DocRoom({
      docId,
      kind: this.opts.hooks.kindOf(docId),
      store: this.opts.store,
      writer: this.writer,
      logger: this.opts.logger,
      compactEvery: this.opts.compactEvery ?? COMPACT_EVERY,
      storing: !this.opts.sharing,
      claim: this.opts.sharing && (() => this.opts.sharing!.claim(docId)),
    });
    const created: RoomEntry = {
      room,
      loaded: room.ready.then(() => this.attachHooks(docId, created)),
      detach: undefined,
      unloadTimer: null,
      closing: null,
    };
    this.rooms.set(docId, created);
    try {
      await created.loaded;
    } catch (err) {
      this.rooms.delete(docId);
      throw err;
    }
    return created;
  }

  /** The document's own work on a loaded room (its projections; with several processes, sharing). */
  private attachHooks(docId: string, entry: RoomEntry): void {
    const attach = () => this.opts.hooks.onRoomLoaded?.(docId, entry.room) ?? undefined;
    if (this.opts.sharing) {
      const shared = this.opts.sharing.share(entry.room, attach);
      entry.detach = () => shared.beforeClose();
      entry.afterClose = () => shared.afterClose();
      entry.writerKnown = () => shared.writerKnown();
    } else {
      entry.detach = attach();
    }
  }

  private scheduleUnload(docId: string, entry: RoomEntry): void {
    if (entry.unloadTimer || entry.closing) return;
    entry.unloadTimer = setTimeout(() => void this.unload(docId, entry), this.opts.unloadDelayMs ?? 5_000);
  }

  private unload(docId: string, entry: RoomEntry): Promise<void> {
    entry.unloadTimer = null;
    entry.closing ??= (async () => {
      try {
        // a room still loading (a shutdown began meanwhile) is detached once its hooks are on
        await entry.loaded.catch(() => undefined);
        await entry.detach?.();
        await entry.room.close();
        await entry.afterClose?.();
      } catch (err) {
        this.opts.logger.error({ err, docId }, 'unloading a document failed');
      } finally {
        this.rooms.delete(docId);
      }
    })();
    return entry.closing;
  }

  private async sweep(): Promise<void> {
    for (const e of this.rooms.values()) e.room.restIfQuiet(GUARD_REST_AFTER_MS);
    const maxAge = this.opts.staleCompactionMs ?? 5 * 60_000;
    await Promise.all([...this.rooms.values()].filter((e) => !e.closing).map((e) => e.room.compactIfStale(maxAge)));
    await this.writer.sweep();
  }

  private pingAll(): void {
    for (const ws of this.wss.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }

  /**
   * Runs `repair` on a document that is not loaded, holding its room back meanwhile; a loaded
   * document is skipped (its room folds and closes it cleanly on unload).
   */
  async whileNotLive(docId: string, repair: () => Promise<void>): Promise<void> {
    if (this.rooms.has(docId) || this.shuttingDown) return;
    const running = repair().finally(() => this.repairs.delete(docId));
    this.repairs.set(docId, running);
    await running;
  }

  private recordRefusal(userId: string): void {
    this.refusals.add(refusalsKey(userId), Date.now(), REFUSALS_FORGOTTEN_AFTER_MS).catch((err: unknown) => {
      this.opts.logger.warn({ err, userId }, 'counting a refused change failed');
    });
  }

  /** After the n-th refusal within the window a person waits 0.5 s doubled n-1 times (at most 60 s). */
  private async pausedAfterRefusals(userId: string): Promise<boolean> {
    const now = Date.now();
    const times = await this.refusals.recent(refusalsKey(userId), now, REFUSALS_FORGOTTEN_AFTER_MS).catch(() => []);
    const last = times.at(-1);
    if (last === undefined) return false;
    const pause = Math.min(MAX_REFUSAL_PAUSE_MS, REFUSAL_PAUSE_MS * 2 ** (times.length - 1));
    return now < last + pause;
  }

  private countConnections(match: (c: CollabConnection) => boolean): number {
    let count = 0;
    for (const c of this.connections) if (match(c)) count++;
    return count;
  }

  /** Signing out ends that session's live documents too (a shared tablet must not stay in one). */
  closeSession(sessionKey: string): void {
    for (const c of this.connections) {
      if (c.user.sessionKey === sessionKey) c.close(CollabCloseCode.unauthenticated, 'signed out');
    }
  }

  /**
   * Asks again who may stay on a document (its sharing changed): connections that lost access
   * close as forbidden, those whose write permission changed close so they rejoin with it.
   */
  async recheckAccess(docId: string): Promise<void> {
    this.accessRechecks++;
    const open = [...this.connections].filter((c) => c.room.docId === docId);
    await Promise.all(
      open.map(async (c) => {
        const access = await this.opts.hooks.authorize(c.user, docId);
        if (access === 'forbidden' || access === 'not-found') c.close(CollabCloseCode.forbidden, 'access revoked');
        else if ((access === 'read-only') !== c.readOnly) c.close(CollabCloseCode.accessChanged, 'access changed');
      }),
    );
  }

  /** Reads a document as it is live (loading it if needed) without changing it. */
  async read<T>(docId: string, read: (doc: Y.Doc) => T): Promise<T> {
    const entry = await this.roomFor(docId);
    try {
      return read(entry.room.doc);
    } finally {
      if (![...this.connections].some((c) => c.room === entry.room)) this.scheduleUnload(docId, entry);
    }
  }

  /**
   * Changes a document from the server side (e.g. resolving an old mark from a later debrief):
   * loads it if needed, applies the change, relays it to anyone connected, stores it.
   */
  async edit(docId: string, change: (doc: Y.Doc) => void): Promise<void> {
    const entry = await this.roomFor(docId);
    try {
      // shared: when nobody else has the document live, this process stores it; wait until it does
      await entry.writerKnown?.();
      entry.room.serverTransact(change);
      await entry.room.durable();
    } finally {
      if (![...this.connections].some((c) => c.room === entry.room)) this.scheduleUnload(docId, entry);
    }
  }

  /**
   * Whether `userId` has the document open: through a connection to this process, or with
   * presence relayed from another process (several processes).
   */
  isPresent(docId: string, userId: string): boolean {
    const room = this.rooms.get(docId)?.room;
    if (!room) return false;
    for (const c of this.connections) if (c.room === room && c.user.id === userId) return true;
    for (const clientId of room.awareness.getStates().keys()) {
      if (room.presenceOwners.publisherOf(clientId) === userId) return true;
    }
    return false;
  }

  /** Live document for a doc id, if loaded (for tests and the projector). */
  loadedDoc(docId: string): Y.Doc | undefined {
    return this.rooms.get(docId)?.room.doc;
  }

  stats(): {
    rooms: number;
    connections: number;
    persistedUpdates: number;
    durableP50Ms: number;
    durableP99Ms: number;
  } {
    const durable = this.writer.durableLatency();
    return {
      rooms: this.rooms.size,
      connections: this.connections.size,
      persistedUpdates: this.writer.persistedCount,
      durableP50Ms: durable.p50,
      durableP99Ms: durable.p99,
    };
  }

  /** Refuses new connections, closes open ones, and stores and unloads every document. */
  async close(): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.pingTimer);
    clearInterval(this.sweepTimer);
    for (const c of this.connections) c.close(CollabCloseCode.serverRestarting, 'server restarting');
    this.connections.clear();
    for (const [docId, entry] of this.rooms) {
      if (entry.unloadTimer) clearTimeout(entry.unloadTimer);
      void this.unload(docId, entry);
    }
    await Promise.all([...this.rooms.values()].map((e) => e.closing));
    await this.writer.idle();
    await this.writer.sweep();
    this.wss.close();
  }
}

/**
 * A document asked for after the hub began closing (a join that was being checked then, or a
 * request that reads or edits one): over HTTP a 503, which the app retries.
 */
class HubClosingError extends AppError {
  constructor() {
    super(503, 'restarting', 'the server is restarting; try again in a moment');
  }
}

/** The document id from the path, or null when it is not valid percent-encoding. */
function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
