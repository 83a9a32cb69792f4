import type { Types } from 'mongoose';
import type { MarkNotificationsReadBody, Notification, NotificationKind } from '@kneadback/shared/schemas/notification';
import type { RateLimits } from '../../http/rate-limit.ts';
import type { Realtime } from '../../realtime/socket-server.ts';
import type { NotificationModel } from './model.ts';

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  actor: { id: string; displayName: string };
  exchangeId: string;
  annotationId?: string | null;
  text: string;
}

interface NotificationDoc {
  _id: Types.ObjectId;
  kind: NotificationKind;
  actorId: Types.ObjectId;
  actorName: string;
  exchangeId: Types.ObjectId;
  annotationId?: string | null;
  text: string;
  createdAt: Date;
  readAt?: Date | null;
}

/** Stored first (so the list survives reloads), then pushed live to the recipient's sockets. */
export class NotificationService {
  constructor(
    private readonly Notifications: NotificationModel,
    private readonly realtime: Realtime,
    private readonly limits: RateLimits,
  ) {}

  async notify(n: NewNotification): Promise<Notification> {
    if (n.userId === n.actor.id) throw new Error('people are not notified of their own actions');
    const created = await this.Notifications.create({
      userId: n.userId,
      kind: n.kind,
      actorId: n.actor.id,
      actorName: n.actor.displayName,
      exchangeId: n.exchangeId,
      annotationId: n.annotationId ?? null,
      text: n.text,
      createdAt: new Date(),
    });
    const notification = present(created.toObject() as NotificationDoc);
    this.realtime.emitToUser(n.userId, 'notification:new', notification);
    this.realtime.emitToUser(n.userId, 'notification:unread-count', { unreadCount: await this.unreadCount(n.userId) });
    return notification;
  }

  async list(userId: string, limit = 50): Promise<{ notifications: Notification[]; unreadCount: number }> {
    const docs = await this.Notifications.find({ userId })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean<NotificationDoc[]>();
    return { notifications: docs.map(present), unreadCount: await this.unreadCount(userId) };
  }

  /** Over HTTP and over Socket.IO alike; both count against the same limits. */
  async markRead(
    { userId, address }: { userId: string; address: string },
    body: MarkNotificationsReadBody,
  ): Promise<{ unreadCount: number }> {
    await this.limits.take(
      [
        ['notificationWritesPerUser', userId],
        ['notificationWritesPerAddress', address],
      ],
      'too many changes to your notifications',
    );
    const filter = 'all' in body ? { userId, readAt: null } : { userId, readAt: null, _id: { $in: body.ids } };
    await this.Notifications.updateMany(filter, { $set: { readAt: new Date() } });
    const unreadCount = await this.unreadCount(userId);
    this.realtime.emitToUser(userId, 'notification:unread-count', { unreadCount });
    return { unreadCount };
  }

  private unreadCount(userId: string): Promise<number> {
    return this.Notifications.countDocuments({ userId, readAt: null });
  }
}

function present(d: NotificationDoc): Notification {
  return {
    id: d._id.toHexString(),
    kind: d.kind,
    actor: { id: d.actorId.toHexString(), displayName: d.actorName },
    exchangeId: d.exchangeId.toHexString(),
    annotationId: d.annotationId ?? null,
    text: d.text,
    createdAt: d.createdAt.toISOString(),
    readAt: d.readAt ? d.readAt.toISOString() : null,
  };
}
