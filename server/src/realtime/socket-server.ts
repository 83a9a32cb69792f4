import type http from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import {
  clientToServerEventSchemas,
  type ClientToServerEventResults,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '@kneadback/shared/events';
import type { CurrentUser } from '@kneadback/shared/schemas/user';
import type { z } from 'zod';
import type { AuthService } from '../features/auth/service.ts';
import { clientAddress } from '../http/client-address.ts';
import { toApiError } from '../http/errors.ts';
import type { Logger } from '../logger.ts';
import { handshakeGate } from './handshakes.ts';

type ClientEvent = keyof typeof clientToServerEventSchemas;
/** Who sent an event: the signed-in user and the address per-address limits count against. */
export interface EventSender {
  user: CurrentUser;
  address: string;
}

type Handler<E extends ClientEvent> = (
  sender: EventSender,
  payload: z.infer<(typeof clientToServerEventSchemas)[E]>,
) => Promise<ClientToServerEventResults[E]>;

interface SocketData extends EventSender {
  sessionKey: string;
}

export interface Realtime {
  emitToUser<E extends keyof ServerToClientEvents>(
    userId: string,
    event: E,
    ...payload: Parameters<ServerToClientEvents[E]>
  ): void;
  /**
   * False only when no socket of the user is connected, so an event for them would reach no one;
   * with several processes (an adapter) this process cannot tell without asking the others: true.
   */
  mayHear(userId: string): boolean;
  handle<E extends ClientEvent>(event: E, handler: Handler<E>): void;
  close(): Promise<void>;
}

const userRoom = (userId: string) => `user:${userId}`;
/** Every socket of one sign-in, so signing out closes them all (and no other device's). */
const sessionRoom = (sessionKey: string) => `session:${sessionKey}`;

/**
 * Socket.IO for app events pushed to one person. The session cookie authenticates the
 * handshake (see handshakeGate, which also caps connections); each socket joins only its own
 * user's room, so nobody receives another's events.
 */
export function createRealtime(
  httpServer: http.Server,
  auth: AuthService,
  logger: Logger,
  opts: {
    trustProxy: number;
    /** Several server processes: Socket.IO's Redis adapter, so an event reaches the user wherever their socket is. */
    adapter?: ServerOptions['adapter'];
  },
): Realtime {
  const gate = handshakeGate(auth, logger, opts.trustProxy);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    serveClient: false,
    maxHttpBufferSize: 64 * 1024,
    // WebSocket only, as the client connects: a polling handshake is answered 400 and never opens
    // a session (each would otherwise live until its connect timeout, whoever asked), and no
    // sticky sessions are needed behind a balancer. Debriefs need WebSockets anyway.
    transports: ['websocket'],
    allowRequest: gate.allowRequest,
    // the Yjs endpoint shares the HTTP server's upgrades; Socket.IO must not cut its sockets
    destroyUpgrade: false,
    ...(opts.adapter ? { adapter: opts.adapter } : {}),
  });
  const handlers = new Map<ClientEvent, Handler<ClientEvent>>();

  io.use((socket, next) => {
    gate.admit(socket).then((session) => {
      socket.data.user = session.user;
      socket.data.sessionKey = session.sessionKey;
      socket.data.address = clientAddress(socket.request, opts.trustProxy);
      next();
    }, next);
  });

  const stopListening = auth.onSignOut((sessionKey) => io.in(sessionRoom(sessionKey)).disconnectSockets(true));

  io.on('connection', (socket) => {
    void socket.join([userRoom(socket.data.user.id), sessionRoom(socket.data.sessionKey)]);
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
      const { user, address } = socket.data as SocketData;
      reply({ ok: true, data: await handler({ user, address }, parsed) });
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
    mayHear: (userId) => Boolean(opts.adapter) || (io.sockets.adapter.rooms.get(userRoom(userId))?.size ?? 0) > 0,
    handle(event, handler) {
      handlers.set(event, handler as unknown as Handler<ClientEvent>);
    },
    close: () => {
      stopListening();
      return new Promise<void>((resolve) => void io.close(() => resolve()));
    },
  };
}
