import { QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { NoteEvents } from '../features/notes/NoteEvents.tsx';
import { NotificationsProvider } from '../features/notifications/NotificationsProvider.tsx';
import { createQueryClient } from '../lib/query.ts';

/** Loaded by QueryProvider once someone is signed in: their query cache, and their notifications kept in it. */
export function SignedInQueries({ children }: { children: ReactNode }) {
  const [client] = useState(createQueryClient);
  return (
    <QueryClientProvider client={client}>
      <NoteEvents />
      <NotificationsProvider>{children}</NotificationsProvider>
    </QueryClientProvider>
  );
}
