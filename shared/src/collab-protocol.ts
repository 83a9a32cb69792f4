/**
 * The Yjs endpoint's contract beyond the y-websocket protocol itself: where it lives, how big a
 * message may be, and why the server closes a connection (close codes the client turns into words).
 */
export const COLLAB_PATH_PREFIX = '/collab/';
export const MAX_COLLAB_MESSAGE_BYTES = 1024 * 1024;
/** Open Yjs connections (a browser holds one per open document). */
export const MAX_CONNECTIONS_PER_USER = 20;
export const MAX_CONNECTIONS_PER_ADDRESS = 200;
/** Presence entries in one awareness message (a client relays its own and what it has seen). */
export const MAX_AWARENESS_ENTRIES = 16;

export const CollabCloseCode = {
  unauthenticated: 4401,
  forbidden: 4403,
  notFound: 4404,
  malformedMessage: 4400,
  refusedUpdate: 4422,
  /** A note's sharing changed under an open connection: reconnect with the new access. */
  accessChanged: 4409,
  /** A read-only connection (a note's reader) sent a change. */
  readOnly: 4423,
  tooManyConnections: 4429,
  tooManyMessages: 4430,
  tooLarge: 1009,
  tooSlow: 4408,
  serverRestarting: 1012,
  tryAgainLater: 1013,
  internalError: 1011,
} as const;
export type CollabCloseCode = (typeof CollabCloseCode)[keyof typeof CollabCloseCode];

/** Closing for these means retrying cannot help: the client stops reconnecting. */
export const PERMANENT_CLOSE_CODES: ReadonlySet<number> = new Set([
  CollabCloseCode.unauthenticated,
  CollabCloseCode.forbidden,
  CollabCloseCode.notFound,
]);

/** What kind of live document a connection holds, as its close messages name it. */
export type CollabDocumentKind = 'debrief' | 'note';

const CLOSE_CODE_MESSAGES: Record<number, (doc: CollabDocumentKind) => string> = {
  [CollabCloseCode.unauthenticated]: (doc) => `Your session has ended. Sign in again to rejoin the ${doc}.`,
  [CollabCloseCode.forbidden]: (doc) =>
    doc === 'debrief'
      ? 'This debrief belongs to other partners. Only the two partners of an exchange can open it.'
      : 'This note is not shared with you.',
  [CollabCloseCode.notFound]: (doc) => `This ${doc} does not exist (or was removed).`,
  [CollabCloseCode.malformedMessage]: () => 'The connection sent something the server could not read; reconnecting.',
  [CollabCloseCode.refusedUpdate]: () => 'The server refused a change from this device; reconnecting.',
  [CollabCloseCode.accessChanged]: () => 'Your access to this note changed; reconnecting.',
  [CollabCloseCode.readOnly]: () => 'You can read this note but not change it.',
  [CollabCloseCode.tooManyConnections]: () =>
    'Too many debriefs and notes are open on this account or network; close some tabs and try again.',
  [CollabCloseCode.tooManyMessages]: () => 'This device sent changes faster than the server accepts; reconnecting.',
  [CollabCloseCode.tooLarge]: () => 'A change was too large to send (over 1 MiB).',
  [CollabCloseCode.tooSlow]: () => 'The connection fell too far behind; reconnecting.',
  [CollabCloseCode.serverRestarting]: () => 'The server is restarting; reconnecting.',
  [CollabCloseCode.tryAgainLater]: () =>
    'The server cannot reach its database just now. Your changes stay on this device and sync when it is back.',
  [CollabCloseCode.internalError]: (doc) => `The server hit a problem with this ${doc}; reconnecting.`,
};

/**
 * Why the server closed a document's connection, in words; null for codes it never sends. A
 * refused change adds the rule it broke (the server's close reason, e.g. "a debrief holds at most
 * 300 marks"), so a person hitting a limit learns which one.
 */
export function closeCodeMessage(code: number, doc: CollabDocumentKind, reason = ''): string | null {
  const message = CLOSE_CODE_MESSAGES[code]?.(doc) ?? null;
  if (message === null || code !== CollabCloseCode.refusedUpdate || reason === '') return message;
  return `The server refused a change from this device: ${reason}. Reconnecting.`;
}
