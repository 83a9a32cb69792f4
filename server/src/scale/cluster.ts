import { randomBytes } from 'node:crypto';
import { createAdapter } from '@socket.io/redis-adapter';
import type { DocStore } from '../collab/doc-store.ts';
import type { PersonLock } from '../keyed-locks.ts';
import type { Logger } from '../logger.ts';
import { RedisChangeFeed } from './change-feed.ts';
import { DocFanout } from './doc-fanout.ts';
import { fencedByLeases, Leases } from './leases.ts';
import { connectRedis } from './redis-connections.ts';
import { RedisHitCounts } from './redis-hit-counts.ts';
import { RedisLocks } from './redis-locks.ts';
import { SharedRooms } from './shared-rooms.ts';

/** A writer that dies is replaced within about this long (plus one renewal tick). */
const DOC_LEASE_TTL_MS = 5_000;
/** The update-log sweep of one process at a time; a sweep can take a while on FerretDB. */
const SWEEP_LEASE = 'sweeper';
const SWEEP_LEASE_TTL_MS = 10 * 60_000;
const SIGN_OUT_CHANNEL = 'kb:signed-out';

export interface ClusterOptions {
  leaseTtlMs?: number;
  antiEntropyMs?: number;
}

/**
 * What a server process needs to serve beside others behind one balancer (REDIS_URL set): live
 * documents shared through Redis with one writer each (its snapshots fenced by its lease's
 * epoch), rate limits counted in Redis, Socket.IO events delivered to whichever process holds
 * the socket, sign-outs that close live documents on every process, the change feed that keeps
 * every in-memory index in step, the booking lock and the lock on each person's note storage.
 */
export async function joinCluster(redisUrl: string, logger: Logger, opts: ClusterOptions = {}) {
  const redis = await connectRedis(redisUrl, logger);
  const owner = randomBytes(8).toString('hex');
  const leases = new Leases(redis.commands, owner, opts.leaseTtlMs ?? DOC_LEASE_TTL_MS);
  const fanout = new DocFanout(redis.commands, redis.another('fanout'), owner, logger, opts.antiEntropyMs);
  const rooms = new SharedRooms(fanout, leases, logger);
  const signOuts = redis.another('sign-outs');
  await signOuts.subscribe(SIGN_OUT_CHANNEL);
  const locks = new RedisLocks(redis.commands);
  const changes = new RedisChangeFeed(redis.commands, redis.another('changes'), logger);
  await changes.start();
  logger.info({ owner }, 'serving beside other processes through Redis');

  return {
    owner,
    leases,
    rooms,
    hitCounts: new RedisHitCounts(redis.commands),
    changes,
    /** BookingLock (features/exchange-requests) across processes. */
    bookingLock: {
      withPeople: <T>(userIds: string[], book: () => Promise<T>) =>
        locks.withLocks(
          userIds.map((id) => `booking:${id}`),
          book,
          'another booking is under way; try again',
        ),
    },
    /** NoteStorage's per-person lock (features/notes/storage.ts) across processes. */
    noteStorageLock: personLock(locks, 'note-storage', 'your notes are being saved elsewhere; try again'),
    /** AuthService's lock on a person's list of sessions across processes. */
    sessionListLock: personLock(locks, 'session-list', 'you are signing in elsewhere at this moment; try again'),
    socketAdapter: createAdapter(redis.commands, redis.another('socket.io')),

    /**
     * The document store as several processes must use it: the update-log sweep runs on one
     * process at a time, on a fresh view of the store (a store's memory of which log windows hold
     * whose entries covers only its own writes; the others' would be swept away with them), and
     * every snapshot is fenced by the epoch of the lease under which this process writes it.
     */
    sharedStore(store: DocStore, freshView: () => DocStore): DocStore {
      return {
        ...fencedByLeases(store, leases),
        async sweep() {
          if (!(await leases.hold(SWEEP_LEASE, SWEEP_LEASE_TTL_MS))) return;
          try {
            await freshView().sweep();
          } finally {
            await leases.release(SWEEP_LEASE);
          }
        },
      };
    },

    /** FirstInWindow (features/debriefs/activity.ts) across processes: the first SET NX wins. */
    async firstInWindow(key: string, windowMs: number): Promise<boolean> {
      return (await redis.commands.set(`kb:once:${key}`, '1', 'PX', windowMs, 'NX')) === 'OK';
    },

    /** Tells every process a session ended; `closeSession` runs on each (this one included). */
    shareSignOuts(onSignOut: (listener: (sessionKey: string) => void) => void, closeSession: (key: string) => void) {
      signOuts.on('message', (_channel: string, sessionKey: string) => closeSession(sessionKey));
      onSignOut((sessionKey) => void redis.commands.publish(SIGN_OUT_CHANNEL, sessionKey).catch(() => undefined));
    },

    async close(): Promise<void> {
      rooms.close();
      fanout.close();
      await redis.close();
    },
  };
}

export type Cluster = Awaited<ReturnType<typeof joinCluster>>;

function personLock(locks: RedisLocks, name: string, busy: string): PersonLock {
  return { withPerson: (userId, work) => locks.withLocks([`${name}:${userId}`], work, busy) };
}
