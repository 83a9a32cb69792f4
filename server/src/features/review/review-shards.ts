import type { Connection } from 'mongoose';

/** One critique as its giver or receiver sees it in Review. Ids are hex strings here. */
export interface ReviewEntry {
  _id: string; // `${debriefId}:${annotationId}`
  debriefId: string;
  annotationId: string;
  exchangeDate: string;
  round: number;
  role: 'given' | 'received';
  partnerId: string | null;
  authorId: string;
  category: string;
  view: string;
  regionId: string;
  x: number;
  y: number;
  pressure: number | null;
  verdict: string | null;
  wanted: number | null;
  tags: string[];
  text: string;
  status: string;
  createdAt: Date;
  replyCount: number;
  thread: {
    id: string;
    authorId: string;
    kind: string;
    text: string;
    createdAt: Date;
    editedAt: Date | null;
    deleted: boolean;
  }[];
}

const USER_ID = /^[a-f0-9]{24}$/;

/**
 * Review's read model: one collection per therapist (`review_<userId>`) holding every critique
 * they gave or received, with `role` and `partnerId` from their side. Review only ever asks about
 * one person's critiques, so each query reads that person's collection and nothing else. This
 * matters on FerretDB v1 with SQLite, which uses no secondary index: a filter on `giverId` in one
 * shared collection scanned all 100,000 seeded critiques (seconds per query); here it reads a few
 * hundred. On MongoDB the indexes below serve the same queries.
 */
export class ReviewShards {
  private readonly indexed = new Set<string>();

  constructor(private readonly connection: Connection) {}

  of(userId: string) {
    if (!USER_ID.test(userId)) throw new Error(`not a user id: ${userId}`);
    return this.connection.collection<ReviewEntry>(`review_${userId}`);
  }

  /** Writes each entry into its owner's collection. */
  async put(entries: { userId: string; entry: ReviewEntry }[]): Promise<void> {
    const byUser = new Map<string, ReviewEntry[]>();
    for (const { userId, entry } of entries) byUser.set(userId, [...(byUser.get(userId) ?? []), entry]);
    for (const [userId, list] of byUser) {
      await this.ensureIndexes(userId);
      await this.of(userId).bulkWrite(
        list.map((entry) => ({ replaceOne: { filter: { _id: entry._id }, replacement: entry, upsert: true } })),
        { ordered: false },
      );
    }
  }

  async remove(userIds: string[], ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const userId of userIds) {
      await this.of(userId).bulkWrite(
        ids.map((_id) => ({ deleteOne: { filter: { _id } } })),
        { ordered: false },
      );
    }
  }

  /**
   * Best effort and once per user per process: the indexes serve MongoDB, FerretDB v1 ignores
   * them, and a Review write must never fail over an index. One call per index, because
   * FerretDB v1.24 drops the connection on a multi-index createIndexes whose indexes exist.
   */
  private async ensureIndexes(userId: string): Promise<void> {
    if (this.indexed.has(userId)) return;
    this.indexed.add(userId);
    const keys: Record<string, 1 | -1>[] = [{ createdAt: -1 }, { role: 1, createdAt: -1 }, { debriefId: 1 }];
    for (const key of keys) {
      await this.of(userId)
        .createIndex(key)
        .catch(() => undefined);
    }
  }
}
