import type { AnyObject, Collection, Connection } from 'mongoose';
import { OBJECT_ID_PATTERN } from '@kneadback/shared/schemas/common';
import { isFerretdb } from './connection.ts';

/** Throws unless `userId` is a user id as the server writes them (24 lower-case hex digits). */
export function assertUserId(userId: string): void {
  if (!OBJECT_ID_PATTERN.test(userId)) throw new Error(`not a user id: ${userId}`);
}

/**
 * One collection per user (`<prefix>_<userId>`) for data only ever read one user at a time. On
 * FerretDB v1 with SQLite any filter other than `_id` equality scans the whole collection and a
 * write that changes a document costs time in proportion to the collection's rows, so a shared
 * collection makes every user's reads and writes slower as all users' data grows; here each
 * costs what that one user has. On MongoDB the indexes given serve the same queries.
 */
export class PerUserCollections<T extends AnyObject> {
  private readonly indexed = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly prefix: string,
    private readonly indexes: Record<string, 1 | -1>[] = [],
  ) {}

  /** The user's own collection (created by its first write). */
  of(userId: string): Collection<T> {
    assertUserId(userId);
    return this.connection.collection<T>(`${this.prefix}_${userId}`);
  }

  /**
   * Best effort and once per user per process: the indexes serve MongoDB, and a write must never
   * fail over an index. Skipped on FerretDB, which plans no query with them and whose metadata
   * operations slow down with the number of collections: on a database with a few thousand
   * per-user collections one createIndex took over 55 s, and a restarted server asked once for
   * every user writing again. One call per index elsewhere (FerretDB v1.24 dropped the
   * connection on a multi-index createIndexes whose indexes exist).
   */
  async ensureIndexes(userId: string): Promise<void> {
    if (this.indexed.has(userId)) return;
    this.indexed.add(userId);
    if (await isFerretdb(this.connection)) return;
    for (const key of this.indexes) {
      await this.of(userId)
        .createIndex(key)
        .catch(() => undefined);
    }
  }
}
