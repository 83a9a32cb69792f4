import { KeyedLocks } from '../../keyed-locks.ts';

/**
 * Bookings that involve the same people happen one at a time: checking a person's calendar for
 * overlaps and writing the new exchanges into it, so two requests accepted at the same moment
 * cannot both take one slot.
 */
export interface BookingLock {
  withPeople<T>(userIds: string[], book: () => Promise<T>): Promise<T>;
}

/**
 * The lock in one process's memory. Several server processes (REDIS_URL) share one in Redis
 * instead (server/src/scale/cluster.ts).
 */
export class BookingLocks extends KeyedLocks implements BookingLock {
  withPeople<T>(userIds: string[], book: () => Promise<T>): Promise<T> {
    return this.withKeys(userIds, book);
  }
}
