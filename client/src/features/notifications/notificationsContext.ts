// What the header bell reads. Apart from the provider (NotificationsProvider.tsx), which is fetched with TanStack
// Query once someone is signed in (app/SignedInQueries.tsx), so the sign-in page downloads neither.
import { createContext, use } from 'react';
import type { Notification } from '@kneadback/shared/schemas/notification';
import type { ApiRequestError } from '../../lib/api.ts';

export interface NotificationsValue {
  /** Newest first: the server's latest page, with those that arrived live on top. */
  notifications: Notification[];
  /** From the server (it counts beyond the loaded page), so it survives reloads. */
  unreadCount: number;
  /** `error`: the list could not be loaded at all (a failed reload keeps the list it had). */
  status: 'loading' | 'ready' | 'error';
  /** The list's query, for its failed state's words and retry. */
  query: { isPending: boolean; error: ApiRequestError | null; isFetching: boolean; refetch: () => unknown };
  /** Marks the given unread notifications read (optimistically). */
  markRead: (ids: string[]) => void;
  markAllRead: () => void;
}

export const NotificationsContext = createContext<NotificationsValue | null>(null);

export function useNotifications(): NotificationsValue {
  const value = use(NotificationsContext);
  if (!value) throw new Error('useNotifications must be used inside <NotificationsProvider>');
  return value;
}
