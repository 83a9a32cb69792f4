/**
 * Work on the same keys runs one at a time in this process; work on other keys runs alongside.
 * For read-modify-write sequences on one stored record: FerretDB v1 applies an update as a read
 * and a separate write, so even a conditional updateOne can lose a concurrent writer's change.
 */
export class KeyedLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async withKeys<T>(keys: string[], work: () => Promise<T>): Promise<T> {
    // each holder waits only for those registered before it: no cycle, whatever the order
    const unique = [...new Set(keys)].sort();
    const waitFor = unique.map((k) => this.tails.get(k) ?? Promise.resolve());
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    for (const key of unique) this.tails.set(key, done);
    try {
      await Promise.all(waitFor);
      return await work();
    } finally {
      release();
      for (const key of unique) if (this.tails.get(key) === done) this.tails.delete(key);
    }
  }
}

/**
 * Read-modify-write work on one person's stored record (a counter, a list), one at a time. In one
 * process's memory by default; several processes share one in Redis (scale/cluster.ts).
 */
export interface PersonLock {
  withPerson<T>(userId: string, work: () => Promise<T>): Promise<T>;
}

export class LocalPersonLock extends KeyedLocks implements PersonLock {
  withPerson<T>(userId: string, work: () => Promise<T>): Promise<T> {
    return this.withKeys([userId], work);
  }
}
