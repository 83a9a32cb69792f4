import type { Notification } from '@kneadback/shared/schemas/notification';

/** Where a notification leads: its debrief, opened at the mark it is about when there is one. */
export function notificationHref(notification: Pick<Notification, 'exchangeId' | 'annotationId'>): string {
  const base = `/debriefs/${encodeURIComponent(notification.exchangeId)}`;
  return notification.annotationId ? `${base}?annotation=${encodeURIComponent(notification.annotationId)}` : base;
}

/** True on the debrief page the notification is about, where the change is already on screen. */
export function isOnDebriefOf(pathname: string, notification: Pick<Notification, 'exchangeId'>): boolean {
  return pathname.replace(/\/+$/, '') === `/debriefs/${notification.exchangeId}`;
}
