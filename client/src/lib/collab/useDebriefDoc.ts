import { useCallback, useMemo } from 'react';
import type { ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { ConnectionInfo } from './connection.ts';
import { createDebriefActions, type DebriefActions } from './debriefActions.ts';
import type { PresencePerson } from '@kneadback/shared/docs/presence';
import { openDebriefSession } from './session.ts';
import { useLiveSession } from './useLiveSession.ts';
import { useDebriefContent, type DebriefContent } from './useDebriefContent.ts';
import { usePresence, type PresenceApi } from './usePresence.ts';
import { useUndoState, type UndoState } from './useUndoState.ts';

export type { ConnectionInfo, ConnectionState } from './connection.ts';
export type { PeerPresence, PresencePatch } from './presence.ts';
export type { Reaction } from './debriefActions.ts';

export interface DebriefDocApi extends DebriefActions, UndoState, PresenceApi {
  connection: ConnectionInfo;
  /** In step with the server right now (false while offline or reconnecting). */
  synced: boolean;
  /** The copy on this device has been read; before that an empty list means "not known yet". */
  loaded: boolean;
  annotations: DebriefContent['annotations'];
  threadFor: (annotationId: string) => ThreadEntry[];
  undo: () => void;
  redo: () => void;
  /** Connect again after the server refused this device (e.g. once signed in again). */
  reconnect: () => void;
}

const NO_ENTRIES: ThreadEntry[] = [];
const DISCARDED_MESSAGE =
  'Some changes on this device were refused by the server and have been discarded; the debrief now shows what your partner and the server have.';

/**
 * One live debrief: the shared Yjs document, its offline copy on this device and the socket to
 * the server, exposed as typed values and actions. Everything is torn down on unmount.
 * `onError` receives failed changes in words; pass a stable function (a toast).
 */
export function useDebriefDoc(
  exchangeId: string,
  user: PresencePerson,
  onError: (message: string) => void = console.error,
): DebriefDocApi {
  const { session, connection, reconnect } = useLiveSession(
    exchangeId,
    (onDiscarded) => openDebriefSession(exchangeId, onDiscarded),
    DISCARDED_MESSAGE,
    onError,
  );
  const content = useDebriefContent(session?.doc ?? null, session?.local ?? null);
  const undoState = useUndoState(session?.undoManager ?? null);
  const presenceApi = usePresence(session?.provider ?? null, user);

  // Stable while the session lives (given a stable onError), so memoised children keep still
  const actions = useMemo(
    () => (session ? createDebriefActions(session, user.id, onError) : disconnectedActions()),
    [session, user.id, onError],
  );

  const { threads } = content;
  const threadFor = useCallback((annotationId: string) => threads.get(annotationId) ?? NO_ENTRIES, [threads]);
  const undo = useCallback(() => session?.undoManager.undo(), [session]);
  const redo = useCallback(() => session?.undoManager.redo(), [session]);

  return {
    ...actions,
    ...undoState,
    ...presenceApi,
    connection,
    synced: connection.state === 'live',
    loaded: content.loaded,
    annotations: content.annotations,
    threadFor,
    undo,
    redo,
    reconnect,
  };
}

/** Before the session opens (one effect away) every action quietly does nothing. */
function disconnectedActions(): DebriefActions {
  const none = () => null;
  return {
    addAnnotation: none,
    updateAnnotation: none,
    moveAnnotation: none,
    deleteAnnotation: none,
    setStatus: none,
    addReply: none,
    editReply: none,
    deleteReply: none,
    toggleReaction: none,
  };
}
