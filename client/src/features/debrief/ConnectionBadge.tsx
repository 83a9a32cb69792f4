import type { ConnectionInfo, ConnectionState } from '../../lib/collab/useDebriefDoc.ts';
import { cx } from '../../app/ui/cx.ts';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  refused: 'Not connected',
};

const DETAILS: Partial<Record<ConnectionState, string>> = {
  live: 'Changes reach your partner as you make them.',
  offline: 'Your changes are kept on this device and sync when the connection is back.',
  reconnecting: 'Your changes are kept on this device meanwhile.',
};

/** Always says whether the partner sees your changes now; announced politely when it changes. */
export function ConnectionBadge({ connection }: { connection: ConnectionInfo }) {
  const { state, message } = connection;
  // The server's reason explains a refusal or a reconnect; "offline" is about this device
  const detail = state === 'refused' || state === 'reconnecting' ? (message ?? DETAILS[state]) : DETAILS[state];
  return (
    <div role="status" aria-live="polite" className={cx('connection-badge', `connection-badge--${state}`)}>
      <span className="connection-badge__dot" aria-hidden="true" />
      <span className="connection-badge__label">{LABELS[state]}</span>
      {detail && <span className="connection-badge__detail">{detail}</span>}
    </div>
  );
}
