import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { MAX_NOTE_BYTES } from '@kneadback/shared/docs/note-rules';
import type { ConnectionInfo, ConnectionState } from '../../../lib/collab/connection.ts';
import { cx } from '../../../app/ui/cx.ts';

const WORDS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live: everyone here sees your changes as you type',
  reconnecting: 'Reconnecting… your changes are kept on this device meanwhile',
  offline: 'Offline: your changes are kept on this device and sync when the connection is back',
  refused: 'Not connected',
};

/** The server's reasons, said about a note (the shared wording speaks of debriefs). */
const NOTE_REASONS: Partial<Record<number, string>> = {
  [CollabCloseCode.unauthenticated]: 'Your session has ended. Sign in again to keep writing.',
  [CollabCloseCode.tooManyConnections]: 'Too many notes and debriefs are open; close some tabs and try again.',
  [CollabCloseCode.refusedUpdate]: `The server refused a change from this device (a note holds at most ${MAX_NOTE_BYTES / 1024} KiB); reconnecting.`,
  [CollabCloseCode.internalError]: 'The server hit a problem with this note; reconnecting.',
};

/** Whether the others see your typing now, and why not; announced politely when it changes. */
export function NoteConnectionStatus({ connection }: { connection: ConnectionInfo }) {
  const { state, closeCode, message } = connection;
  const reason = state === 'live' ? null : (closeCode !== null && NOTE_REASONS[closeCode]) || message;
  return (
    <p role="status" aria-live="polite" className={cx('note-connection', `note-connection--${state}`)}>
      <span className="note-connection__dot" aria-hidden="true" />
      {WORDS[state]}
      {reason && <span className="note-connection__reason">{reason}</span>}
    </p>
  );
}
