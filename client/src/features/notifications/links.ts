import type { Notification } from '@kneadback/shared/schemas/notification';

type Linked = Pick<Notification, 'kind' | 'exchangeId' | 'requestId' | 'annotationId'>;

/**
 * Where a notification leads: a request to the requests page (at that request), a reminder to the home view,
 * anything about a debrief to it, opened at the mark it is about when there is one.
 */
export function notificationHref(notification: Linked): string {
  if (notification.kind === 'rhythm-reminder') return '/home';
  if (notification.requestId) return `/exchanges/requests#request-${encodeURIComponent(notification.requestId)}`;
  if (!notification.exchangeId) return '/exchanges';
  const base = `/debriefs/${encodeURIComponent(notification.exchangeId)}`;
  return notification.annotationId ? `${base}?annotation=${encodeURIComponent(notification.annotationId)}` : base;
}

/** True on the debrief page the notification is about, where the change is already on screen. */
export function isOnDebriefOf(pathname: string, notification: Pick<Notification, 'exchangeId'>): boolean {
  return notification.exchangeId !== null && pathname.replace(/\/+$/, '') === `/debriefs/${notification.exchangeId}`;
}
