import type { Redis } from 'ioredis';
import type { DocStore } from '../collab/doc-store.ts';

// Renews the lease when the caller holds it (-1), takes it when nobody does (its new epoch), or
// answers 0; one round trip, atomic. An epoch is above every earlier one of the name: one more
// than the last, and at least Redis's clock in ms, so epochs keep rising even after the counter
// expired (a day after the last taking) or Redis lost it.
const HOLD = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return -1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local now = redis.call('TIME')
local epoch = math.max((tonumber(redis.call('GET', KEYS[2])) or 0) + 1, now[1] * 1000 + math.floor(now[2] / 1000))
redis.call('SET', KEYS[2], string.format('%d', epoch), 'PX', 86400000)
return epoch`;
// Deletes the lease only if the caller still holds it (it may have expired and moved on).
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Expiring leases in Redis: at most one server process holds a name at a time, and a holder that
 * dies (or loses Redis) loses it once `ttlMs` passes without a renewal. Each process is one
 * `owner` (a random id per start), so a restarted process does not inherit its old leases.
 *
 * A process that stalls past its ttl (a long GC pause, SIGSTOP) wakes up believing it still holds
 * the lease until its next renewal fails. Each taking of a lease gets an epoch, higher than any
 * earlier taking's: writes that carry it (epochOf) can be refused by storage once a successor
 * has written under a higher one (DocStore.compact's fence).
 */
export class Leases {
  private readonly epochs = new Map<string, number>();

  constructor(
    private readonly redis: Redis,
    readonly owner: string,
    readonly ttlMs: number,
    private readonly prefix = 'kb:lease:',
  ) {}

  /** Takes or renews the lease; true when this process holds it for the next `ttlMs`. */
  async hold(name: string, ttlMs = this.ttlMs): Promise<boolean> {
    const answer = Number(
      await this.redis.eval(HOLD, 2, this.prefix + name, `${this.prefix}epoch:${name}`, this.owner, ttlMs),
    );
    if (answer > 0) this.epochs.set(name, answer);
    if (answer === 0) this.epochs.delete(name);
    return answer !== 0;
  }

  async release(name: string): Promise<void> {
    this.epochs.delete(name);
    await this.redis.eval(RELEASE, 1, this.prefix + name, this.owner);
  }

  /** The epoch of this process's taking of the lease (0 when it holds none it knows of). */
  epochOf(name: string): number {
    return this.epochs.get(name) ?? 0;
  }

  /** Who holds the lease now (a process's owner id), or null. */
  holder(name: string): Promise<string | null> {
    return this.redis.get(this.prefix + name);
  }
}

/** The store with every snapshot fenced by the epoch of the lease this process writes it under. */
export function fencedByLeases(store: DocStore, leases: Leases): DocStore {
  return {
    load: (docId) => store.load(docId),
    appendMany: (updates) => store.appendMany(updates),
    compact: (docId, state, upToSeq, closing) => store.compact(docId, state, upToSeq, closing, leases.epochOf(docId)),
    openDocs: () => store.openDocs(),
    sweep: () => store.sweep(),
  };
}
