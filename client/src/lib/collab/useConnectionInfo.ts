import { useEffect, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import { INITIAL_CONNECTION, watchConnection, type ConnectionInfo } from './connection.ts';

export function useConnectionInfo(provider: WebsocketProvider | null): ConnectionInfo {
  const [info, setInfo] = useState<ConnectionInfo>(INITIAL_CONNECTION);
  useEffect(() => {
    if (!provider) return;
    setInfo(INITIAL_CONNECTION);
    return watchConnection(provider, setInfo);
  }, [provider]);
  return info;
}
