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

  async add(id: string, now: number, windowMs: number): Promise<{ hit: string; earlier: number[] }> {
    const key = this.prefix + id;
    // the member only has to be unique; the score is the time
    const hit = `${now}:${randomBytes(6).toString('hex')}`;
    // one transaction: what was counted before this hit is read as it is added, so concurrent
    // requests on any process each see the ones that got in first
    const replies = await this.redis
      .multi()
      .zremrangebyscore(key, '-inf', now - windowMs)
      .zrangebyscore(key, `(${now - windowMs}`, '+inf', 'WITHSCORES')
      .zadd(key, now, hit)
      .pexpire(key, windowMs)
      .exec();
    const failed = replies?.find(([err]) => err)?.[0];
    if (!replies || failed) throw failed ?? new Error('the rate-limit transaction was aborted');
    return { hit, earlier: scores(replies[1]![1] as string[]) };
  }

  async remove(id: string, hit: string): Promise<void> {
    await this.redis.zrem(this.prefix + id, hit);
  }

  async recent(id: string, now: number, windowMs: number): Promise<number[]> {
    return scores(await this.redis.zrangebyscore(this.prefix + id, `(${now - windowMs}`, '+inf', 'WITHSCORES'));
  }

  async reset(id: string): Promise<void> {
    await this.redis.del(this.prefix + id);
  }
}

/** The scores of a WITHSCORES reply (member, score, member, score...). */
function scores(flat: string[]): number[] {
  const times: number[] = [];
  for (let i = 1; i < flat.length; i += 2) times.push(Number(flat[i]));
  return times;
}
