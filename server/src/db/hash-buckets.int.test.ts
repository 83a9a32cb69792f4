import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { withDatabaseName } from '../../../tests/helpers/test-server.ts';
import { ProjectionStates } from '../features/debriefs/model.ts';
import { ReviewShards } from '../features/review/review-shards.ts';
import { bucketOf, HASH_BUCKETS } from './hash-buckets.ts';

const connections: mongoose.Connection[] = [];

afterAll(async () => {
  for (const c of connections) {
    await c.dropDatabase().catch(() => undefined);
    await c.close();
  }
});

async function freshConnection() {
  const uri = withDatabaseName(inject('mongoUri'), `kb_buckets_${randomBytes(4).toString('hex')}`);
  const connection = await mongoose.createConnection(uri, { retryWrites: false }).asPromise();
  connections.push(connection);
  return connection;
}

const collectionNames = async (connection: mongoose.Connection) =>
  (await connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);

describe('hash buckets', () => {
  it('spreads keys over all 256 buckets, each key always in the same one', () => {
    const names = new Set(Array.from({ length: 4096 }, (_, i) => bucketOf(`key-${i}`)));
    expect(names.size).toBe(HASH_BUCKETS);
    expect(bucketOf('d')).toBe('18'); // the snapshot buckets' names before this module: unchanged
  });

  it('moves projection states kept in one collection into their buckets once; a newer bucket row stays', async () => {
    const connection = await freshConnection();
    const legacy = connection.collection<{ _id: string; hashes: object; threadIds: string[] }>('critique_projections');
    await legacy.insertMany([
      { _id: 'old', hashes: { a: 'h1' }, threadIds: ['t1'] },
      { _id: 'both', hashes: { a: 'stale' }, threadIds: [] },
    ]);
    const states = new ProjectionStates(connection);
    // written since by a process that serves from the buckets: the newer one
    await states.put({ _id: 'both', hashes: { a: 'fresh' }, threadIds: ['t2'] });

    expect(await states.moveLegacy()).toEqual({ moved: 1 });
    expect(await states.get('old')).toEqual({ _id: 'old', hashes: { a: 'h1' }, threadIds: ['t1'] });
    expect(await states.get('both')).toMatchObject({ hashes: { a: 'fresh' }, threadIds: ['t2'] });
    expect(await collectionNames(connection)).not.toContain('critique_projections');
    expect(await connection.collection(`critique_projections_${bucketOf('old')}`).countDocuments()).toBe(1);
    // once per database: a legacy collection appearing later is not read again
    await legacy.insertOne({ _id: 'late', hashes: {}, threadIds: [] });
    expect(await states.moveLegacy()).toBeNull();
    expect(await states.get('late')).toBeNull();
  });

  it('keeps Review version tokens across the move, so caches built on them stay valid', async () => {
    const connection = await freshConnection();
    const userId = new mongoose.Types.ObjectId().toHexString();
    await connection.collection<{ _id: string; v: string }>('review_versions').insertOne({ _id: userId, v: 'token-1' });
    const shards = new ReviewShards(connection);
    expect(await shards.moveLegacyVersions()).toEqual({ moved: 1 });
    expect(await shards.version(userId)).toBe('token-1');
    expect(await collectionNames(connection)).toContain(`review_versions_${bucketOf(userId)}`);
  });
});
