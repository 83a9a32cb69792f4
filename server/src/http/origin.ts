import type { IncomingMessage } from 'node:http';

/**
 * Browsers send Origin on WebSocket upgrades and Socket.IO handshakes; a page on another site
 * must not ride our cookie. No Origin at all is not a browser on another site (curl, tests,
 * native clients), so it passes; the cookie still has to be valid.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
