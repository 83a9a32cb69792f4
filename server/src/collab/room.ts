import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { bindDevices, SERVER_DEVICE } from '@kneadback/shared/docs/devices';
import { DocGuard, type DocKind, type SizeLimit } from '@kneadback/shared/docs/doc-guard';
import { SERVER_ORIGIN } from '@kneadback/shared/docs/origins';
import type { Logger } from '../logger.ts';
import { retryTransient } from './db-errors.ts';
import type { DocStore, LoadedDoc } from './doc-store.ts';
import { PresenceOwners } from './presence-owners.ts';
import type { UpdateWriter } from './update-writer.ts';

/** Updates applied while loading from storage carry this origin and are not stored again. */
const STORAGE_ORIGIN = Symbol('storage');
/**
 * What a new writer reads back from storage when it takes a document over: relayed like any
 * change (its peers may lack it), stored again only inside the snapshot that follows.
 */
const RELOAD_ORIGIN = Symbol('reload');

/**
 * Unstored changes held in memory across all documents, past which new changes are refused
 * ("try again"): the devices keep them and resend them when the database answers.
 */
const MAX_UNSTORED_BYTES = 64 * 1024 * 1024;
/**
 * Devices a room remembers to ask again (see DocRoom.askAgain); past it the oldest are forgotten
 * (a device that sent a partner's changes the partner's device never sends again, or a forger).
 */
const MAX_ASKED_AGAIN = 64;
/**
 * Other people's devices one device may be asked again for: after a crash, the partner's few and
 * a server's (see Admission.askAgainAt).
 */
const MAX_DEVICES_AWAITED = 16;
/** How long opening a document waits out a busy or unreachable database before giving up. */
const LOAD_RETRY_MS = 15_000;

export class DatabaseUnavailableError extends Error {}

export interface RoomPeer {
  sendUpdate(update: Uint8Array): void;
  sendAwareness(update: Uint8Array): void;
  /** A change of this client's, judged by another process, was refused: close as if refused here. */
  refuse?(code: number, reason: string): void;
  /** Sends the client the document's state vector; it answers with what the document lacks. */
  askForMissing?(): void;
}

/**
 * Several processes: a client change arriving at a process that does not write the document goes
 * to the one that does, which judges it against the one authoritative copy (server/src/scale/).
 */
export type ForwardToWriter = (update: Uint8Array, userId: string, peer: RoomPeer) => void;

export interface RoomOptions {
  docId: string;
  /** Its shape and rules: every change from a client is judged by them before it applies. */
  kind: DocKind;
  store: DocStore;
  /** All writes (appends and compactions) go through the writer (see UpdateWriter for their order). */
  writer: UpdateWriter;
  logger: Logger;
  /**
   * Snapshot after this many stored updates, up to half as many more (drawn again after each
   * snapshot): documents opened together, as after a restart, must not all snapshot at once (in
   * a 500-pair bench, a burst of 500 snapshots in 3 s held live edits' appends up to 250 ms).
   */
  compactEvery: number;
  /**
   * Whether this process stores the document's changes from the start (default). With several
   * server processes only the one holding the document's lease does (see startStoring); the
   * others keep changes in memory and relay them.
   */
  storing?: boolean;
  /**
   * Several processes: asked before the document is read. True when this process took the
   * document's lease: it stores from the start, and what it reads is everything stored.
   */
  claim?: () => Promise<boolean>;
}

/**
 * One live document: the Y.Doc, its awareness and its peers. A client's change is judged by the
 * document kind's rules (DocGuard), applied and relayed at once, then stored by the group-commit
 * writer milliseconds later. Relaying does not wait for the disk: both devices hold every change
 * they showed, and if the server dies before storing one, each author's device sends its own
 * again when it reconnects (see DocGuard.ownPart); a slow or absent database never slows the
 * partners' live editing.
 */
export class DocRoom {
  /**
   * Named by its docId: without a guid Yjs draws a random one, a crypto call per character
   * (0.17 ms a document, a tenth of a second when 500 debriefs open at once).
   */
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly presenceOwners: PresenceOwners;
  readonly peers = new Set<RoomPeer>();
  readonly ready: Promise<void>;
  private guard: DocGuard | null = null;
  /** Set while an admitted change applies: the guard's shadow has it already. */
  private applyingAdmitted = false;
  private seq = 0;
  private storedSeq = 0;
  private sinceCompaction = 0;
  private compactAfter = 0;
  private compactedSeq = -1;
  /** The stored snapshot holds everything up to compactedSeq and is marked closed. */
  private storedClean = false;
  private cleanAtLoad = false;
  private compactedAt = Date.now();
  private compacting: Promise<void> | null = null;
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly changeListeners = new Set<() => void>();
  private storing: boolean;
  /** A change applied while this process did not store the document. */
  private changedUnstored = false;
  private lastClientChange = Date.now();
  private forwardToWriter: ForwardToWriter | null = null;
  /**
   * Devices whose change had parts left out until the server received other people's changes it
   * lost in a crash (see Admission.askAgainAt): asked for what the server lacks once it has.
   */
  private readonly askAgain = new Map<RoomPeer, Map<number, number>>();

  constructor(private readonly opts: RoomOptions) {
    this.drawCompactAfter();
    this.doc = new Y.Doc({ gc: true, guid: opts.docId });
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    this.presenceOwners = new PresenceOwners(this.doc);
    this.storing = opts.storing ?? true;
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.ready = this.load();
    this.awareness.on('update', this.relayAwareness);
  }

  get docId(): string {
    return this.opts.docId;
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Resolves when every update applied so far is stored. */
  durable(): Promise<void> {
    return this.lastWrite;
  }

  private readStored(): Promise<LoadedDoc> {
    const { docId, store, logger } = this.opts;
    return retryTransient(() => store.load(docId), {
      withinMs: LOAD_RETRY_MS,
      onRetry: (err, attempt) => logger.warn({ err, docId, attempt }, 'loading a document failed; retrying'),
    }).catch((err: unknown) => {
      throw new DatabaseUnavailableError(`loading ${docId} failed`, { cause: err });
    });
  }

  private async load(): Promise<void> {
    if (this.opts.claim) this.storing = await this.opts.claim();
    const loaded = await this.readStored();
    this.doc.transact(() => {
      for (const update of loaded.updates) Y.applyUpdate(this.doc, update, STORAGE_ORIGIN);
    }, STORAGE_ORIGIN);
    this.seq = this.storedSeq = loaded.lastSeq;
    // Many log entries since the last snapshot: fold them now rather than on every load.
    this.sinceCompaction = loaded.updates.length;
    if (loaded.updates.length <= 1) this.compactedSeq = loaded.lastSeq;
    this.storedClean = this.cleanAtLoad = loaded.clean;
    this.guard = new DocGuard(this.opts.kind, this.doc);
    this.doc.on('update', this.storeAndRelay);
  }

  /** The document was closed cleanly when this room loaded it (not left open by a crash). */
  get loadedClean(): boolean {
    return this.cleanAtLoad;
  }

  get isStoring(): boolean {
    return this.storing;
  }

  /**
   * This process becomes the document's writer (it took the document's lease). The previous
   * writer may have stored changes that never reached this process: they are read back and
   * relayed; then the whole state, which also holds every change made while nobody stored, goes
   * into one snapshot. The log continues after the highest stored seq, so a late write of the
   * previous writer under the same seq is refused by the database rather than duplicated.
   */
  async startStoring(): Promise<void> {
    await this.ready;
    if (this.storing) return;
    await this.lastWrite; // ours from an earlier turn as writer, so the read below sees them
    const loaded = await this.readStored();
    this.doc.transact(() => {
      for (const update of loaded.updates) Y.applyUpdate(this.doc, update, RELOAD_ORIGIN);
    }, RELOAD_ORIGIN);
    if (this.storing) return;
    this.seq = this.storedSeq = Math.max(loaded.lastSeq, this.storedSeq);
    this.storing = true;
    // a new document nobody changed yet has nothing to snapshot (the first append marks it open)
    if (loaded.updates.length === 0 && !this.changedUnstored) return;
    this.compactedSeq = -1;
    await this.compact();
  }

  /** Another process took the document's lease: changes stay in memory (and are relayed) only. */
  stopStoring(): void {
    this.storing = false;
  }

  /** While this process does not store the document, its clients' changes go there to be judged. */
  judgeAtWriter(forward: ForwardToWriter): void {
    this.forwardToWriter = forward;
  }

  /**
   * Applies a client's change if the document's rules allow what it does; returns why not
   * otherwise (nothing of a refused change applies). Device ids the sender writes with for the
   * first time are recorded in the document, stored just before the change itself. Forwarded to
   * the writer when another process writes the document (its refusal reaches `peer.refuse`).
   */
  applyClientUpdate(update: Uint8Array, userId: string, peer: RoomPeer): string | null {
    if (!this.guard) throw new Error(`document ${this.opts.docId} is not loaded`);
    if (!this.storing && this.forwardToWriter) {
      this.forwardToWriter(update, userId, peer);
      return null;
    }
    if (this.opts.writer.backlogBytes > MAX_UNSTORED_BYTES) {
      throw new DatabaseUnavailableError('the database is not keeping up; changes wait on the device');
    }
    const admission = this.guard.admit(update, userId);
    if (!admission.ok) return admission.reason;
    if (admission.askAgainAt.size > 0) this.askAgainOnceReceived(peer, admission.askAgainAt);
    this.lastClientChange = Date.now();
    // the shadow is ahead of the live document until the change applies: no step check here
    if (admission.newDevices.size > 0) this.transactAsServer((doc) => bindDevices(doc, admission.newDevices));
    if (admission.applied) {
      this.applyingAdmitted = true;
      try {
        Y.applyUpdate(this.doc, admission.applied, peer);
      } finally {
        this.applyingAdmitted = false;
      }
      // relayed to everyone but the sender, who lacks the partner's changes its own completed
      if (admission.completedOthers) peer.sendUpdate(admission.applied);
    }
    this.keepGuardInStep();
    this.askAgainWhereReceived();
    return null;
  }

  private askAgainOnceReceived(peer: RoomPeer, clocks: Map<number, number>): void {
    const asked = this.askAgain.get(peer);
    for (const [client, clock] of asked ?? []) clocks.set(client, Math.max(clock, clocks.get(client) ?? 0));
    this.askAgain.delete(peer); // re-inserted: the oldest go first past the limit
    // past the limit: made-up devices (every later change would look them all up), or more than
    // a crash leaves; the device sends what it has when it reconnects
    if (clocks.size > MAX_DEVICES_AWAITED) return;
    this.askAgain.set(peer, clocks);
    for (const oldest of this.askAgain.keys()) {
      if (this.askAgain.size <= MAX_ASKED_AGAIN) break;
      this.askAgain.delete(oldest);
    }
  }

  private askAgainWhereReceived(): void {
    if (this.askAgain.size === 0 || !this.guard) return;
    for (const peer of this.guard.received(this.askAgain)) {
      this.askAgain.delete(peer);
      peer.askForMissing?.();
    }
  }

  private keepGuardInStep(): void {
    if (this.guard?.ensureInStep() === false) {
      this.opts.logger.error({ docId: this.opts.docId }, 'the guard had drifted from the live document; rebuilt it');
    }
  }

  /** Holds clients' changes under a tighter size limit than the kind's (null: the kind's alone). */
  limitSize(limit: SizeLimit | null): void {
    this.guard?.limitSize(limit);
  }

  /** The server's own changes: trusted, not judged, and written under the server's device id. */
  serverTransact(change: (doc: Y.Doc) => void): void {
    this.transactAsServer(change);
    this.keepGuardInStep();
  }

  private transactAsServer(change: (doc: Y.Doc) => void): void {
    this.doc.transact(() => {
      bindDevices(this.doc, new Map([[this.doc.clientID, SERVER_DEVICE]]));
      change(this.doc);
    }, SERVER_ORIGIN);
  }

  private readonly storeAndRelay = (update: Uint8Array, origin: unknown): void => {
    if (origin === STORAGE_ORIGIN) return;
    if (!this.applyingAdmitted) {
      this.guard?.mirror(update);
      this.askAgainWhereReceived(); // a change from another process may be what a device waits for
    }
    for (const peer of this.peers) if (peer !== origin) peer.sendUpdate(update);
    if (!this.storing) {
      this.changedUnstored = true;
      return;
    }
    const seq = ++this.seq;
    this.lastWrite = this.opts.writer.write({ docId: this.opts.docId, seq, update }).then(() => {
      this.storedSeq = seq;
      for (const listener of this.changeListeners) listener();
      if (++this.sinceCompaction >= this.compactAfter) void this.compact();
    });
  };

  private readonly relayAwareness = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    for (const peer of this.peers) if (peer !== origin) peer.sendAwareness(update);
  };

  private drawCompactAfter(): void {
    this.compactAfter = this.opts.compactEvery + Math.floor((Math.random() * this.opts.compactEvery) / 2);
  }

  /** Folds the log into one snapshot; safe to call at any time, runs one at a time. */
  compact(closing = false): Promise<void> {
    if (!this.storing) return this.compacting ?? Promise.resolve();
    this.compacting ??= (async () => {
      try {
        await this.lastWrite;
        const upTo = this.storedSeq;
        // a debrief opened only to read closes without rewriting its snapshot
        if (upTo === this.compactedSeq && (!closing || this.storedClean)) return;
        this.sinceCompaction = 0;
        this.drawCompactAfter();
        await this.opts.writer.compact(this.opts.docId, Y.encodeStateAsUpdate(this.doc), upTo, closing);
        this.compactedSeq = upTo;
        this.storedClean = closing;
        this.compactedAt = Date.now();
      } catch (err) {
        this.opts.logger.error(
          { err, docId: this.opts.docId },
          'compaction failed; the update log still holds everything',
        );
      } finally {
        this.compacting = null;
      }
    })();
    return this.compacting;
  }

  /**
   * Snapshots a document that has stored edits not yet in a snapshot for `maxAgeMs`, so a
   * quiet but open debrief does not keep old log entries alive.
   */
  compactIfStale(maxAgeMs: number): Promise<void> {
    const stale = this.storedSeq > this.compactedSeq && Date.now() - this.compactedAt > maxAgeMs;
    return stale ? this.compact() : Promise.resolve();
  }

  /** The guard lets its copy of the document go when no client changed it for `quietMs`. */
  restIfQuiet(quietMs: number): void {
    if (Date.now() - this.lastClientChange > quietMs) this.guard?.rest();
  }

  /** Stores everything, compacts, and frees the document. */
  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.lastWrite;
    await this.compacting;
    await this.compact(true);
    this.guard?.destroy();
    this.awareness.destroy();
    this.doc.destroy();
  }
}
