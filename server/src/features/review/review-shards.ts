import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { CritiqueRecord } from '@kneadback/shared/schemas/critique';
import { HashBuckets } from '../../db/hash-buckets.ts';
import { runOnce } from '../../db/migrations.ts';
import { assertUserId, PerUserCollections } from '../../db/per-user-collections.ts';

/** Where the version tokens were kept before the buckets, and the buckets' prefix. */
const VERSIONS = 'review_versions';

/**
 * Review's read model: one collection per therapist (`review_<userId>`) holding every critique
 * they gave or received, with `role` and `partnerId` from their side. Review only ever asks about
 * one person's critiques, so each query reads that person's collection and nothing else. This
 * matters on FerretDB v1 with SQLite, which uses no secondary index: a filter on `giverId` in one
 * shared collection scanned all 100,000 seeded critiques (seconds per query); here it reads a few
 * hundred. On MongoDB the indexes below serve the same queries.
 *
 * Beside each collection, a version token (`review_versions_<xx>`, one document per therapist in
 * 256 buckets by a hash of the id, read by `_id`; see HashBuckets) that every write through this class replaces once the write is done, so a reader can
 * tell in one `_id` lookup whether what it read earlier is still what the collection holds, also
 * when another process wrote. Writes that bypass this class are seen only if they come before the
 * first read (the token is created then).
 */
/**
 * What a write through this instance changed: the entries written and the ids removed, or null
 * when unknown (a failed write may have landed in part). `before` is the token it replaced.
 */
export type ReviewWriteListener = (
  userId: string,
  change: { put: CritiqueRecord[]; removed: string[] } | null,
  tokens: { before: string | null; after: string },
) => void;

export class ReviewShards {
  private readonly listeners = new Set<ReviewWriteListener>();
  private readonly collections: PerUserCollections<CritiqueRecord>;
  private readonly versionBuckets: HashBuckets<{ _id: string; v: string }>;

  constructor(connection: Connection) {
    this.versionBuckets = new HashBuckets(connection, VERSIONS);
    this.collections = new PerUserCollections<CritiqueRecord>(connection, 'review', [
      { createdAt: -1 },
      { role: 1, createdAt: -1 },
      { exchangeId: 1 },
    ]);
  }

  of(userId: string) {
    return this.collections.of(userId);
  }

  /** Moves the tokens of a database written before their buckets, once, before Review serves. */
  moveLegacyVersions(): Promise<{ moved: number } | null> {
    return this.versionBuckets.moveFrom(VERSIONS);
  }

  /** The token for what the user's collection holds now; a new one after every write. */
  async version(userId: string): Promise<string> {
    assertUserId(userId);
    const found = await this.versionBuckets.of(userId).findOne({ _id: userId });
    if (found) return found.v;
    // First read of a collection written before tokens existed (or by a seeder): start one.
    // Never overwrites a writer's token; a racing upsert of the same _id may fail, then re-read.
    await this.versionBuckets
      .of(userId)
      .updateOne({ _id: userId }, { $setOnInsert: { v: newToken() } }, { upsert: true })
      .catch(() => undefined);
    const created = await this.versionBuckets.of(userId).findOne({ _id: userId });
    if (!created) throw new Error(`no Review version for ${userId}`);
    return created.v;
  }

  /** Every entry of the user's collection, or null when there are more than `max`. */
  async all(userId: string, max: number): Promise<CritiqueRecord[] | null> {
    const docs = await this.of(userId)
      .find({})
      .limit(max + 1)
      .toArray();
    return docs.length > max ? null : docs;
  }

  /** Told of every write through this instance, once its token is replaced. */
  onWrite(listener: ReviewWriteListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after the user's collection changed (and only after: see the class comment). */
  private async bump(userId: string, change: { put: CritiqueRecord[]; removed: string[] } | null): Promise<void> {
    const after = newToken();
    const replaced = await this.versionBuckets
      .of(userId)
      .findOneAndUpdate({ _id: userId }, { $set: { v: after } }, { upsert: true, returnDocument: 'before' });
    for (const listener of this.listeners) listener(userId, change, { before: replaced?.v ?? null, after });
  }

  /** Writes, then a new token; the change is known only when the write succeeded. */
  private async written(userId: string, write: Promise<unknown>, change: { put: CritiqueRecord[]; removed: string[] }) {
    try {
      await write;
    } catch (err) {
      // a failed unordered bulk write may have written part of its list: a new token either way
      await this.bump(userId, null);
      throw err;
    }
    await this.bump(userId, change);
  }

  /** Writes each record into its owner's collection. */
  async put(records: { userId: string; record: CritiqueRecord }[]): Promise<void> {
    const byUser = new Map<string, CritiqueRecord[]>();
    for (const { userId, record } of records) byUser.set(userId, [...(byUser.get(userId) ?? []), record]);
    for (const [userId, list] of byUser) {
      await this.collections.ensureIndexes(userId);
      await this.written(
        userId,
        this.of(userId).bulkWrite(
          list.map((entry) => ({ replaceOne: { filter: { _id: entry._id }, replacement: entry, upsert: true } })),
          { ordered: false },
        ),
        { put: list, removed: [] },
      );
    }
  }

  async remove(userIds: string[], ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const userId of userIds) {
      await this.written(
        userId,
        this.of(userId).bulkWrite(
          ids.map((_id) => ({ deleteOne: { filter: { _id } } })),
          { ordered: false },
        ),
        { put: [], removed: ids },
      );
    }
  }
}

const newToken = () => randomBytes(9).toString('base64url');

/**
 * Records written before the exchange's id had one name carry it as `debriefId`: renamed once per
 * database, at start-up before Review serves (one pass over each therapist's collection).
 */
export async function nameReviewRecordsByExchange(connection: Connection): Promise<number> {
  const done = await runOnce(connection, 'review-records-exchange-id', async () => {
    const collections = await connection.db!.listCollections({}, { nameOnly: true }).toArray();
    let renamed = 0;
    for (const { name } of collections.filter((c) => /^review_[0-9a-f]{24}$/.test(c.name))) {
      const result = await connection
        .collection(name)
        .updateMany({ debriefId: { $exists: true } }, { $rename: { debriefId: 'exchangeId' } });
      renamed += result.modifiedCount;
    }
    return { renamed };
  });
  return done?.renamed ?? 0;
}
