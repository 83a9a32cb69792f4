import { RateLimitedError } from './errors.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Every limit in one table, so operators and docs/api.md read them in one place. Sign-in counts
 * failures only and always applies (it stops password guessing); the others count every request
 * and can be lifted with RATE_LIMITS=off for load tests.
 */
export const RATE_LIMITS = {
  loginFailuresPerAccount: { max: 5, windowMs: 15 * MINUTE, always: true },
  loginFailuresPerAddress: { max: 30, windowMs: 15 * MINUTE, always: true },
  signupsPerAddress: { max: 20, windowMs: HOUR, always: false },
  exchangesPerUser: { max: 30, windowMs: HOUR, always: false },
  exchangesPerAddress: { max: 100, windowMs: HOUR, always: false },
  notificationWritesPerUser: { max: 60, windowMs: MINUTE, always: false },
  notificationWritesPerAddress: { max: 300, windowMs: MINUTE, always: false },
  /** Reading through every therapist page by page is scraping, not looking for a partner. */
  searchesPerUser: { max: 120, windowMs: MINUTE, always: false },
} as const;
export type LimitName = keyof typeof RATE_LIMITS;

/**
 * Sliding-window counters per (limit, key). In memory on purpose: one process serves everything
 * today, and a restart forgiving a few requests is acceptable. The methods are async so a shared
 * store (Redis, when several processes serve) can replace the map without touching callers.
 */
export class RateLimits {
  private readonly hits = new Map<string, number[]>();

  /** `enabled: false` lifts every limit not marked `always`. */
  constructor(private readonly enabled = true) {}

  /** Counts one request against each (limit, key); refuses without counting when any is full. */
  async take(checks: Array<[LimitName, string]>, what: string, now = Date.now()): Promise<void> {
    await this.refuseWhenFull(checks, 'rate_limited', what, now);
    for (const [name, key] of checks) await this.record(name, key, now);
  }

  /** Refuses (429 with `code`) when any (limit, key) is full; counts nothing. */
  async refuseWhenFull(
    checks: Array<[LimitName, string]>,
    code: string,
    what: string,
    now = Date.now(),
  ): Promise<void> {
    const waits = await Promise.all(checks.map(([name, key]) => this.retryAfterMs(name, key, now)));
    const wait = Math.max(0, ...waits);
    if (wait > 0) throw new RateLimitedError(wait, code, what);
  }

  async record(name: LimitName, key: string, now = Date.now()): Promise<void> {
    if (!this.applies(name)) return;
    const id = `${name}\0${key}`;
    const recent = this.recent(name, id, now);
    recent.push(now);
    this.hits.set(id, recent);
    if (this.hits.size > 50_000) this.prune(now);
  }

  async reset(name: LimitName, key: string): Promise<void> {
    this.hits.delete(`${name}\0${key}`);
  }

  /** Milliseconds until the key may act again under this limit, or 0 when it may act now. */
  async retryAfterMs(name: LimitName, key: string, now = Date.now()): Promise<number> {
    if (!this.applies(name)) return 0;
    const { max, windowMs } = RATE_LIMITS[name];
    const recent = this.recent(name, `${name}\0${key}`, now);
    return recent.length < max ? 0 : recent[recent.length - max]! + windowMs - now;
  }

  private applies(name: LimitName): boolean {
    return this.enabled || RATE_LIMITS[name].always;
  }

  private recent(name: LimitName, id: string, now: number): number[] {
    const { windowMs } = RATE_LIMITS[name];
    return (this.hits.get(id) ?? []).filter((t) => t > now - windowMs);
  }

  private prune(now: number): void {
    for (const [id, times] of this.hits) {
      const name = id.slice(0, id.indexOf('\0')) as LimitName;
      if (times.every((t) => t <= now - RATE_LIMITS[name].windowMs)) this.hits.delete(id);
    }
  }
}
