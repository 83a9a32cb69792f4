import { useEffect, useRef, useState } from 'react';
import type { ConnectionInfo } from './connection.ts';
import type { LiveDocSession } from './liveDoc.ts';
import { useConnectionInfo } from './useConnectionInfo.ts';

export interface LiveSessionState<S extends LiveDocSession> {
  /** Null for the one render before the session opens, and after it was torn down. */
  session: S | null;
  connection: ConnectionInfo;
  /** Connect again after the server refused this device (e.g. once signed in again). */
  reconnect: () => void;
}

/**
 * Keeps one live document open while `key` stays the same and tears it down on unmount.
 * `open` is called with what to do when the server kept refusing this device's copy: the copy is
 * gone by then, `discardedMessage` goes to `onError` and a fresh session starts from the server's copy.
 */
export function useLiveSession<S extends LiveDocSession>(
  key: string,
  open: (onDiscarded: () => void) => S,
  discardedMessage: string,
  onError: (message: string) => void,
): LiveSessionState<S> {
  const [session, setSession] = useState<S | null>(null);
  // Bumped to start over from the server's copy after this device's copy was discarded
  const [generation, setGeneration] = useState(0);
  const latest = useRef({ open, discardedMessage, onError });
  useEffect(() => {
    latest.current = { open, discardedMessage, onError };
  }, [open, discardedMessage, onError]);
  useEffect(() => {
    const opened = latest.current.open(() => {
      latest.current.onError(latest.current.discardedMessage);
      setGeneration((g) => g + 1);
    });
    setSession(opened);
    return () => {
      opened.destroy();
      setSession(null);
    };
  }, [key, generation]);

  const { connection, reconnect } = useConnectionInfo(session);
  return { session, connection, reconnect };
}
