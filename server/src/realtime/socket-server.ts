import type http from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  clientToServerEventSchemas,
  type ClientToServerEventResults,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@kneadback/shared/events';
import type { CurrentUser } from '@kneadback/shared/schemas/user';
import type { z } from 'zod';
import type { AuthService } from '../features/auth/service.ts';
import { sessionTokenFromCookieHeader } from '../features/auth/session-cookie.ts';
import { toApiError } from '../http/errors.ts';
import type { Logger } from '../logger.ts';

type ClientEvent = keyof typeof clientToServerEventSchemas;
type Handler<E extends ClientEvent> = (
  user: CurrentUser,
  payload: z.infer<(typeof clientToServerEventSchemas)[E]>,
) => Promise<ClientToServerEventResults[E]>;

interface SocketData {
  user: CurrentUser;
}

export interface Realtime {
  emitToUser<E extends keyof ServerToClientEvents>(
    userId: string,
    event: E,
    ...payload: Parameters<ServerToClientEvents[E]>
  ): void;
  handle<E extends ClientEvent>(event: E, handler: Handler<E>): void;
  close(): Promise<void>;
}

const userRoom = (userId: string) => `user:${userId}`;

/**
 * Socket.IO for app events pushed to one person. The session cookie authenticates the
 * handshake; each socket joins only its own user's room, so nobody receives another's events.
 */
export function createRealtime(httpServer: http.Server, auth: AuthService, logger: Logger): Realtime {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // the Yjs endpoint shares the HTTP server's upgrades; Socket.IO must not cut its sockets
    destroyUpgrade: false,
  });
  const handlers = new Map<ClientEvent, Handler<ClientEvent>>();

  io.use(async (socket, next) => {
    const user = await auth.userForToken(sessionTokenFromCookieHeader(socket.request.headers.cookie));
    if (!user) return next(new Error('not_signed_in'));
    socket.data.user = user;
    next();
  });

  io.on('connection', (socket) => {
    void socket.join(userRoom(socket.data.user.id));
    for (const event of Object.keys(clientToServerEventSchemas) as ClientEvent[]) {
      socket.on(event, (payload: unknown, ack: unknown) => void dispatch(socket, event, payload, ack));
    }
  });

  async function dispatch(socket: Socket, event: ClientEvent, payload: unknown, ack: unknown): Promise<void> {
    const reply = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => undefined;
    const handler = handlers.get(event);
    try {
      if (!handler) throw new Error(`no handler for ${event}`);
      const parsed = clientToServerEventSchemas[event].parse(payload);
      reply({ ok: true, data: await handler((socket.data as SocketData).user, parsed) });
    } catch (err) {
      const { status, body } = toApiError(err);
      if (status >= 500) logger.error({ err, event }, 'socket event failed');
      reply({ ok: false, ...body });
    }
  }

  return {
    emitToUser(userId, event, ...payload) {
      io.to(userRoom(userId)).emit(event, ...payload);
    },
    handle(event, handler) {
      handlers.set(event, handler as unknown as Handler<ClientEvent>);
    },
    close: () => new Promise<void>((resolve) => void io.close(() => resolve())),
  };
}
