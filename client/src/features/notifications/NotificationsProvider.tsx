import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, type ReactNode } from 'react';
import { useLocation } from 'react-router-dom';
import {
  notificationListResponseSchema,
  unreadCountSchema,
  type MarkNotificationsReadBody,
  type Notification,
  type NotificationListResponse,
} from '@kneadback/shared/schemas/notification';
import { useToast } from '../../app/ui/Toast.tsx';
import { api, ApiRequestError } from '../../lib/api.ts';
import { useAppEvents, useEvent } from '../../lib/events.ts';
import { isDebriefPath } from '../../lib/links.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { invalidateWhatChanged } from './notificationInvalidations.ts';
import { NotificationsContext, type NotificationsValue } from './notificationsContext.ts';

/** The server sends the newest 50; live ones are added on top, and the list is kept to this length. */
const MAX_KEPT = 100;
const KEY = queryKeys.notifications.list();
const NONE: NotificationListResponse = { notifications: [], unreadCount: 0 };

/**
 * The signed-in user's notifications: loaded over HTTP (and again after every reconnect, since events sent while
 * offline are lost), kept live over the app-events socket, and announced with a toast unless the user is already
 * looking at the debrief it is about. Each one also makes stale the queries showing what it reports changed.
 */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const { connection, request } = useAppEvents();
  const toast = useToast();
  const { pathname } = useLocation();

  const query = useQuery({
    queryKey: KEY,
    // No abort signal: a newer load supersedes this one and it is left to finish. The first load and the socket's
    // first connect come a few milliseconds apart, and cutting a response off mid-body only makes noise.
    queryFn: async () =>
      mergeLive(await api.get('/api/notifications', notificationListResponseSchema), client.getQueryData(KEY)),
  });

  const update = useCallback(
    (change: (list: NotificationListResponse) => NotificationListResponse) =>
      client.setQueryData<NotificationListResponse>(KEY, (list) => change(list ?? NONE)),
    [client],
  );

  useEffect(() => {
    if (connection === 0) return;
    // Whatever was sent while the socket was down: fetched afresh, even when a load is already on its way
    void client
      .cancelQueries({ queryKey: KEY }, { silent: true })
      .then(() => client.invalidateQueries({ queryKey: KEY }));
  }, [client, connection]);

  useEvent('notification:new', (notification) => {
    update((list) => ({
      ...list,
      notifications: [notification, ...list.notifications.filter((n) => n.id !== notification.id)].slice(0, MAX_KEPT),
    }));
    invalidateWhatChanged(client, notification);
    if (!isDebriefPath(pathname, notification.exchangeId)) toast(notification.text);
  });

  useEvent('notification:unread-count', ({ unreadCount }) => update((list) => ({ ...list, unreadCount })));

  const { mutate: send } = useMutation({
    /** Over the socket when it is up (one round trip, no new request), else over HTTP. */
    mutationFn: async (body: MarkNotificationsReadBody) => {
      try {
        return await request('notifications:mark-read', body);
      } catch (err) {
        if (!(err instanceof ApiRequestError && err.code === 'network')) throw err;
        return api.post('/api/notifications/read', body, unreadCountSchema);
      }
    },
    onSuccess: ({ unreadCount }) => update((list) => ({ ...list, unreadCount })),
    onError: (err) => {
      toast(err.message, 'error');
      void client.invalidateQueries({ queryKey: KEY });
    },
  });

  const markRead = useCallback(
    (ids: string[]) => {
      const shown = client.getQueryData<NotificationListResponse>(KEY)?.notifications ?? [];
      const unread = new Set(shown.filter((n) => ids.includes(n.id) && n.readAt === null).map((n) => n.id));
      if (unread.size === 0) return;
      const readAt = new Date().toISOString();
      update((list) => ({
        notifications: list.notifications.map((n) => (unread.has(n.id) ? { ...n, readAt } : n)),
        unreadCount: Math.max(0, list.unreadCount - unread.size),
      }));
      send({ ids: [...unread] });
    },
    [client, update, send],
  );

  const markAllRead = useCallback(() => {
    const readAt = new Date().toISOString();
    update((list) => ({
      notifications: list.notifications.map((n) => (n.readAt === null ? { ...n, readAt } : n)),
      unreadCount: 0,
    }));
    send({ all: true });
  }, [update, send]);

  const { data, isPending, error, isFetching, refetch } = query;
  const value = useMemo<NotificationsValue>(
    () => ({
      notifications: data?.notifications ?? [],
      unreadCount: data?.unreadCount ?? 0,
      status: data ? 'ready' : isPending ? 'loading' : 'error',
      query: { isPending, error, isFetching, refetch },
      markRead,
      markAllRead,
    }),
    [data, isPending, error, isFetching, refetch, markRead, markAllRead],
  );
  return <NotificationsContext value={value}>{children}</NotificationsContext>;
}

/** The fetched page, plus anything that arrived live after the server put that page together. */
function mergeLive(fetched: NotificationListResponse, current: NotificationListResponse | undefined) {
  const known = new Set(fetched.notifications.map((n) => n.id));
  const newest = fetched.notifications[0]?.createdAt ?? '';
  const live = (current?.notifications ?? []).filter((n: Notification) => !known.has(n.id) && n.createdAt > newest);
  return { ...fetched, notifications: [...live, ...fetched.notifications].slice(0, MAX_KEPT) };
}
