import type { CritiqueRecord } from '@kneadback/shared/schemas/critique';
import type { ReviewShards } from './review-shards.ts';

/**
 * Bounds what is kept in memory: entries over all cached therapists (about 700 bytes each, so
 * 50,000 is some 35 MB)
 * and per therapist (one with more is always read from the database).
 */
export interface ReviewCacheLimits {
  maxEntries: number;
  maxEntriesPerUser: number;
}

const DEFAULT_LIMITS: ReviewCacheLimits = { maxEntries: 50_000, maxEntriesPerUser: 20_000 };

interface Held {
  /** The token of the collection these entries are. */
  version: string;
  /** null: more entries than one therapist may keep here, at this version. */
  entries: readonly CritiqueRecord[] | null;
}

/**
 * Each therapist's Review collection, held whole in memory after the first read and checked on
 * every use against its version token (one `_id` lookup). Measured on FerretDB v1/SQLite, which
 * scans the collection for any other filter: a filtered page plus its count scanned 1,000 entries
 * twice (~80 ms each on a quiet 2-core machine), while filtering, sorting and counting 1,000
 * entries here takes well under a millisecond. A write from another process replaces the token,
 * so the next use reads the collection again (this process's own writes are applied in place);
 * least recently used therapists are dropped first.
 */
export class ReviewCache {
  private readonly held = new Map<string, Held>();
  private readonly loading = new Map<string, { version: string; done: Promise<Held> }>();
  private size = 0;

  constructor(
    private readonly shards: ReviewShards,
    private readonly limits: ReviewCacheLimits = DEFAULT_LIMITS,
  ) {
    shards.onWrite((userId, change, tokens) => this.written(userId, change, tokens));
  }

  /** Every entry of the user's Review collection as it is now, or null when it is too large. */
  async entries(userId: string): Promise<readonly CritiqueRecord[] | null> {
    const version = await this.shards.version(userId);
    const held = this.held.get(userId);
    if (held?.version === version) {
      this.held.delete(userId); // most recently used goes last
      this.held.set(userId, held);
      return held.entries;
    }
    return (await this.load(userId, version)).entries;
  }

  /** One read per user and version, however many requests ask at once. */
  private load(userId: string, version: string): Promise<Held> {
    const pending = this.loading.get(userId);
    if (pending?.version === version) return pending.done;
    const done = (async (): Promise<Held> => {
      // Read after the token: a write landing in between gives a newer token, so at worst the
      // next request reads again; never an older collection kept under a newer token.
      const entries = await this.shards.all(userId, this.limits.maxEntriesPerUser);
      const fresh: Held = { version, entries };
      this.keep(userId, fresh);
      return fresh;
    })().finally(() => {
      if (this.loading.get(userId)?.done === done) this.loading.delete(userId);
    });
    this.loading.set(userId, { version, done });
    return done;
  }

  /**
   * A write through this process (the projector's): applied here when what is held is what the
   * write's token replaced, so live marking does not send the next Review request back to a
   * full read. Replacing and removing by _id make applying a write already read harmless.
   */
  private written(
    userId: string,
    change: { put: CritiqueRecord[]; removed: string[] } | null,
    tokens: { before: string | null; after: string },
  ): void {
    const held = this.held.get(userId);
    if (!held) return;
    if (!change || held.version !== tokens.before) {
      this.held.delete(userId);
      this.size -= held.entries?.length ?? 0;
      return;
    }
    if (!held.entries) {
      // too many to keep: still too many unless some were removed
      if (change.removed.length === 0) held.version = tokens.after;
      else this.held.delete(userId);
      return;
    }
    const replaced = new Map(change.put.map((e) => [e._id, structuredClone(e)]));
    const removed = new Set(change.removed);
    const entries: CritiqueRecord[] = [];
    for (const e of held.entries) {
      if (removed.has(e._id) || replaced.has(e._id)) continue;
      entries.push(e);
    }
    for (const e of replaced.values()) if (!removed.has(e._id)) entries.push(e);
    const fresh: Held = {
      version: tokens.after,
      entries: entries.length > this.limits.maxEntriesPerUser ? null : entries,
    };
    this.keep(userId, fresh);
  }

  private keep(userId: string, fresh: Held): void {
    const old = this.held.get(userId);
    if (old) {
      this.size -= old.entries?.length ?? 0;
      this.held.delete(userId);
    }
    this.held.set(userId, fresh);
    this.size += fresh.entries?.length ?? 0;
    for (const [id, held] of this.held) {
      if (this.size <= this.limits.maxEntries || id === userId) break;
      this.held.delete(id);
      this.size -= held.entries?.length ?? 0;
    }
  }
}
