import type { ConnectionInfo, ConnectionState } from '../../../lib/collab/connection.ts';
import { cx } from '../../../app/ui/cx.ts';

const WORDS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live: everyone here sees your changes as you type',
  reconnecting: 'Reconnecting… your changes are kept on this device meanwhile',
  offline: 'Offline: your changes are kept on this device and sync when the connection is back',
  refused: 'Not connected',
};

/** Whether the others see your typing now, and why not; announced politely when it changes. */
export function NoteConnectionStatus({ connection }: { connection: ConnectionInfo }) {
  const { state, message } = connection;
  const reason = state === 'live' ? null : message;
  return (
    <p role="status" aria-live="polite" className={cx('note-connection', `note-connection--${state}`)}>
      <span className="note-connection__dot" aria-hidden="true" />
      {WORDS[state]}
      {reason && <span className="note-connection__reason">{reason}</span>}
    </p>
  );
}
