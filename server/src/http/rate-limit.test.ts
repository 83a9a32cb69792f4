import { describe, expect, it } from 'vitest';
import { z, ZodError } from 'zod';
import { AppError, RateLimitedError } from './errors.ts';
import { MemoryHitCounts, RATE_LIMITS, RateLimits, type LimitName } from './rate-limit.ts';

const { max, windowMs } = RATE_LIMITS.exchangesPerUser;

async function refusal(promise: Promise<unknown>): Promise<RateLimitedError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(RateLimitedError);
  return err as RateLimitedError;
}

describe('RateLimits', () => {
  it('refuses past the limit, without counting the refusal, until the oldest request leaves the window', async () => {
    const limits = new RateLimits();
    const t0 = 1_000_000;
    for (let i = 0; i < max; i++) await limits.take([['exchangesPerUser', 'u']], 'too many new exchanges', t0 + i);
    const err = await refusal(limits.take([['exchangesPerUser', 'u']], 'too many new exchanges', t0 + max));
    expect(err).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(err.retryAfterMs).toBe(windowMs - max);
    expect(err.message).toBe('too many new exchanges; try again in 60 minutes');
    // the first request leaves the window: exactly one more fits
    await limits.take([['exchangesPerUser', 'u']], 'x', t0 + windowMs);
    await refusal(limits.take([['exchangesPerUser', 'u']], 'x', t0 + windowMs));
  });

  it('counts each key apart, and nothing for any key when one of them is full', async () => {
    const limits = new RateLimits();
    for (let i = 0; i < max; i++) await limits.take([['exchangesPerUser', 'full']], 'x', 0);
    await refusal(
      limits.take(
        [
          ['exchangesPerAddress', 'addr'],
          ['exchangesPerUser', 'full'],
        ],
        'x',
        1,
      ),
    );
    expect(await limits.retryAfterMs('exchangesPerUser', 'other', 1)).toBe(0);
    for (let i = 0; i < RATE_LIMITS.exchangesPerAddress.max; i++) await limits.record('exchangesPerAddress', 'addr', 2);
    await refusal(limits.take([['exchangesPerAddress', 'addr']], 'x', 3));
  });

  it('says short waits in seconds', async () => {
    const limits = new RateLimits();
    const perMinute = RATE_LIMITS.notificationWritesPerUser;
    for (let i = 0; i < perMinute.max; i++) await limits.take([['notificationWritesPerUser', 'u']], 'x', 0);
    const err = await refusal(limits.take([['notificationWritesPerUser', 'u']], 'too many', perMinute.windowMs - 1500));
    expect(err.message).toBe('too many; try again in 2 seconds');
    expect(err.retryAfterSeconds).toBe(2);
  });

  it('when disabled, lifts the request limits but keeps the sign-in lockout', async () => {
    const limits = new RateLimits(false);
    for (let i = 0; i < max * 2; i++) await limits.take([['exchangesPerUser', 'u']], 'x', 0);
    for (let i = 0; i < RATE_LIMITS.loginFailuresPerAccount.max; i++)
      await limits.record('loginFailuresPerAccount', 'a', 0);
    expect(await limits.retryAfterMs('loginFailuresPerAccount', 'a', 0)).toBe(
      RATE_LIMITS.loginFailuresPerAccount.windowMs,
    );
    await limits.reset('loginFailuresPerAccount', 'a');
    expect(await limits.retryAfterMs('loginFailuresPerAccount', 'a', 0)).toBe(0);
  });

  it('gives the count back when the work refuses, and keeps it when the work succeeds or fails on our side', async () => {
    const limits = new RateLimits();
    const user: Array<[LimitName, string]> = [['exchangesPerUser', 'u']];
    const counted = () => limits.retryAfterMs('exchangesPerUser', 'u');
    for (const refusal of [new AppError(409, 'conflict', 'x'), new AppError(404, 'not_found', 'x'), zodError()]) {
      for (let i = 0; i < max; i++)
        await expect(limits.spend(user, 'x', () => Promise.reject(refusal))).rejects.toBe(refusal);
    }
    expect(await counted()).toBe(0);
    const outage = new Error('database down');
    await expect(limits.spend(user, 'x', () => Promise.reject(outage))).rejects.toBe(outage);
    for (let i = 1; i < max; i++) await limits.spend(user, 'x', async () => i);
    expect(await counted()).toBeGreaterThan(0);
    await refusal(limits.spend(user, 'x', async () => 'never run'));
  });

  it('counts requests that ask at the same moment in turn: exactly the free places are taken', async () => {
    const limits = new RateLimits(true, new SlowHitCounts());
    const results = await Promise.allSettled(
      Array.from({ length: max + 5 }, () => limits.take([['exchangesPerUser', 'u']], 'x')),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(max);
    expect(await limits.admit([['exchangesPerUser', 'u']])).toBe(false);
    expect(await limits.admit([['exchangesPerUser', 'other']])).toBe(true);
  });
});

/** Answers each call a little later, as Redis does: callers' steps interleave. */
class SlowHitCounts extends MemoryHitCounts {
  override async add(id: string, now: number, windowMs: number) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return super.add(id, now, windowMs);
  }

  override async recent(id: string, now: number, windowMs: number) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return super.recent(id, now, windowMs);
  }
}

function zodError(): ZodError {
  return z.object({ a: z.string() }).safeParse({}).error!;
}
