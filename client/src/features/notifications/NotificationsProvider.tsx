import { createContext, use, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useLocation } from 'react-router-dom';
import type { MarkNotificationsReadBody, Notification } from '@kneadback/shared/schemas/notification';
import { useAuth } from '../../app/AuthProvider.tsx';
import { useToast } from '../../app/ui/Toast.tsx';
import { api, ApiRequestError } from '../../lib/api.ts';
import { useAppEvents, useEvent } from '../../lib/events.ts';
import { isOnDebriefOf } from './links.ts';

/** The server sends the newest 50; live ones are added on top, and the list is kept to this length. */
const MAX_KEPT = 100;

const loadSchemas = () => import('./schemas.ts');
const notificationListResponseSchema = () => loadSchemas().then((m) => m.notificationListResponseSchema);
const markReadResponseSchema = () => loadSchemas().then((m) => m.markReadResponseSchema);

interface NotificationsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  notifications: Notification[];
  /** From the server (it counts beyond the loaded page), so it survives reloads. */
  unreadCount: number;
  error: string | null;
}

interface NotificationsValue extends NotificationsState {
  /** Marks the given unread notifications read (optimistically). */
  markRead: (ids: string[]) => void;
  markAllRead: () => void;
  reload: () => void;
}

const INITIAL: NotificationsState = { status: 'idle', notifications: [], unreadCount: 0, error: null };
const NotificationsContext = createContext<NotificationsValue | null>(null);

/**
 * The signed-in user's notifications: loaded over HTTP (and again after every reconnect, since events sent while
 * offline are lost), kept live over the app-events socket, and announced with a toast unless the user is already
 * looking at the debrief it is about.
 */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const userId = user?.id ?? null;
  const { connection, request } = useAppEvents();
  const toast = useToast();
  const { pathname } = useLocation();
  const [state, setState] = useState<NotificationsState>(INITIAL);
  const [reloads, setReloads] = useState(0);
  const latest = useRef(state);

  useEffect(() => {
    latest.current = state;
  }, [state]);

  useEffect(() => {
    if (!userId) {
      setState(INITIAL);
      return;
    }
    // A newer load supersedes this one. It is left to finish rather than aborted: the first load and the socket's
    // first connect come a few milliseconds apart, and cutting a response off mid-body only makes noise.
    let current = true;
    setState((s) => (s.status === 'ready' ? s : { ...s, status: 'loading', error: null }));
    api.get('/api/notifications', notificationListResponseSchema).then(
      ({ notifications, unreadCount }) => {
        if (!current) return;
        setState((s) => ({
          status: 'ready',
          notifications: mergeLive(notifications, s.notifications),
          unreadCount,
          error: null,
        }));
      },
      (err: unknown) => {
        if (!current) return;
        const message = err instanceof ApiRequestError ? err.message : 'Could not load notifications.';
        setState((s) => ({ ...s, status: s.status === 'ready' ? 'ready' : 'error', error: message }));
      },
    );
    return () => {
      current = false;
    };
  }, [userId, connection, reloads]);

  useEvent('notification:new', (notification) => {
    setState((s) => ({
      ...s,
      notifications: [notification, ...s.notifications.filter((n) => n.id !== notification.id)].slice(0, MAX_KEPT),
    }));
    if (!isOnDebriefOf(pathname, notification)) toast(notification.text);
  });

  useEvent('notification:unread-count', ({ unreadCount }) => setState((s) => ({ ...s, unreadCount })));

  /** Over the socket when it is up (one round trip, no new request), else over HTTP. */
  const send = useCallback(
    async (body: MarkNotificationsReadBody) => {
      let unreadCount: number;
      try {
        ({ unreadCount } = await request('notifications:mark-read', body));
      } catch (err) {
        if (!(err instanceof ApiRequestError && err.code === 'network')) throw err;
        ({ unreadCount } = await api.post('/api/notifications/read', body, markReadResponseSchema));
      }
      setState((s) => ({ ...s, unreadCount }));
    },
    [request],
  );

  const fail = useCallback(
    (err: unknown) => {
      toast(err instanceof ApiRequestError ? err.message : 'Could not mark notifications read.', 'error');
      setReloads((n) => n + 1);
    },
    [toast],
  );

  const markRead = useCallback(
    (ids: string[]) => {
      const unread = new Set(
        latest.current.notifications.filter((n) => ids.includes(n.id) && n.readAt === null).map((n) => n.id),
      );
      if (unread.size === 0) return;
      const readAt = new Date().toISOString();
      setState((s) => ({
        ...s,
        notifications: s.notifications.map((n) => (unread.has(n.id) ? { ...n, readAt } : n)),
        unreadCount: Math.max(0, s.unreadCount - unread.size),
      }));
      send({ ids: [...unread] }).catch(fail);
    },
    [send, fail],
  );

  const markAllRead = useCallback(() => {
    const readAt = new Date().toISOString();
    setState((s) => ({
      ...s,
      notifications: s.notifications.map((n) => (n.readAt === null ? { ...n, readAt } : n)),
      unreadCount: 0,
    }));
    send({ all: true }).catch(fail);
  }, [send, fail]);

  const reload = useCallback(() => setReloads((n) => n + 1), []);

  const value = useMemo<NotificationsValue>(
    () => ({ ...state, markRead, markAllRead, reload }),
    [state, markRead, markAllRead, reload],
  );
  return <NotificationsContext value={value}>{children}</NotificationsContext>;
}

export function useNotifications(): NotificationsValue {
  const value = use(NotificationsContext);
  if (!value) throw new Error('useNotifications must be used inside <NotificationsProvider>');
  return value;
}

/** The fetched page, plus anything that arrived live after the server put that page together. */
function mergeLive(fetched: Notification[], current: Notification[]): Notification[] {
  const known = new Set(fetched.map((n) => n.id));
  const newest = fetched[0]?.createdAt ?? '';
  const live = current.filter((n) => !known.has(n.id) && n.createdAt > newest);
  return [...live, ...fetched].slice(0, MAX_KEPT);
}
