import { OBJECT_ID_PATTERN } from '@kneadback/shared/schemas/common';
import { Types, type Connection } from 'mongoose';
import type { Round } from '@kneadback/shared/schemas/annotation';
import type { NotificationKind } from '@kneadback/shared/schemas/notification';
import { PerUserCollections } from '../../db/per-user-collections.ts';
import { dropIfExists, runOnce } from '../../db/migrations.ts';

/** One notification in its recipient's own collection (`notifications_<userId>`). */
export interface NotificationDoc {
  _id: Types.ObjectId;
  kind: NotificationKind;
  actorId: Types.ObjectId;
  actorName: string;
  exchangeId: Types.ObjectId | null;
  /** Absent on notifications stored before exchange requests existed. */
  requestId?: Types.ObjectId | null;
  annotationId: string | null;
  /** Absent in notifications stored before it was kept. */
  round?: Round | null;
  text: string;
  /** How many events this one stands for (repeats fold into it while unread); absent on older ones: 1. */
  count?: number;
  /** When the latest of them happened. */
  createdAt: Date;
  readAt: Date | null;
}

/**
 * Notifications live one collection per recipient: every read and write of the feature is about
 * one person's notifications, so each costs what that person has, not what everyone has (on
 * FerretDB v1 a shared collection was scanned whole to count one user's unread ones). The unread
 * count is counted in that small collection, so it can never drift from what is stored.
 */
export function notificationCollections(connection: Connection): PerUserCollections<NotificationDoc> {
  return new PerUserCollections<NotificationDoc>(connection, 'notifications', [
    { createdAt: -1, _id: -1 },
    { readAt: 1 },
  ]);
}

/** Where every user's notifications were kept before they had a collection each. */
const LEGACY_COLLECTION = 'notifications';

const MARKER = 'notifications-per-user';
const BATCH = 5_000;

/**
 * Moves notifications stored in the old single collection into their recipients' collections,
 * once: a marker read by `_id` makes later starts skip it. One pass over the old collection,
 * inserts in batches per user, then the old collection is dropped (deleting its documents one by
 * one would cost a scan each on FerretDB v1). Safe to rerun after a crash part-way: a document
 * already moved is a duplicate `_id` and is left as it is (it may have been marked read since).
 * Documents no one could be shown (no valid recipient or ids) are left out and counted.
 *
 * Creating a collection costs FerretDB v1 about 25 ms, so a database with old notifications for
 * 1,000 people takes about 25 s: the server runs this after it starts serving.
 */
export async function moveNotificationsToPerUserCollections(
  connection: Connection,
): Promise<{ moved: number; skipped: number }> {
  return (await runOnce(connection, MARKER, () => moveNotifications(connection))) ?? { moved: 0, skipped: 0 };
}

async function moveNotifications(connection: Connection): Promise<{ moved: number; skipped: number }> {
  const collections = notificationCollections(connection);
  const legacy = connection.collection(LEGACY_COLLECTION);
  const pending = new Map<string, NotificationDoc[]>();
  let buffered = 0;
  let moved = 0;
  let skipped = 0;
  const flush = async () => {
    for (const [userId, docs] of pending) {
      await insertIgnoringDuplicates(collections.of(userId), docs);
      moved += docs.length;
    }
    pending.clear();
    buffered = 0;
  };
  for await (const old of legacy.find({})) {
    const { userId, _id, kind, actorId, actorName, exchangeId, annotationId, text, createdAt, readAt } = old;
    const key = userId == null ? '' : String(userId);
    const ids = [_id, actorId, exchangeId].map(asObjectId);
    if (!OBJECT_ID_PATTERN.test(key) || ids.includes(null) || !(createdAt instanceof Date)) {
      skipped++;
      continue;
    }
    const doc: NotificationDoc = {
      _id: ids[0]!,
      kind: kind as NotificationKind,
      actorId: ids[1]!,
      actorName: String(actorName ?? ''),
      exchangeId: ids[2]!,
      annotationId: typeof annotationId === 'string' ? annotationId : null,
      text: String(text ?? ''),
      createdAt,
      readAt: readAt instanceof Date ? readAt : null,
    };
    const list = pending.get(key) ?? [];
    list.push(doc);
    pending.set(key, list);
    if (++buffered >= BATCH) await flush();
  }
  await flush();
  await dropIfExists(legacy);
  return { moved, skipped };
}

/** Ids as the server writes them; older tools also wrote them as hex strings. */
function asObjectId(value: unknown): Types.ObjectId | null {
  if (value instanceof Types.ObjectId) return value;
  return typeof value === 'string' && OBJECT_ID_PATTERN.test(value) ? new Types.ObjectId(value) : null;
}

async function insertIgnoringDuplicates(
  collection: ReturnType<PerUserCollections<NotificationDoc>['of']>,
  docs: NotificationDoc[],
): Promise<void> {
  try {
    await collection.insertMany(docs, { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
    if (list.length === 0 || list.some((e) => e.code !== 11000)) throw err;
  }
}
