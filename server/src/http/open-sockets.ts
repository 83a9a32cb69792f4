import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Every connection an HTTP server holds, WebSockets included: `closeAllConnections` cuts only
 * those still speaking HTTP. A device that vanished (a tablet asleep, Wi-Fi gone) never answers a
 * WebSocket close frame, and `ws` waits 30 s for the answer before it lets the socket go, so a
 * shutdown waited that long for any such device (seen in the two-process test: 30.0 s in every run).
 */
export function trackOpenSockets(server: Server): { destroyAll(): void } {
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return {
    destroyAll() {
      for (const socket of open) socket.destroy();
    },
  };
}
