import type { Connection } from 'mongoose';
import { markThreadReadBodySchema } from '@kneadback/shared/schemas/debrief';
import { OBJECT_ID_PATTERN } from '@kneadback/shared/schemas/common';
import { dropIfExists, runOnce } from '../../db/migrations.ts';
import { PerUserCollections } from '../../db/per-user-collections.ts';

/**
 * When a person last looked at each thread (the basis of unread markers): one document per
 * debrief in that person's own collection (`thread_reads_<userId>`), read and written by `_id`.
 * A shared collection filtered on three fields was a full scan per request on FerretDB v1.
 */
export interface ThreadReadsDoc {
  _id: string; // debrief id
  seen: Record<string, Date>; // annotation id -> when its thread was last seen
}

/** A person marks at most this many threads of one debrief (a debrief holds at most 300 marks). */
export const MAX_READ_MARKERS = 1_000;

export class ThreadReads {
  private readonly collections: PerUserCollections<ThreadReadsDoc>;

  constructor(private readonly connection: Connection) {
    this.collections = new PerUserCollections(connection, 'thread_reads');
  }

  async of(userId: string, exchangeId: string): Promise<Record<string, Date>> {
    return (await this.collections.of(userId).findOne({ _id: exchangeId }))?.seen ?? {};
  }

  /** False when the debrief already has MAX_READ_MARKERS other markers. */
  async mark(userId: string, exchangeId: string, annotationId: string, at = new Date()): Promise<boolean> {
    const seen = await this.of(userId, exchangeId);
    if (!(annotationId in seen) && Object.keys(seen).length >= MAX_READ_MARKERS) return false;
    await this.collections
      .of(userId)
      .updateOne({ _id: exchangeId }, { $set: { [`seen.${annotationId}`]: at } }, { upsert: true });
    return true;
  }

  /**
   * Markers stored by earlier versions in one shared `thread_reads` collection are moved once
   * (a marker in `migrations` makes later starts skip it), then that collection is dropped.
   */
  async moveLegacy(): Promise<number> {
    const done = await runOnce(this.connection, 'thread-reads-per-user', async () => {
      const legacy = this.connection.collection('thread_reads');
      let moved = 0;
      for await (const old of legacy.find({})) {
        const [userId, exchangeId, annotationId] = [old.userId, old.debriefId, old.annotationId].map(String);
        if (!OBJECT_ID_PATTERN.test(userId!) || !markThreadReadBodySchema.safeParse({ annotationId }).success) continue;
        if (!(old.seenAt instanceof Date)) continue;
        await this.mark(userId!, exchangeId!, annotationId!, old.seenAt);
        moved++;
      }
      await dropIfExists(legacy);
      return { moved };
    });
    return done?.moved ?? 0;
  }
}
