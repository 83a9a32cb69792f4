import { z } from 'zod';
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
  /** A short human sentence, already phrased for the recipient. */
  text: z.string(),
  createdAt: isoDateSchema,
  readAt: isoDateSchema.nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListResponseSchema = z.object({
  notifications: z.array(notificationSchema),
  unreadCount: z.number().int().nonnegative(),
});

export const markNotificationsReadBodySchema = z.union([
  z.strictObject({ ids: z.array(objectIdSchema).min(1).max(200) }),
  z.strictObject({ all: z.literal(true) }),
]);
export type MarkNotificationsReadBody = z.infer<typeof markNotificationsReadBodySchema>;
