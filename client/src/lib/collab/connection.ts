import type { WebsocketProvider } from 'y-websocket';
import { closeCodeMessage, PERMANENT_CLOSE_CODES, type CollabDocumentKind } from '@kneadback/shared/collab-protocol';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'refused';

export interface ConnectionInfo {
  state: ConnectionState;
  /** Why the server last closed the socket, in words; null while nothing went wrong. */
  message: string | null;
  closeCode: number | null;
}

export const INITIAL_CONNECTION: ConnectionInfo = { state: 'connecting', message: null, closeCode: null };

/** A socket down this long is "offline" rather than a blip worth calling "reconnecting". */
export const OFFLINE_AFTER_MS = 8_000;

/** y-websocket's default gives up on every 44xx code; only some of ours are permanent. */
export function shouldReconnect(event: CloseEvent): boolean {
  return !PERMANENT_CLOSE_CODES.has(event.code);
}

export interface ConnectionWatch {
  stop(): void;
  /** Try again after a refusal (say, once the person signed in again). */
  retry(): void;
}

/** Reports the connection state of a provider on every change. */
export function watchConnection(
  provider: WebsocketProvider,
  kind: CollabDocumentKind,
  onChange: (info: ConnectionInfo) => void,
): ConnectionWatch {
  let socketOpen = provider.wsconnected;
  let synced = provider.synced;
  let everLive = false;
  let downSince: number | null = socketOpen ? null : Date.now();
  let refused: { code: number; message: string } | null = null;
  let lastClose: { code: number; message: string } | null = null;
  let timer: number | undefined;

  function compute(): ConnectionInfo {
    if (refused) return { state: 'refused', message: refused.message, closeCode: refused.code };
    const close = { message: lastClose?.message ?? null, closeCode: lastClose?.code ?? null };
    if (!navigator.onLine) return { state: 'offline', ...close };
    if (socketOpen && synced) return { state: 'live', message: null, closeCode: null };
    if (downSince !== null && Date.now() - downSince >= OFFLINE_AFTER_MS) return { state: 'offline', ...close };
    return { state: everLive ? 'reconnecting' : 'connecting', ...close };
  }
  const report = () => onChange(compute());

  function markDown() {
    socketOpen = false;
    synced = false;
    if (downSince === null) downSince = Date.now();
    window.clearTimeout(timer);
    timer = window.setTimeout(report, OFFLINE_AFTER_MS);
  }

  const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
    if (status === 'connected') socketOpen = true;
    if (status === 'disconnected') markDown();
    report();
  };
  const onSync = (isSynced: boolean) => {
    synced = isSynced;
    if (isSynced) {
      everLive = true;
      downSince = null;
      lastClose = null;
      window.clearTimeout(timer);
    }
    report();
  };
  const onClose = (event: CloseEvent | null) => {
    markDown();
    if (event) {
      const message = closeCodeMessage(event.code, kind, event.reason);
      if (PERMANENT_CLOSE_CODES.has(event.code)) {
        refused = { code: event.code, message: message ?? `The server refused this ${kind}.` };
        // Not from inside the provider's own close handling: disconnect() re-enters it.
        queueMicrotask(() => provider.disconnect());
      } else if (message) {
        lastClose = { code: event.code, message };
      }
    }
    report();
  };
  const onOnline = () => {
    // Skip the remaining back-off: the network is back now.
    if (!refused) provider.connect();
    report();
  };

  provider.on('status', onStatus);
  provider.on('sync', onSync);
  provider.on('connection-close', onClose);
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', report);
  report();
  return {
    stop() {
      window.clearTimeout(timer);
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('connection-close', onClose);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', report);
    },
    retry() {
      refused = null;
      everLive = false;
      provider.connect();
      report();
    },
  };
}
