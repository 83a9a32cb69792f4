// A Node y-websocket client for a debrief, authenticated by a session cookie, for tests and
// benchmarks. Real provider, real socket: the same protocol the browser speaks.
import net from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { COLLAB_PATH_PREFIX, PERMANENT_CLOSE_CODES } from '@kneadback/shared/collab-protocol';

export interface DebriefClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close events the server sent (code and reason), oldest first. */
  closes: { code: number; reason: string }[];
  synced(): Promise<void>;
  destroy(): void;
}

export function connectDebrief(
  baseUrl: string,
  cookieHeader: string,
  exchangeId: string,
  /** `localAddress`: connect from this loopback address (load tests spread over the per-address limit). */
  opts: { doc?: Y.Doc; connect?: boolean; localAddress?: string } = {},
): DebriefClient {
  // named, not given a random guid: Yjs draws one with a crypto call per character, and a load
  // test creating 1,000 documents at once spent 18% of its CPU there (the server never sees it)
  const doc = opts.doc ?? new Y.Doc({ guid: exchangeId });
  class CookieWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, {
        headers: cookieHeader ? { cookie: cookieHeader } : {},
        localAddress: opts.localAddress,
      });
    }
  }
  const wsBase = baseUrl.replace(/^http/, 'ws') + COLLAB_PATH_PREFIX.replace(/\/$/, '');
  const provider = new WebsocketProvider(wsBase, exchangeId, doc, {
    WebSocketPolyfill: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    connect: opts.connect ?? true,
    maxBackoffTime: 500,
    // as the app does: y-websocket alone gives up on every 4xxx code, pauses (4430) included
    shouldReconnect: (event: { code: number }) => !PERMANENT_CLOSE_CODES.has(event.code),
  });
  const closes: { code: number; reason: string }[] = [];
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  return {
    doc,
    provider,
    closes,
    synced: () =>
      provider.synced
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const onSync = (isSynced: boolean) => {
              if (!isSynced) return;
              provider.off('sync', onSync);
              resolve();
            };
            provider.on('sync', onSync);
          }),
    destroy: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** A raw WebSocket to the Yjs endpoint, for sending hostile bytes. */
export function rawCollabSocket(baseUrl: string, cookieHeader: string, exchangeId: string): WebSocket {
  const url = baseUrl.replace(/^http/, 'ws') + COLLAB_PATH_PREFIX + exchangeId;
  return new WebSocket(url, { headers: cookieHeader ? { cookie: cookieHeader } : {} });
}

export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** One of many loopback addresses (127.1.x.y), so a load test's clients spread over the per-address limit. */
export function loopbackAddress(index: number): string {
  return `127.1.${Math.floor(index / 250) % 250}.${(index % 250) + 1}`;
}

/** The server's raw answer to a WebSocket upgrade of `path`, which a WebSocket client would not build. */
export function upgradeAnswer(baseUrl: string, path: string): Promise<string> {
  const { port } = new URL(baseUrl);
  return new Promise<string>((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () =>
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    );
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}
