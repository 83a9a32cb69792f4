import type { IncomingMessage } from 'node:http';

/**
 * The caller's address for per-address limits, by the rule Express applies to `trust proxy` set
 * to a hop count: with N trusted proxies in front, the client is the Nth entry from the right of
 * X-Forwarded-For (the socket's peer when N is 0). Entries further left are the caller's own
 * claims and are never believed. Sockets (Socket.IO, Yjs) have no req.ip, hence this helper.
 */
export function clientAddress(req: IncomingMessage, trustedHops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedHops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .reverse();
  const chain = [peer, ...forwarded];
  return chain[Math.min(trustedHops, chain.length - 1)]!;
}
