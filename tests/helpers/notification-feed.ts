// A signed-in Socket.IO client that keeps every notification it is pushed, for "A sees it live" assertions.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@kneadback/shared/events';
import type { Notification } from '@kneadback/shared/schemas/notification';

export interface NotificationFeed {
  notifications: Notification[];
  close(): void;
}

export async function notificationFeed(url: string, cookie: string): Promise<NotificationFeed> {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnection: false,
    forceNew: true,
  });
  const feed: NotificationFeed = { notifications: [], close: () => socket.disconnect() };
  socket.on('notification:new', (n) => feed.notifications.push(n));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return feed;
}
