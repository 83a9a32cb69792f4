/**
 * Where Yjs documents live between sessions. Small on purpose: an append-only update log plus
 * a snapshot that replaces a prefix of it. Every backend passes doc-store.contract.ts.
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
}

export interface DocStore {
  load(docId: string): Promise<LoadedDoc>;
  /** Durably appends updates, possibly of many documents, in one write. */
  appendMany(updates: StoredUpdate[]): Promise<void>;
  /** Stores the whole state as of seq `upToSeq` and drops the log entries it covers. */
  compact(docId: string, state: Uint8Array, upToSeq: number): Promise<void>;
  /** Documents with log entries not folded into a snapshot: an unload compacts, so these were not unloaded cleanly. */
  docsWithLog(): Promise<string[]>;
}

export class MemoryDocStore implements DocStore {
  private readonly logs = new Map<string, StoredUpdate[]>();
  private readonly snapshots = new Map<string, { state: Uint8Array; upToSeq: number }>();

  async load(docId: string): Promise<LoadedDoc> {
    const snapshot = this.snapshots.get(docId);
    const log = (this.logs.get(docId) ?? []).filter((u) => u.seq > (snapshot?.upToSeq ?? 0));
    const updates = [...(snapshot ? [snapshot.state] : []), ...log.map((u) => u.update)];
    const lastSeq = Math.max(snapshot?.upToSeq ?? 0, ...log.map((u) => u.seq));
    return { updates, lastSeq };
  }

  async appendMany(updates: StoredUpdate[]): Promise<void> {
    for (const u of updates) {
      const log = this.logs.get(u.docId) ?? [];
      log.push({ ...u, update: u.update.slice() });
      this.logs.set(u.docId, log);
    }
  }

  async compact(docId: string, state: Uint8Array, upToSeq: number): Promise<void> {
    this.snapshots.set(docId, { state: state.slice(), upToSeq });
    this.logs.set(
      docId,
      (this.logs.get(docId) ?? []).filter((u) => u.seq > upToSeq),
    );
  }

  async docsWithLog(): Promise<string[]> {
    return [...this.logs].filter(([, log]) => log.length > 0).map(([docId]) => docId);
  }

  logLength(docId: string): number {
    return this.logs.get(docId)?.length ?? 0;
  }
}
