import type { Redis } from 'ioredis';

// Renews the lease when the caller holds it, takes it when nobody does; one round trip, atomic.
const HOLD = `
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1`;
// Deletes the lease only if the caller still holds it (it may have expired and moved on).
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Expiring leases in Redis: at most one server process holds a name at a time, and a holder that
 * dies (or loses Redis) loses it once `ttlMs` passes without a renewal. Each process is one
 * `owner` (a random id per start), so a restarted process does not inherit its old leases.
 */
export class Leases {
  constructor(
    private readonly redis: Redis,
    readonly owner: string,
    readonly ttlMs: number,
    private readonly prefix = 'kb:lease:',
  ) {}

  /** Takes or renews the lease; true when this process holds it for the next `ttlMs`. */
  async hold(name: string, ttlMs = this.ttlMs): Promise<boolean> {
    return (await this.redis.eval(HOLD, 1, this.prefix + name, this.owner, ttlMs)) === 1;
  }

  async release(name: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.prefix + name, this.owner);
  }

  /** Who holds the lease now (a process's owner id), or null. */
  holder(name: string): Promise<string | null> {
    return this.redis.get(this.prefix + name);
  }
}
