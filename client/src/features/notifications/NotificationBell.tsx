import { useEffect, useId, useRef, useState, type FocusEvent } from 'react';
import { Link, useLocation } from 'react-router-dom';
import type { Notification } from '@kneadback/shared/schemas/notification';
import { cx } from '../../app/ui/cx.ts';
import { LoadFailed, Loading } from '../../app/ui/QueryStatus.tsx';
import { notificationPath } from '../../lib/links.ts';
import { useNotifications } from './notificationsContext.ts';
import { fullDateTime, timeAgo } from './timeAgo.ts';
import './notifications.css';

/** The header bell: unread count, and a panel of recent notifications that opens below it. */
export function NotificationBell() {
  const { unreadCount } = useNotifications();
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const location = useLocation();

  // Following a notification (or any navigation) closes the panel
  useEffect(() => setOpen(false), [location.pathname, location.search]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  // Tabbing out of the panel closes it, like leaving any disclosure menu
  function handleBlur(event: FocusEvent<HTMLDivElement>) {
    const next = event.relatedTarget as Node | null;
    if (next && !event.currentTarget.contains(next)) setOpen(false);
  }

  const label = unreadCount > 0 ? `Notifications, ${unreadCount} unread` : 'Notifications';
  return (
    <div className="notif" ref={wrapper} onBlur={handleBlur}>
      <button
        ref={button}
        type="button"
        className="notif-bell"
        aria-label={label}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen((o) => !o)}
      >
        <BellIcon />
        {unreadCount > 0 && (
          <span className="notif-bell__badge" aria-hidden="true">
            {unreadCount > 99 ? '99+' : unreadCount}
          </span>
        )}
      </button>
      {open && <NotificationPanel id={panelId} onClose={() => setOpen(false)} />}
    </div>
  );
}

function NotificationPanel({ id, onClose }: { id: string; onClose: () => void }) {
  const { status, notifications, unreadCount, query, markRead, markAllRead } = useNotifications();
  const titleId = useId();
  const now = useNow(30_000);

  function follow(notification: Notification) {
    if (notification.readAt === null) markRead([notification.id]);
    onClose();
  }

  return (
    <section id={id} className="notif-panel" aria-labelledby={titleId}>
      <div className="notif-panel__head">
        <h2 id={titleId} className="notif-panel__title">
          Notifications
        </h2>
        {/* aria-disabled, not disabled: the button keeps focus after it has done its job */}
        <button
          type="button"
          className="button button--ghost notif-panel__mark-all"
          aria-disabled={unreadCount === 0 || undefined}
          onClick={() => unreadCount > 0 && markAllRead()}
        >
          Mark all read
        </button>
      </div>
      {status === 'loading' && <Loading what="notifications" />}
      {status === 'error' && (
        <div className="notif-panel__state">
          <LoadFailed what="notifications" query={query} />
        </div>
      )}
      {status === 'ready' && notifications.length === 0 && (
        <p className="notif-panel__state">
          Nothing yet. You hear here when a partner adds an exchange with you, joins a debrief or answers a mark.
        </p>
      )}
      {notifications.length > 0 && (
        <ul className="notif-list">
          {notifications.map((n) => (
            <li key={n.id}>
              <Link
                to={notificationPath(n)}
                className={cx('notif-item', n.readAt === null && 'notif-item--unread')}
                onClick={() => follow(n)}
              >
                <span className="notif-item__dot" aria-hidden="true" />
                <span className="notif-item__body">
                  {n.readAt === null && <span className="visually-hidden">Unread: </span>}
                  <span className="notif-item__text">{n.text}</span>
                  <span className="notif-item__time">
                    {n.count > 1 && `${n.count} times, the last `}
                    <time dateTime={n.createdAt} title={fullDateTime(n.createdAt)}>
                      {timeAgo(n.createdAt, now)}
                    </time>
                  </span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The current time, refreshed every `intervalMs`, so "5 minutes ago" stays true while the panel is open. */
function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function BellIcon() {
  return (
    <svg className="notif-bell__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d="M12 3a6 6 0 0 0-6 6v3.6L4.3 15.4A1 1 0 0 0 5.2 17h13.6a1 1 0 0 0 .9-1.6L18 12.6V9a6 6 0 0 0-6-6Z" />
      <path d="M9.5 19.5a2.6 2.6 0 0 0 5 0" />
    </svg>
  );
}
