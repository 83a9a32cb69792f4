import { createHash } from 'node:crypto';
import { OBJECT_ID_PATTERN } from '@kneadback/shared/schemas/common';
import { Types, type mongo } from 'mongoose';
import type { Round } from '@kneadback/shared/schemas/annotation';
import type {
  MarkNotificationsReadBody,
  Notification,
  NotificationKind,
  NotificationListResponse,
  UnreadCount,
} from '@kneadback/shared/schemas/notification';
import { retryTransient } from '../../collab/db-errors.ts';
import { isDuplicateKey } from '../../db/connection.ts';
import type { PerUserCollections } from '../../db/per-user-collections.ts';
import type { RateLimits } from '../../http/rate-limit.ts';
import type { Realtime } from '../../realtime/socket-server.ts';
import type { NotificationDoc } from './model.ts';

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  actor: { id: string; displayName: string };
  exchangeId: string | null;
  requestId?: string | null;
  annotationId?: string | null;
  /** The round of the mark it is about, so its link opens there. */
  round?: Round | null;
  text: string;
}

const NEWEST_FIRST = { createdAt: -1, _id: -1 } as const;
/** How long a notification is retried when its write fails for a passing reason. */
const FOLD_RETRY_MS = 5_000;

/**
 * Stored first (so the list survives reloads), then pushed live to the recipient's sockets. Every
 * operation reads or writes only the recipient's own collection (see `notificationCollections`).
 */
export class NotificationService {
  constructor(
    private readonly collections: PerUserCollections<NotificationDoc>,
    private readonly realtime: Realtime,
    private readonly limits: RateLimits,
  ) {}

  /**
   * Stores and pushes one notification, bounded per sender and recipient so nobody can flood
   * another's inbox: a repeat of the same kind about the same thing by the same person (another
   * reply on one mark, another counter-proposal on one request) folds into the one notification
   * about it, which counts the repeats and comes back to the top, unread; and past
   * RATE_LIMITS.notificationsPerSenderToRecipient in an hour the rest are dropped. The action
   * that caused it succeeds either way and its sender is not told.
   */
  async notify(n: NewNotification): Promise<void> {
    // a reminder is the user's own setting speaking; everything else is someone else's action
    const own = n.userId === n.actor.id;
    if (own && n.kind !== 'rhythm-reminder') throw new Error('people are not notified of their own actions');
    if (!own && !(await this.limits.admit([['notificationsPerSenderToRecipient', `${n.actor.id}>${n.userId}`]]))) {
      return;
    }
    const mine = this.collections.of(n.userId);
    await this.collections.ensureIndexes(n.userId);
    const fields = {
      kind: n.kind,
      actorId: new Types.ObjectId(n.actor.id),
      actorName: n.actor.displayName,
      exchangeId: n.exchangeId === null ? null : new Types.ObjectId(n.exchangeId),
      requestId: n.requestId ? new Types.ObjectId(n.requestId) : null,
      annotationId: n.annotationId ?? null,
      round: n.round ?? null,
      text: n.text,
      createdAt: new Date(),
      readAt: null,
    };
    // a person's first notifications create their collection, and FerretDB refuses one of two
    // creating it at once ("table already exists"): that one goes again and finds it there
    const { _id, count, repeat } = await retryTransient(() => fold(mine, subjectId(n), fields), {
      withinMs: FOLD_RETRY_MS,
    });
    this.realtime.emitToUser(n.userId, 'notification:new', present({ _id, ...fields, count }));
    // a repeat leaves the unread count as it was; counting scans the recipient's collection, so
    // only for someone who would see the figure (a device connecting later loads it with the list)
    if (!repeat && this.realtime.mayHear(n.userId)) {
      this.realtime.emitToUser(n.userId, 'notification:unread-count', {
        unreadCount: await this.unreadCount(n.userId),
      });
    }
  }

  /**
   * Newest first, `limit` at a time; `before` (a notification id from an earlier page) continues
   * after that notification. An unknown `before` gives an empty page.
   */
  async list(
    userId: string,
    { limit = 50, before }: { limit?: number; before?: string } = {},
  ): Promise<NotificationListResponse> {
    const mine = this.collections.of(userId);
    let filter: mongo.Filter<NotificationDoc> = {};
    if (before !== undefined) {
      const anchor = OBJECT_ID_PATTERN.test(before)
        ? await mine.findOne({ _id: new Types.ObjectId(before) }, { projection: { createdAt: 1 } })
        : null;
      if (!anchor) return { notifications: [], unreadCount: await this.unreadCount(userId) };
      filter = {
        $or: [{ createdAt: { $lt: anchor.createdAt } }, { createdAt: anchor.createdAt, _id: { $lt: anchor._id } }],
      };
    }
    const docs = await mine.find(filter).sort(NEWEST_FIRST).limit(limit).toArray();
    return { notifications: docs.map(present), unreadCount: await this.unreadCount(userId) };
  }

  /** Over HTTP and over Socket.IO alike; both count against the same limits. */
  async markRead(
    { userId, address }: { userId: string; address: string },
    body: MarkNotificationsReadBody,
  ): Promise<UnreadCount> {
    await this.limits.take(
      [
        ['notificationWritesPerUser', userId],
        ['notificationWritesPerAddress', address],
      ],
      'too many changes to your notifications',
    );
    const filter: mongo.Filter<NotificationDoc> =
      'all' in body ? { readAt: null } : { readAt: null, _id: { $in: body.ids.map((id) => new Types.ObjectId(id)) } };
    await this.collections.of(userId).updateMany(filter, { $set: { readAt: new Date() } });
    const unreadCount = await this.unreadCount(userId);
    this.realtime.emitToUser(userId, 'notification:unread-count', { unreadCount });
    return { unreadCount };
  }

  /** Counted in the user's own (small) collection: no counter to keep in step without transactions. */
  private unreadCount(userId: string): Promise<number> {
    return this.collections.of(userId).countDocuments({ readAt: null });
  }
}

/**
 * One notification per kind, actor and subject in the recipient's collection, at an `_id` derived
 * from them (an ObjectId like any other, so clients and paging need not know).
 */
function subjectId(n: NewNotification): Types.ObjectId {
  const key = [n.kind, n.actor.id, n.exchangeId ?? '', n.requestId ?? '', n.annotationId ?? ''].join('\0');
  return new Types.ObjectId(createHash('sha256').update(key).digest().subarray(0, 12));
}

/**
 * Stores a notification at its subject's `_id`, or folds it into the one already there: counting
 * on while that one is unread, else starting again at 1 (it was read; this is news). Every step
 * reads or writes by `_id`, the only lookup FerretDB v1 answers without scanning the collection.
 */
async function fold(
  mine: mongo.Collection<NotificationDoc>,
  _id: Types.ObjectId,
  fields: Omit<NotificationDoc, '_id' | 'count'>,
): Promise<{ _id: Types.ObjectId; count: number; repeat: boolean }> {
  try {
    await mine.insertOne({ _id, ...fields, count: 1 });
    return { _id, count: 1, repeat: false };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const before = await mine.findOne({ _id }, { projection: { readAt: 1, count: 1 } });
  const repeat = before !== null && before.readAt === null;
  const update = repeat ? { $set: fields, $inc: { count: 1 } } : { $set: { ...fields, count: 1 } };
  await mine.updateOne({ _id }, update, { upsert: true });
  return { _id, count: repeat ? (before.count ?? 1) + 1 : 1, repeat };
}

function present(d: NotificationDoc): Notification {
  return {
    id: d._id.toHexString(),
    kind: d.kind,
    actor: { id: d.actorId.toHexString(), displayName: d.actorName },
    exchangeId: d.exchangeId?.toHexString() ?? null,
    requestId: d.requestId?.toHexString() ?? null,
    annotationId: d.annotationId ?? null,
    round: d.round ?? null,
    text: d.text,
    count: d.count ?? 1,
    createdAt: d.createdAt.toISOString(),
    readAt: d.readAt ? d.readAt.toISOString() : null,
  };
}
