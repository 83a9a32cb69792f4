import { describe, expect, it } from 'vitest';
import { RateLimitedError } from './errors.ts';
import { RATE_LIMITS, RateLimits } from './rate-limit.ts';

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
});
