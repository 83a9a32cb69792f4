import type { QueryClient } from '@tanstack/react-query';
import type { Notification } from '@kneadback/shared/schemas/notification';
import { queryKeys } from '../../lib/query-keys.ts';

/**
 * A notification reports a change someone else made on the server: the queries showing what it changed are fetched
 * again (those on screen now, the others when next shown), instead of pages reloading on every notification.
 */
export function invalidateWhatChanged(client: QueryClient, notification: Notification): void {
  switch (notification.kind) {
    case 'exchange-created':
      void client.invalidateQueries({ queryKey: queryKeys.exchanges.list() });
      return;
    case 'partner-joined-debrief':
      // They may have come through the invite link: the exchange now has its second partner
      void client.invalidateQueries({ queryKey: queryKeys.exchanges.list() });
      void client.invalidateQueries({ queryKey: queryKeys.exchanges.one(notification.exchangeId) });
      return;
    case 'reply':
    case 'mention':
    case 'resolved':
    case 'reopened':
      // A critique's thread or status: Review lists it, and later debriefs between the two carry it forward
      for (const queryKey of queryKeys.review.critiquesAndPatterns) void client.invalidateQueries({ queryKey });
      void client.invalidateQueries({ predicate: (query) => queryKeys.debriefs.isCarriedForward(query.queryKey) });
      return;
  }
}
