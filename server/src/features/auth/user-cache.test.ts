import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import type { UserRecord } from './model.ts';
import { UserCache } from './user-cache.ts';

const user = (displayName: string, id = new Types.ObjectId()) => ({ _id: id, displayName }) as unknown as UserRecord;

describe('UserCache', () => {
  it('answers from memory for 30 s, then asks the database again', () => {
    let now = 0;
    const cache = new UserCache(() => now);
    const ana = user('Ana');
    cache.set(ana);
    now = 30_000;
    expect(cache.get(ana._id.toHexString())).toBe(ana);
    now = 30_001;
    expect(cache.get(ana._id.toHexString())).toBeUndefined();
  });

  it('replaces an entry when this process changes the user', () => {
    const cache = new UserCache();
    const id = new Types.ObjectId();
    cache.set(user('Ana', id));
    cache.set(user('Ana Lima', id));
    expect(cache.get(id.toHexString())?.displayName).toBe('Ana Lima');
  });

  it('keeps a write made while a long read of every user ran, not the older record that read found', () => {
    const cache = new UserCache();
    const id = new Types.ObjectId();
    const readSince = cache.beforeRead(); // the pass over all users starts
    cache.set(user('Ana Lima', id)); // a profile change through this process meanwhile
    cache.setIfAbsent(user('Ana', id), readSince); // what the pass read before the change
    expect(cache.get(id.toHexString())?.displayName).toBe('Ana Lima');
    const other = new Types.ObjectId();
    cache.setIfAbsent(user('Ben', other), readSince);
    expect(cache.get(other.toHexString())?.displayName).toBe('Ben');
  });

  it('forgets a user another process changed, and keeps no read that began before the forget', () => {
    const cache = new UserCache();
    const id = new Types.ObjectId();
    cache.set(user('Ana', id));
    const readSince = cache.beforeRead(); // a request starts reading Ana from the database
    cache.forget(id.toHexString()); // meanwhile another process renamed her
    expect(cache.get(id.toHexString())).toBeUndefined();
    cache.set(user('Ana', id), readSince); // the read ends with what it saw before the change
    expect(cache.get(id.toHexString())).toBeUndefined();
    cache.set(user('Ana Lima', id), cache.beforeRead());
    expect(cache.get(id.toHexString())?.displayName).toBe('Ana Lima');
  });
});
