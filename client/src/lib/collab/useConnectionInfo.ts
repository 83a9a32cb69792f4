import { useCallback, useEffect, useRef, useState } from 'react';
import { INITIAL_CONNECTION, watchConnection, type ConnectionInfo, type ConnectionWatch } from './connection.ts';
import type { LiveDocSession } from './liveDoc.ts';

export function useConnectionInfo(session: LiveDocSession | null): {
  connection: ConnectionInfo;
  reconnect: () => void;
} {
  const [connection, setConnection] = useState<ConnectionInfo>(INITIAL_CONNECTION);
  const watch = useRef<ConnectionWatch | null>(null);
  useEffect(() => {
    if (!session) return;
    setConnection(INITIAL_CONNECTION);
    const current = watchConnection(session.provider, session.kind, setConnection);
    watch.current = current;
    return () => {
      current.stop();
      watch.current = null;
    };
  }, [session]);
  const reconnect = useCallback(() => watch.current?.retry(), []);
  return { connection, reconnect };
}
