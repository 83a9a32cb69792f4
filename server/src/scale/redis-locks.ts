import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppError } from '../http/errors.ts';

// Deletes the lock only if the caller's token still holds it (it may have expired and been taken).
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;
const RETRY_MIN_MS = 5;
const RETRY_MAX_MS = 100;

/**
 * Short mutual exclusion across server processes: SET NX PX with a token of its own per holding,
 * so only the holder releases it, and a holder that dies frees it once `ttlMs` passes. Names are
 * taken in sorted order, so two holders of overlapping sets never wait on each other in a cycle.
 * A holder that stalls longer than `ttlMs` loses the lock while it works: the ttl is many times
 * what the work takes.
 */
export class RedisLocks {
  constructor(
    private readonly redis: Redis,
    private readonly ttlMs = 30_000,
    private readonly waitMs = 10_000,
    private readonly prefix = 'kb:lock:',
  ) {}

  /** `busy`: what a person is told when the locks stay taken past `waitMs`. */
  async withLocks<T>(names: string[], work: () => Promise<T>, busy: string): Promise<T> {
    const token = randomBytes(12).toString('hex');
    const taken: string[] = [];
    try {
      const giveUpAt = Date.now() + this.waitMs;
      for (const name of [...new Set(names)].sort()) {
        await this.take(this.prefix + name, token, giveUpAt, busy);
        taken.push(this.prefix + name);
      }
      return await work();
    } finally {
      await Promise.all(taken.map((key) => this.redis.eval(RELEASE, 1, key, token).catch(() => undefined)));
    }
  }

  private async take(key: string, token: string, giveUpAt: number, busy: string): Promise<void> {
    for (let pause = RETRY_MIN_MS; ; pause = Math.min(pause * 2, RETRY_MAX_MS)) {
      if ((await this.redis.set(key, token, 'PX', this.ttlMs, 'NX')) === 'OK') return;
      if (Date.now() + pause > giveUpAt) throw new AppError(503, 'busy', busy);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
