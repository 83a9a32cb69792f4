// A round-robin load balancer for trying several server processes locally and for the tests:
// http-proxy-3 forwards HTTP requests and WebSocket upgrades (Yjs and Socket.IO); a process that
// refuses the connection (dead, restarting) is skipped for that request, as a real balancer's
// health check would. No sticky sessions: any process can serve any request.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createProxyServer } from 'http-proxy-3';

export interface Balancer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startBalancer(targets: string[], port = 0, host = '127.0.0.1'): Promise<Balancer> {
  if (targets.length === 0) throw new Error('the balancer needs at least one target');
  // xfwd: the servers see the client's address in X-Forwarded-For (run them with TRUST_PROXY=1)
  const proxy = createProxyServer({ xfwd: true });
  let next = 0;
  /** Targets in the order this request tries them: round-robin start, then the others. */
  const order = () => {
    const start = next++ % targets.length;
    return targets.map((_, i) => targets[(start + i) % targets.length]!);
  };
  const refused = (err: unknown) => ['ECONNREFUSED', 'ECONNRESET'].includes((err as NodeJS.ErrnoException).code ?? '');

  const server = http.createServer((req, res) => {
    const tryTarget = (remaining: string[]) => {
      proxy.web(req, res, { target: remaining[0]! }, (err) => {
        if (refused(err) && remaining.length > 1 && !res.headersSent) return tryTarget(remaining.slice(1));
        if (!res.headersSent) res.writeHead(502).end('no server answered');
        else res.destroy();
      });
    };
    tryTarget(order());
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const tryTarget = (remaining: string[]) => {
      proxy.ws(req, socket, head, { target: remaining[0]! }, (err) => {
        if (refused(err) && remaining.length > 1 && !socket.destroyed) return tryTarget(remaining.slice(1));
        socket.destroy();
      });
    };
    tryTarget(order());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
