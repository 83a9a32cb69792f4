import { z } from 'zod';
import { roundSchema } from './annotation.ts';
import { isoDateSchema, objectIdSchema } from './common.ts';

export const NOTIFICATION_KINDS = [
  'exchange-created',
  'partner-joined-debrief',
  'reply',
  'mention',
  'resolved',
  'reopened',
  'exchange-requested',
  'request-countered',
  'request-accepted',
  'request-declined',
  'request-cancelled',
  'rhythm-reminder',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const notificationSchema = z.object({
  id: objectIdSchema,
  kind: z.enum(NOTIFICATION_KINDS),
  actor: z.object({ id: objectIdSchema, displayName: z.string() }),
  /** Null for notifications about a request not (yet) booked, and for reminders. */
  exchangeId: objectIdSchema.nullable(),
  requestId: objectIdSchema.nullable(),
  annotationId: z.string().nullable(),
  /** The round of that mark, so the link opens it there (null without a mark, or when stored before rounds were). */
  round: roundSchema.nullable(),
  /** A short human sentence, already phrased for the recipient (about the latest of `count`). */
  text: z.string(),
  /** How many times the actor did this about the same thing since the recipient last read it. */
  count: z.number().int().positive(),
  createdAt: isoDateSchema,
  readAt: isoDateSchema.nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

/** How many of the user's notifications are unread: pushed live, and the answer to marking some read. */
export const unreadCountSchema = z.object({ unreadCount: z.number().int().nonnegative() });
export type UnreadCount = z.infer<typeof unreadCountSchema>;

export const notificationListResponseSchema = z.object({
  notifications: z.array(notificationSchema),
  ...unreadCountSchema.shape,
});
export type NotificationListResponse = z.infer<typeof notificationListResponseSchema>;

export const markNotificationsReadBodySchema = z.union([
  z.strictObject({ ids: z.array(objectIdSchema).min(1).max(200) }),
  z.strictObject({ all: z.literal(true) }),
]);
export type MarkNotificationsReadBody = z.infer<typeof markNotificationsReadBodySchema>;
