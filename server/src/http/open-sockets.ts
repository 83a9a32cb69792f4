import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Every connection an HTTP server holds, WebSockets included: `closeAllConnections` cuts only
 * those still speaking HTTP. A device that vanished (a tablet asleep, Wi-Fi gone) never answers a
 * WebSocket close frame, and `ws` waits 30 s for the answer before it lets the socket go, so a
 * shutdown waited that long for any such device (seen in the two-process test: 30.0 s in every run).
 */
export function trackOpenSockets(server: Server): {
  /** From now on every answer ends its connection (`Connection: close`), those in progress too. */
  endKeepAlive(): void;
  destroyAll(): void;
} {
  const open = new Set<Socket>();
  const answering = new Set<ServerResponse>();
  let keepAlive = true;
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  // before the app's own listener, which may answer within the same call
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (!keepAlive) res.shouldKeepAlive = false;
    answering.add(res);
    res.once('close', () => answering.delete(res));
  });
  return {
    endKeepAlive() {
      keepAlive = false;
      // Node writes the Connection header from this when the answer starts
      for (const res of answering) if (!res.headersSent) res.shouldKeepAlive = false;
    },
    destroyAll() {
      for (const socket of open) socket.destroy();
    },
  };
}
