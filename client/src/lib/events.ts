// The app-events client: one Socket.IO connection per signed-in session, typed with the shared event maps.
// Only app events (notifications, "partner joined") travel here; a debrief's contents go over Yjs, never this socket.

import {
  createContext,
  createElement,
  use,
  useCallback,
  useEffect,
  useEffectEvent,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { Socket } from 'socket.io-client';
import type {
  Ack,
  ClientToServerEventResults,
  ClientToServerEvents,
  ServerToClientEvents,
} from '@kneadback/shared/events';
import { useAuth } from '../app/AuthProvider.tsx';
import { useToast } from '../app/ui/Toast.tsx';
import { ApiRequestError, NETWORK_ERROR_MESSAGE } from './api.ts';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type EventsModule = typeof import('@kneadback/shared/events');
export type AppEventName = keyof ServerToClientEvents;
export type AppEventPayload<E extends AppEventName> = Parameters<ServerToClientEvents[E]>[0];
type AppEventHandler<E extends AppEventName> = (payload: AppEventPayload<E>) => void;
export type AppRequestName = keyof ClientToServerEvents;
type AppRequestPayload<E extends AppRequestName> = Parameters<ClientToServerEvents[E]>[0];
type AckResponse<T> = Parameters<Ack<T>>[0];

/** `signed-out`: no session, no socket. `reconnecting`: we had a connection and Socket.IO is retrying. */
export type AppEventsStatus = 'signed-out' | 'connecting' | 'connected' | 'reconnecting';

export interface AppEvents {
  status: AppEventsStatus;
  /**
   * Goes up by one on every successful connect and reconnect. Events sent while we were offline are lost, so anything
   * that mirrors server state (the unread count) re-fetches when this changes.
   */
  connection: number;
  /** Sends a client-to-server event and resolves with its acknowledgement; rejects with an ApiRequestError. */
  request<E extends AppRequestName>(event: E, payload: AppRequestPayload<E>): Promise<ClientToServerEventResults[E]>;
  /** Low-level subscription; components use `useEvent`. */
  subscribe<E extends AppEventName>(event: E, handler: AppEventHandler<E>): () => void;
}

const REQUEST_TIMEOUT_MS = 8_000;
/** After the server refuses the handshake while the API still says we are signed in, wait this long to try again. */
const REFUSED_RETRY_MS = 10_000;
/** Refused for too many open connections: closing tabs takes a person a while. */
const CROWDED_RETRY_MS = 60_000;
/**
 * A handshake without a live session is refused at the WebSocket upgrade, which looks like a network error here and
 * is retried with back-off; ask the API at most this often whether the session ended.
 */
const SESSION_CHECK_MS = 30_000;

const AppEventsContext = createContext<AppEvents | null>(null);

/** Fans events out to subscribers; lives as long as the provider, so subscriptions survive sign-out and sign-in. */
class Subscribers {
  private readonly handlers = new Map<AppEventName, Set<(payload: unknown) => void>>();

  add<E extends AppEventName>(event: E, handler: AppEventHandler<E>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    const entry = handler as (payload: unknown) => void;
    set.add(entry);
    return () => set.delete(entry);
  }

  dispatch(event: AppEventName, payload: unknown): void {
    for (const handler of this.handlers.get(event) ?? []) {
      try {
        handler(payload);
      } catch (err) {
        console.error(`A handler for "${event}" failed`, err);
      }
    }
  }
}

/** Connects after sign-in, disconnects on sign-out; Socket.IO reconnects by itself after network drops. */
export function AppEventsProvider({ children }: { children: ReactNode }) {
  const { user, refresh } = useAuth();
  const userId = user?.id ?? null;
  const [subscribers] = useState(() => new Subscribers());
  const [socket, setSocket] = useState<AppSocket | null>(null);
  const [status, setStatus] = useState<AppEventsStatus>('signed-out');
  const [connection, setConnection] = useState(0);

  const toast = useToast();
  const checkSession = useEffectEvent(() => refresh());
  const warn = useEffectEvent((message: string) => toast(message, 'error'));

  useEffect(() => {
    if (!userId) {
      setStatus('signed-out');
      return;
    }
    setStatus('connecting');
    let stopped = false;
    let retry: number | undefined;
    let opened: AppSocket | undefined;

    let sessionCheckedAt = 0;
    let warned = false;

    const connect = (
      socket: AppSocket,
      { serverToClientEventSchemas: schemas, HandshakeRefusal, handshakeRefusalMessage }: EventsModule,
    ) => {
      setSocket(socket);

      // The server's payloads are parsed like HTTP responses are: a malformed event is logged and dropped.
      for (const event of Object.keys(schemas) as AppEventName[]) {
        const schema = schemas[event];
        const listener = (payload: unknown) => {
          const parsed = schema.safeParse(payload);
          if (parsed.success) subscribers.dispatch(event, parsed.data);
          else console.error(`Unexpected "${event}" event`, parsed.error.issues);
        };
        socket.on(event, listener as never);
      }

      socket.on('connect', () => {
        warned = false;
        setStatus('connected');
        setConnection((n) => n + 1);
      });
      socket.on('disconnect', () => setStatus(socket.active ? 'reconnecting' : 'connecting'));
      socket.on('connect_error', (err: Error & { data?: unknown }) => {
        setStatus('reconnecting');
        if (socket.active) {
          // A network problem, or a session that ended (refused before Socket.IO could say so): Socket.IO keeps
          // retrying with back-off; if the session really ended, the auth provider signs the user out and this effect
          // cleans up
          if (Date.now() - sessionCheckedAt > SESSION_CHECK_MS) {
            sessionCheckedAt = Date.now();
            void checkSession();
          }
          return;
        }
        // The handshake was refused with a reason; try again in a while, not in a loop
        if (err.message === HandshakeRefusal.notSignedIn) void checkSession();
        const crowded = err.message === HandshakeRefusal.tooManyConnections;
        const message = handshakeRefusalMessage(err.data);
        if (crowded && message && !warned) {
          warned = true;
          warn(message);
        }
        retry = window.setTimeout(() => socket.connect(), crowded ? CROWDED_RETRY_MS : REFUSED_RETRY_MS);
      });

      socket.connect();
    };

    // Fetched on sign-in rather than with the app, so the sign-in page downloads neither the Socket.IO client nor zod
    const load = () => {
      Promise.all([import('socket.io-client'), import('@kneadback/shared/events')]).then(
        ([{ io }, events]) => {
          if (stopped) return;
          // WebSocket only, as the server serves it: debriefs need WebSockets anyway, so long-polling would add a
          // fallback nobody can use, plus sticky sessions behind a load balancer. forceNew: never share a Manager with
          // a socket a previous session (or another module) opened.
          opened = io({ autoConnect: false, forceNew: true, transports: ['websocket'] });
          connect(opened, events);
        },
        (err: unknown) => {
          if (stopped) return;
          console.error('Could not load the app-events client; trying again', err);
          retry = window.setTimeout(load, REFUSED_RETRY_MS);
        },
      );
    };

    load();
    return () => {
      stopped = true;
      window.clearTimeout(retry);
      if (!opened) return;
      const current = opened;
      current.removeAllListeners();
      current.disconnect();
      setSocket((s) => (s === current ? null : s));
    };
  }, [userId, subscribers]);

  const subscribe = useCallback<AppEvents['subscribe']>(
    (event, handler) => subscribers.add(event, handler),
    [subscribers],
  );

  const request = useCallback<AppEvents['request']>(
    async (event, payload) => {
      if (!socket?.connected) throw new ApiRequestError(0, 'network', NETWORK_ERROR_MESSAGE);
      // The shared Ack type describes the reply; Socket.IO's generics cannot follow a generic event name, hence the cast
      const timed = socket.timeout(REQUEST_TIMEOUT_MS) as unknown as {
        emitWithAck(
          event: AppRequestName,
          payload: unknown,
        ): Promise<AckResponse<ClientToServerEventResults[typeof event]>>;
      };
      let response: AckResponse<ClientToServerEventResults[typeof event]>;
      try {
        response = await timed.emitWithAck(event, payload);
      } catch {
        throw new ApiRequestError(0, 'network', NETWORK_ERROR_MESSAGE);
      }
      if (response.ok) return response.data;
      const { code, message, field } = response.error;
      throw new ApiRequestError(code === 'not_signed_in' ? 401 : 400, code, message, field);
    },
    [socket],
  );

  const value = useMemo<AppEvents>(
    () => ({ status, connection, subscribe, request }),
    [status, connection, subscribe, request],
  );

  return createElement(AppEventsContext, { value }, children);
}

export function useAppEvents(): AppEvents {
  const value = use(AppEventsContext);
  if (!value) throw new Error('useAppEvents must be used inside <AppEventsProvider>');
  return value;
}

/** Calls `handler` for every `event` the server pushes to this user. The handler may change between renders. */
export function useEvent<E extends AppEventName>(event: E, handler: AppEventHandler<E>): void {
  const { subscribe } = useAppEvents();
  const onEvent = useEffectEvent((payload: AppEventPayload<E>) => handler(payload));
  useEffect(() => subscribe(event, (payload) => onEvent(payload)), [subscribe, event]);
}
