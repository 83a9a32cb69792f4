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

  async notify(n: NewNotification): Promise<Notification> {
    // a reminder is the user's own setting speaking; everything else is someone else's action
    if (n.userId === n.actor.id && n.kind !== 'rhythm-reminder')
      throw new Error('people are not notified of their own actions');
    const doc: NotificationDoc = {
      _id: new Types.ObjectId(),
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
    const mine = this.collections.of(n.userId);
    await this.collections.ensureIndexes(n.userId);
    await mine.insertOne(doc);
    const notification = present(doc);
    this.realtime.emitToUser(n.userId, 'notification:new', notification);
    // counting scans the recipient's collection: only for someone who would see the figure (a
    // device connecting later loads the list with its count)
    if (this.realtime.mayHear(n.userId)) {
      this.realtime.emitToUser(n.userId, 'notification:unread-count', {
        unreadCount: await this.unreadCount(n.userId),
      });
    }
    return notification;
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
    createdAt: d.createdAt.toISOString(),
    readAt: d.readAt ? d.readAt.toISOString() : null,
  };
}
