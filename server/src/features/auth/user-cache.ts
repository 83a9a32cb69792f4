import type { UserRecord } from './model.ts';

/**
 * How long a user read by id is reused. On FerretDB v1.24.2 (SQLite) as released a find by `_id`
 * scans the whole users collection (its query plan says SCAN: 2 ms at 200 users, 30 ms at 10,000;
 * the embedded binary carries a patch that makes it use the `_id` index), and every signed-in
 * request reads its user. Changes made through this process replace the entry at once;
 * another process's change (a new display name) shows here within this time. Sign-outs and
 * account deletions do not wait for it: they remove the session, which is read every time.
 */
const USER_CACHE_MS = 30_000;
/** Enough for every active therapist of a large studio network; the oldest entries go first. */
const MAX_USERS = 50_000;

export class UserCache {
  private readonly entries = new Map<string, { user: UserRecord; at: number }>();
  /** Counts forgets: a read that began before one may hold what it forgot, and is not kept. */
  private forgets = 0;

  constructor(private readonly now: () => number = Date.now) {}

  get(id: string): UserRecord | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (this.now() - entry.at <= USER_CACHE_MS) return entry.user;
    this.entries.delete(id);
    return undefined;
  }

  forget(id: string): void {
    this.forgets++;
    this.entries.delete(id);
  }

  clear(): void {
    this.forgets++;
    this.entries.clear();
  }

  /** Call before reading a user from the database; pass what it returns to `set` with the result. */
  beforeRead(): number {
    return this.forgets;
  }

  /** `readSince`: beforeRead()'s answer, for a user read from the database rather than just written. */
  set(user: UserRecord, readSince?: number): void {
    if (readSince !== undefined && readSince !== this.forgets) return;
    const id = user._id.toHexString();
    this.entries.delete(id);
    this.entries.set(id, { user, at: this.now() });
    if (this.entries.size > MAX_USERS) this.entries.delete(this.entries.keys().next().value!);
  }

  /**
   * For a long read of many users: a user written through this process while it ran is cached
   * with the newer record already, and keeps it.
   */
  setIfAbsent(user: UserRecord, readSince: number): void {
    if (this.entries.has(user._id.toHexString())) return;
    this.set(user, readSince);
  }
}
