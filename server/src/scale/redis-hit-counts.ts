import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { HitCounts } from '../http/rate-limit.ts';

/**
 * Rate-limit counters shared by every server process: a sorted set of request times per counter,
 * trimmed to the window on each write and expiring with it, so the same limits hold whichever
 * process a request reaches.
 */
export class RedisHitCounts implements HitCounts {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'kb:hits:',
  ) {}

  async add(id: string, now: number, windowMs: number): Promise<void> {
    const key = this.prefix + id;
    await this.redis
      .multi()
      .zremrangebyscore(key, '-inf', now - windowMs)
      // the member only has to be unique; the score is the time
      .zadd(key, now, `${now}:${randomBytes(6).toString('hex')}`)
      .pexpire(key, windowMs)
      .exec();
  }

  async recent(id: string, now: number, windowMs: number): Promise<number[]> {
    const flat = await this.redis.zrangebyscore(this.prefix + id, `(${now - windowMs}`, '+inf', 'WITHSCORES');
    const times: number[] = [];
    for (let i = 1; i < flat.length; i += 2) times.push(Number(flat[i]));
    return times;
  }

  async reset(id: string): Promise<void> {
    await this.redis.del(this.prefix + id);
  }
}
