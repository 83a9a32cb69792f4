import { z } from 'zod';
import { apiErrorSchema, type ApiError } from './schemas/common.ts';
import {
  markNotificationsReadBodySchema,
  notificationSchema,
  unreadCountSchema,
  type UnreadCount,
} from './schemas/notification.ts';
import { noteAccessChangedEventSchema, noteEditedEventSchema, noteSharedEventSchema } from './schemas/note.ts';

/**
 * Every Socket.IO event, declared once with its payload schema. Socket.IO carries app events
 * only; a debrief's contents travel over Yjs and never here.
 */
export const serverToClientEventSchemas = {
  'notification:new': notificationSchema,
  'notification:unread-count': unreadCountSchema,
  'note:shared': noteSharedEventSchema,
  'note:edited': noteEditedEventSchema,
  'note:access-changed': noteAccessChangedEventSchema,
} as const;

export const clientToServerEventSchemas = {
  'notifications:mark-read': markNotificationsReadBodySchema,
} as const;

/**
 * Open app-event connections (a browser tab holds one) per account and per address, counted by
 * each server process on its own.
 */
export const MAX_EVENT_CONNECTIONS_PER_USER = 20;
export const MAX_EVENT_CONNECTIONS_PER_ADDRESS = 200;

/**
 * A refused handshake reaches the client as a `connect_error` whose message is one of these codes
 * and whose `data` is an ApiError with the words to show. A handshake without a live session, or
 * past the per-address cap, is refused before Socket.IO starts and reaches the client as a
 * transport error instead (no code: the WebSocket upgrade itself is answered 400).
 */
export const HandshakeRefusal = {
  notSignedIn: 'not_signed_in',
  forbiddenOrigin: 'forbidden_origin',
  tooManyConnections: 'too_many_connections',
  unavailable: 'unavailable',
} as const;
export type HandshakeRefusal = (typeof HandshakeRefusal)[keyof typeof HandshakeRefusal];

/** The words the server sent with a refused handshake, or null when it sent none. */
export function handshakeRefusalMessage(data: unknown): string | null {
  const parsed = apiErrorSchema.safeParse(data);
  return parsed.success ? parsed.data.error.message : null;
}

export type Ack<T> = (response: { ok: true; data: T } | ({ ok: false } & ApiError)) => void;

type Payload<S> = S extends z.ZodType ? z.infer<S> : never;

export type ServerToClientEvents = {
  [K in keyof typeof serverToClientEventSchemas]: (payload: Payload<(typeof serverToClientEventSchemas)[K]>) => void;
};

export interface ClientToServerEventResults {
  'notifications:mark-read': UnreadCount;
}

export type ClientToServerEvents = {
  [K in keyof typeof clientToServerEventSchemas]: (
    payload: Payload<(typeof clientToServerEventSchemas)[K]>,
    ack: Ack<ClientToServerEventResults[K]>,
  ) => void;
};
