import { useCallback, useEffect, useRef, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import { INITIAL_CONNECTION, watchConnection, type ConnectionInfo, type ConnectionWatch } from './connection.ts';

export function useConnectionInfo(provider: WebsocketProvider | null): {
  connection: ConnectionInfo;
  reconnect: () => void;
} {
  const [connection, setConnection] = useState<ConnectionInfo>(INITIAL_CONNECTION);
  const watch = useRef<ConnectionWatch | null>(null);
  useEffect(() => {
    if (!provider) return;
    setConnection(INITIAL_CONNECTION);
    const current = watchConnection(provider, setConnection);
    watch.current = current;
    return () => {
      current.stop();
      watch.current = null;
    };
  }, [provider]);
  const reconnect = useCallback(() => watch.current?.retry(), []);
  return { connection, reconnect };
}
