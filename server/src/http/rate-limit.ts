import { ZodError } from 'zod';
import { AppError, RateLimitedError } from './errors.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Every limit in one table, so operators and docs/api.md read them in one place. Sign-in failures
 * always count (they stop password guessing); sign-ups count every request (a 409 tells whether an
 * email has an account); the others count requests that were not refused (see `spend`) and can be
 * lifted with RATE_LIMITS=off for load tests.
 */
export const RATE_LIMITS = {
  loginFailuresPerAccount: { max: 5, windowMs: 15 * MINUTE, always: true },
  loginFailuresPerAddress: { max: 30, windowMs: 15 * MINUTE, always: true },
  /**
   * Every sign-in, whatever its outcome: each verifies a password with argon2 (19 MiB and tens of
   * milliseconds on one of libuv's four threads) and a success stores a session. A clinic whose
   * dozen therapists sign in on a few devices each stays well under 60 in 15 minutes; a script
   * signing in with a known password in a loop, which the failure limits never see, stops there.
   */
  signInsPerAddress: { max: 60, windowMs: 15 * MINUTE, always: false },
  signupsPerAddress: { max: 20, windowMs: HOUR, always: false },
  exchangesPerUser: { max: 30, windowMs: HOUR, always: false },
  exchangesPerAddress: { max: 100, windowMs: HOUR, always: false },
  exchangeRequestsPerUser: { max: 20, windowMs: HOUR, always: false },
  exchangeRequestsPerAddress: { max: 60, windowMs: HOUR, always: false },
  /**
   * Every note is a live document of its own (loaded into memory when opened) and a record kept in
   * the search index for good. A therapist writes a few a day; turning a morning's marks into notes
   * one by one is a dozen or two in a sitting, so 30 an hour, all at once if need be, leaves them
   * room, while a script stops at 30 an hour instead of thousands a minute.
   */
  notesPerUser: { max: 30, windowMs: HOUR, always: false },
  notesPerAddress: { max: 100, windowMs: HOUR, always: false },
  /**
   * A named version is a full copy of the note (up to 512 KB) kept until the note is deleted, 100 per
   * note. Someone names one before a big rewrite or after a course, a few a day: 20 an hour leaves
   * room for a busy afternoon, while a script fills at most 10 MB an hour instead of gigabytes.
   */
  namedVersionsPerUser: { max: 20, windowMs: HOUR, always: false },
  /**
   * Restoring a version rewrites the live note: the note before is kept as an automatic version
   * (up to 512 KB) and the text it replaces leaves a trace in the document that never shrinks,
   * nearer the note's size limit with every restore. People restore after a rewrite went wrong,
   * or step back through a few versions to find the right one: a handful in an hour. 20 an hour
   * is beyond that, while a script (or a partner with edit rights) cannot churn a shared note and
   * the version store in a loop.
   */
  noteRestoresPerUser: { max: 20, windowMs: HOUR, always: false },
  /**
   * Comments on published notes. A lively exchange under a note is a reply every minute or two; 60 an
   * hour covers that, while a script cannot fill notes' threads (500 each) by the thousand.
   */
  noteCommentsPerUser: { max: 60, windowMs: HOUR, always: false },
  /**
   * A referral is written into both partners' collections. Someone sends a partner a few clients a
   * month and may record past ones in one sitting: 20 an hour is plenty for that.
   */
  referralsPerUser: { max: 20, windowMs: HOUR, always: false },
  /**
   * Blocking or unblocking someone: each closes or reopens what the two share on every open device
   * and tells the other server processes. Nobody blocks dozens of people an hour; someone toggling
   * a block in a loop does.
   */
  blockChangesPerUser: { max: 30, windowMs: HOUR, always: false },
  /**
   * Notifications one person's actions cause another, per sender and recipient; past the limit they
   * are dropped unseen (no 429: the action succeeds and its sender is not told). Repeats about one
   * thing already fold into one notification, so this bounds what else a flood costs the recipient:
   * new entries in the list, toasts, writes. Reviewing a big debrief together is a reply and a resolve
   * on each of its 30-40 marks; 100 an hour covers that and the requests around it, while a script
   * writing 3,000 thread entries into each of its debriefs reaches someone 100 times an hour at most.
   */
  notificationsPerSenderToRecipient: { max: 100, windowMs: HOUR, always: false },
  notificationWritesPerUser: { max: 60, windowMs: MINUTE, always: false },
  notificationWritesPerAddress: { max: 300, windowMs: MINUTE, always: false },
  /** Reading through every therapist page by page is scraping, not looking for a partner. */
  searchesPerUser: { max: 120, windowMs: MINUTE, always: false },
} as const;
export type LimitName = keyof typeof RATE_LIMITS;

/**
 * Where the times of recent requests are kept, per counter id: in this process's memory, or in
 * Redis when several processes serve (server/src/scale/redis-hit-counts.ts), so a limit holds
 * however the balancer spreads requests.
 */
export interface HitCounts {
  /**
   * Counts a hit at `now` and answers, in the same step, the times of the hits counted before it
   * that are still within the window (oldest first): two requests at once never both see room
   * for one. `hit` names this one for `remove`.
   */
  add(id: string, now: number, windowMs: number): Promise<{ hit: string; earlier: number[] }>;
  /** Takes one counted hit back. */
  remove(id: string, hit: string): Promise<void>;
  /** Times of the hits within the window ending `now`, oldest first. */
  recent(id: string, now: number, windowMs: number): Promise<number[]>;
  reset(id: string): Promise<void>;
}

/** A counted request; `giveBack` uncounts it. */
export interface Taken {
  giveBack(): Promise<void>;
}

/** Sliding-window counters per (limit, key). */
export class RateLimits {
  /** `enabled: false` lifts every limit not marked `always`. */
  constructor(
    private readonly enabled = true,
    private readonly hits: HitCounts = new MemoryHitCounts(),
  ) {}

  /**
   * Counts one request against each (limit, key); refuses (429) without counting when any is full.
   * Counting comes first and the check reads what was counted before it, so requests arriving
   * together cannot all slip through the last free place.
   */
  async take(checks: Array<[LimitName, string]>, what: string, now = Date.now()): Promise<Taken> {
    const { waitMs, taken } = await this.claim(checks, now);
    if (waitMs > 0) throw new RateLimitedError(waitMs, 'rate_limited', what);
    return taken;
  }

  /**
   * `take`, then `work`; a refusal from `work` that changed nothing (a 4xx: bad input, no access,
   * not found, a conflict or a cap) gives the count back, so someone who makes mistakes is not
   * locked out sooner. Services refuse before they write, which is what makes this safe.
   */
  async spend<T>(checks: Array<[LimitName, string]>, what: string, work: () => Promise<T>): Promise<T> {
    const taken = await this.take(checks, what);
    try {
      return await work();
    } catch (err) {
      if (isRefusal(err)) await taken.giveBack();
      throw err;
    }
  }

  /** Counts one event when every (limit, key) has room; false, counting nothing, when any is full. */
  async admit(checks: Array<[LimitName, string]>, now = Date.now()): Promise<boolean> {
    return (await this.claim(checks, now)).waitMs === 0;
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
    await this.hits.add(counterId(name, key), now, RATE_LIMITS[name].windowMs);
  }

  async reset(name: LimitName, key: string): Promise<void> {
    await this.hits.reset(counterId(name, key));
  }

  /** Milliseconds until the key may act again under this limit, or 0 when it may act now. */
  async retryAfterMs(name: LimitName, key: string, now = Date.now()): Promise<number> {
    if (!this.applies(name)) return 0;
    const { max, windowMs } = RATE_LIMITS[name];
    return waitFor(await this.hits.recent(counterId(name, key), now, windowMs), max, windowMs, now);
  }

  /** Counts against every limit that applies; when one was full, takes every count back again. */
  private async claim(checks: Array<[LimitName, string]>, now: number): Promise<{ waitMs: number; taken: Taken }> {
    const counted = await Promise.all(
      checks
        .filter(([name]) => this.applies(name))
        .map(async ([name, key]) => {
          const { max, windowMs } = RATE_LIMITS[name];
          const id = counterId(name, key);
          const { hit, earlier } = await this.hits.add(id, now, windowMs);
          return { id, hit, waitMs: waitFor(earlier, max, windowMs, now) };
        }),
    );
    const taken: Taken = {
      giveBack: async () => {
        await Promise.all(counted.map(({ id, hit }) => this.hits.remove(id, hit)));
      },
    };
    const waitMs = Math.max(0, ...counted.map((c) => c.waitMs));
    if (waitMs > 0) await taken.giveBack();
    return { waitMs, taken };
  }

  private applies(name: LimitName): boolean {
    return this.enabled || RATE_LIMITS[name].always;
  }
}

const counterId = (name: LimitName, key: string) => `${name}\0${key}`;

/** Milliseconds until fewer than `max` of these times remain in the window; 0 when there is room now. */
function waitFor(times: number[], max: number, windowMs: number, now: number): number {
  return times.length < max ? 0 : Math.max(1, times[times.length - max]! + windowMs - now);
}

/** An expected refusal (bad input or a 4xx the service chose), as opposed to a failure on our side. */
/**
 * A refusal that tells the asker something about someone else (that a partner is busy at a given
 * time, say): it keeps its place in the limit, or refusals would be a free way to ask again and
 * again and map that person's calendar.
 */
export class RevealingRefusal extends AppError {}

function isRefusal(err: unknown): boolean {
  if (err instanceof RevealingRefusal) return false;
  return err instanceof ZodError || (err instanceof AppError && err.status >= 400 && err.status < 500);
}

/** In memory: one process serves everything, and a restart forgiving a few requests is acceptable. */
export class MemoryHitCounts implements HitCounts {
  private readonly hits = new Map<string, { entries: { at: number; hit: string }[]; windowMs: number }>();
  private nextHit = 0;

  async add(id: string, now: number, windowMs: number): Promise<{ hit: string; earlier: number[] }> {
    const entries = this.inWindow(id, now, windowMs);
    const earlier = entries.map((e) => e.at);
    const hit = String(++this.nextHit);
    entries.push({ at: now, hit });
    this.hits.set(id, { entries, windowMs });
    if (this.hits.size > 50_000) this.prune(now);
    return { hit, earlier };
  }

  async remove(id: string, hit: string): Promise<void> {
    const kept = this.hits.get(id);
    if (kept) kept.entries = kept.entries.filter((e) => e.hit !== hit);
  }

  async recent(id: string, now: number, windowMs: number): Promise<number[]> {
    return this.inWindow(id, now, windowMs).map((e) => e.at);
  }

  async reset(id: string): Promise<void> {
    this.hits.delete(id);
  }

  private inWindow(id: string, now: number, windowMs: number): { at: number; hit: string }[] {
    return (this.hits.get(id)?.entries ?? []).filter((e) => e.at > now - windowMs);
  }

  private prune(now: number): void {
    for (const [id, { entries, windowMs }] of this.hits) {
      if (entries.every((e) => e.at <= now - windowMs)) this.hits.delete(id);
    }
  }
}
