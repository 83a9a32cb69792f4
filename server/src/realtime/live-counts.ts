/** How many connections each key (a person, an address) holds open right now, in this process. */
export class LiveCounts {
  private readonly counts = new Map<string, number>();

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /**
   * Counts one more connection for `key`; the returned release counts it out, once however often
   * it is called (a socket can end by several routes: its own disconnect, its connection's close).
   */
  hold(key: string): () => void {
    this.counts.set(key, this.count(key) + 1);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      const left = this.count(key) - 1;
      if (left > 0) this.counts.set(key, left);
      else this.counts.delete(key);
    };
  }
}
