/**
 * Where Yjs documents live between sessions: an append-only update log plus a snapshot that
 * replaces a prefix of it. Every backend passes doc-store.contract.ts.
 */
export interface StoredUpdate {
  docId: string;
  seq: number;
  update: Uint8Array;
}

export interface LoadedDoc {
  /** Snapshot first (if any), then updates newer than it, in order. */
  updates: Uint8Array[];
  /** The highest sequence number stored for this doc (0 when new). */
  lastSeq: number;
  /**
   * Closed cleanly last time (or new): what is stored is one snapshot marked closed, so closing
   * the document again unchanged has nothing to write.
   */
  clean: boolean;
}

export interface DocStore {
  /** Reads a document; a read only (opening a debrief must not wait for a write). */
  load(docId: string): Promise<LoadedDoc>;
  /**
   * Durably appends updates, possibly of many documents, in one write. A document appended to
   * is open until its next closing compaction: a crash meanwhile leaves it listed by openDocs().
   */
  appendMany(updates: StoredUpdate[]): Promise<void>;
  /**
   * Stores the whole state as of seq `upToSeq`; the log entries it covers become garbage.
   * `closing` marks the document cleanly closed. `fence` (several processes: the writer's lease
   * epoch) refuses the write with SupersededWriteError when a snapshot was stored under a higher
   * one: a writer that stalled past its lease must not overwrite its successor's snapshot.
   */
  compact(docId: string, state: Uint8Array, upToSeq: number, closing: boolean, fence?: number): Promise<void>;
  /** Documents loaded and never closed cleanly (the server stopped without unloading them). */
  openDocs(): Promise<string[]>;
  /** Deletes log entries that snapshots have made redundant. */
  sweep(): Promise<void>;
}

/** A snapshot write refused by its fence: a newer writer of the document has stored one. */
export class SupersededWriteError extends Error {
  override name = 'SupersededWriteError';
}

interface MemorySnapshot {
  state: Uint8Array | null;
  upToSeq: number;
  open: boolean;
  fence?: number;
}

export class MemoryDocStore implements DocStore {
  private readonly log: StoredUpdate[] = [];
  private readonly snapshots = new Map<string, MemorySnapshot>();

  async load(docId: string): Promise<LoadedDoc> {
    const snapshot = this.snapshots.get(docId) ?? { state: null, upToSeq: 0, open: false };
    const newer = this.log.filter((u) => u.docId === docId && u.seq > snapshot.upToSeq).sort((a, b) => a.seq - b.seq);
    return {
      updates: [...(snapshot.state ? [snapshot.state] : []), ...newer.map((u) => u.update)],
      lastSeq: newer.at(-1)?.seq ?? snapshot.upToSeq,
      clean: !snapshot.open,
    };
  }

  async appendMany(updates: StoredUpdate[]): Promise<void> {
    for (const u of updates) {
      const snapshot = this.snapshots.get(u.docId) ?? { state: null, upToSeq: 0, open: true };
      this.snapshots.set(u.docId, { ...snapshot, open: true });
      if (!this.log.some((x) => x.docId === u.docId && x.seq === u.seq))
        this.log.push({ ...u, update: u.update.slice() });
    }
  }

  async compact(docId: string, state: Uint8Array, upToSeq: number, closing: boolean, fence?: number): Promise<void> {
    const stored = this.snapshots.get(docId)?.fence;
    if (fence !== undefined && stored !== undefined && stored > fence) {
      throw new SupersededWriteError(`${docId}: a snapshot of a newer writer is stored`);
    }
    this.snapshots.set(docId, { state: state.slice(), upToSeq, open: !closing, fence: fence ?? stored });
  }

  async openDocs(): Promise<string[]> {
    return [...this.snapshots].filter(([, s]) => s.open).map(([docId]) => docId);
  }

  async sweep(): Promise<void> {
    const covered = (u: StoredUpdate) => u.seq <= (this.snapshots.get(u.docId)?.upToSeq ?? 0);
    for (let i = this.log.length - 1; i >= 0; i--) if (covered(this.log[i]!)) this.log.splice(i, 1);
  }
}
