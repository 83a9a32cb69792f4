/**
 * Bookings that involve the same people happen one at a time: checking a person's calendar for
 * overlaps and writing the new exchanges into it, so two requests accepted at the same moment
 * cannot both take one slot.
 */
export interface BookingLock {
  withPeople<T>(userIds: string[], book: () => Promise<T>): Promise<T>;
}

/**
 * The lock in one process's memory. Several server processes (REDIS_URL) share one in Redis
 * instead (server/src/scale/cluster.ts).
 */
export class BookingLocks implements BookingLock {
  private readonly tails = new Map<string, Promise<void>>();

  async withPeople<T>(userIds: string[], book: () => Promise<T>): Promise<T> {
    // each booking waits only for those registered before it: no cycle, whatever the order
    const keys = [...new Set(userIds)].sort();
    const waitFor = keys.map((k) => this.tails.get(k) ?? Promise.resolve());
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    for (const key of keys) this.tails.set(key, done);
    try {
      await Promise.all(waitFor);
      return await book();
    } finally {
      release();
      for (const key of keys) if (this.tails.get(key) === done) this.tails.delete(key);
    }
  }
}
