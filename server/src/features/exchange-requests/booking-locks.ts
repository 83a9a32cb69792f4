/**
 * Serialises bookings that involve the same people in this process: checking a person's calendar
 * for overlaps and writing the new exchanges into it happen one booking at a time per person, so
 * two requests accepted at the same moment cannot both take one slot. Several server processes
 * (REDIS_URL) can still race: this lock is per process.
 */
export class BookingLocks {
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
