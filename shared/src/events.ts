import { z } from 'zod';
import type { ApiError } from './schemas/common.ts';
import { noteAccessChangedEventSchema, noteEditedEventSchema, noteSharedEventSchema } from './schemas/note.ts';
import {
  markNotificationsReadBodySchema,
  notificationSchema,
  unreadCountSchema,
  type UnreadCount,
} from './schemas/notification.ts';

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
