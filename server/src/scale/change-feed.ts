import type { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/**
 * "Record `id` of `topic` changed": how every in-memory copy of stored records (the notes index,
 * the discovery index, the user cache) stays in step with writes made by other server processes.
 * Only the fact travels; each process reads the record again from the database by `_id`.
 */
export interface ChangeFeed {
  /** Tells every process (this one included) that a record changed; call after the write is stored. */
  changed(topic: string, id: string): Promise<void>;
  /**
   * Starts following a topic: `reread` for each changed record, `reloadAll` when changes may have
   * been missed. A topic's followers reread in the order they started following.
   */
  follow(topic: string, follower: FeedFollower): void;
  /**
   * Resolves once every change announced anywhere before this call has been read again here:
   * what a request reads from memory afterwards is at least as new as every write answered before it.
   */
  caughtUp(): Promise<void>;
}

export interface FeedFollower {
  reread(id: string): Promise<void> | void;
  reloadAll(): Promise<void> | void;
}

/** One process: its own writes update its memory directly, so there is nothing to follow. */
export const ONE_PROCESS_FEED: ChangeFeed = {
  changed: () => Promise.resolve(),
  follow: () => undefined,
  caughtUp: () => Promise.resolve(),
};

const SEQ_KEY = 'kb:changes:seq';
const CHANNEL = 'kb:changes';
/** How long caughtUp waits for announced changes to arrive before assuming some were lost. */
const CATCH_UP_WAIT_MS = 2_000;
/** How long caughtUp waits for Redis to say how many changes there are before serving without it. */
const COUNTER_WAIT_MS = 1_000;
// Numbers and publishes a change in one step, so changes go out in the order of their numbers.
const ANNOUNCE = `
local seq = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], seq .. ' ' .. ARGV[2] .. ' ' .. ARGV[3])
return seq`;

/**
 * The feed across processes: every change gets the next number of one Redis counter and is
 * published with it on one channel. A process knows how far it has read (`done`: every change up
 * to that number has been read again), so "caught up" costs one GET of the counter, and usually
 * no wait at all. Pub/sub keeps nothing for a subscriber that was away: a gap in the numbers, a
 * change that never arrives, or a reconnection to Redis makes every follower reload everything
 * it holds. With Redis unreachable a process serves from its own memory (as a single process
 * would) and its changes go unannounced; every process reloads when Redis returns.
 */
export class RedisChangeFeed implements ChangeFeed {
  private readonly followers = new Map<string, FeedFollower[]>();
  /** Rereads of one record run one after another, so an older read never lands after a newer one. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly running = new Set<number>();
  private received = 0;
  private waiters: { seq: number; resolve: () => void }[] = [];
  private reloading: Promise<void> | null = null;
  /** Messages that arrived before start() read the counter: handled once it has. */
  private early: string[] | null = [];

  constructor(
    private readonly commands: Redis,
    private readonly subscriber: Redis,
    private readonly logger: Logger,
  ) {}

  /** Subscribes, then starts counting from the changes announced so far (before any index loads). */
  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== CHANNEL) return;
      if (this.early) this.early.push(message);
      else this.receive(message);
    });
    await this.subscriber.subscribe(CHANNEL);
    this.received = Number(await this.commands.get(SEQ_KEY)) || 0;
    for (const message of this.early ?? []) this.receive(message);
    this.early = null;
    this.subscriber.on('ready', () => {
      // subscribed again after a disconnection: whatever was announced meanwhile never arrived
      void this.commands.get(SEQ_KEY).then(
        (latest) => this.reloadAll(Number(latest) || 0, 'reconnected to Redis'),
        () => undefined,
      );
    });
  }

  async changed(topic: string, id: string): Promise<void> {
    await this.commands.eval(ANNOUNCE, 1, SEQ_KEY, CHANNEL, topic, id).catch((err: unknown) => {
      // the change is stored: the others read it when they reload, once Redis is back
      this.logger.warn({ err, topic, id }, 'announcing a change to other processes failed');
    });
  }

  follow(topic: string, follower: FeedFollower): void {
    this.followers.set(topic, [...(this.followers.get(topic) ?? []), follower]);
  }

  async caughtUp(): Promise<void> {
    const latest = await this.latest();
    if (latest === null) return; // Redis unreachable: serve from memory, as one process would
    if (this.reloading) await this.reloading;
    if (this.done >= latest) return;
    const arrived = new Promise<boolean>((resolve) => this.waiters.push({ seq: latest, resolve: () => resolve(true) }));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), CATCH_UP_WAIT_MS)));
    const inTime = await Promise.race([arrived, late]);
    clearTimeout(timer);
    if (!inTime) await this.reloadAll(latest, 'announced changes did not arrive');
  }

  /** The number of the last change announced anywhere, or null when Redis does not answer in time. */
  private async latest(): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), COUNTER_WAIT_MS)));
    const counter = this.commands.get(SEQ_KEY).then(
      (value) => Number(value) || 0,
      () => null,
    );
    const latest = await Promise.race([counter, late]);
    clearTimeout(timer);
    if (latest === null) this.logger.warn('Redis did not say how many changes there are; serving from memory');
    return latest;
  }

  /** Every change up to this number has been read again here. */
  private get done(): number {
    return this.running.size > 0 ? Math.min(...this.running) - 1 : this.received;
  }

  private receive(message: string): void {
    const [seqText, topic, id] = message.split(' ');
    const seq = Number(seqText);
    if (!topic || !id || !(seq > this.received)) return;
    if (seq > this.received + 1) {
      void this.reloadAll(seq, 'changes from other processes were missed');
      return;
    }
    this.received = seq;
    const followers = this.followers.get(topic);
    if (!followers) return this.settle();
    this.running.add(seq);
    const key = `${topic} ${id}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        for (const follower of followers) await follower.reread(id);
      })
      .catch((err: unknown) => this.logger.error({ err, topic, id }, 'reading a changed record again failed'))
      .finally(() => {
        this.running.delete(seq);
        if (this.chains.get(key) === next) this.chains.delete(key);
        this.settle();
      });
    this.chains.set(key, next);
  }

  private reloadAll(upTo: number, why: string): Promise<void> {
    this.reloading ??= (async () => {
      this.logger.warn({ upTo }, `${why}: reloading every shared index`);
      this.received = Math.max(this.received, upTo);
      for (const [topic, followers] of this.followers) {
        for (const follower of followers) {
          await Promise.resolve(follower.reloadAll()).catch((err: unknown) =>
            this.logger.error({ err, topic }, 'reloading an index failed'),
          );
        }
      }
    })().finally(() => {
      this.reloading = null;
      this.settle();
    });
    return this.reloading;
  }

  private settle(): void {
    if (this.reloading) return;
    const done = this.done;
    const ready = this.waiters.filter((w) => w.seq <= done);
    this.waiters = this.waiters.filter((w) => w.seq > done);
    for (const w of ready) w.resolve();
  }
}
