import { describe, expect, it } from 'vitest';
import type { Notification, NotificationKind } from '@kneadback/shared/schemas/notification';
import { createQueryClient } from '../../lib/query.ts';
import { queryKeys } from '../../lib/query-keys.ts';
import { invalidateWhatChanged } from './notificationInvalidations.ts';

const EXCHANGE = 'a'.repeat(24);
const OTHER = 'b'.repeat(24);
const KEYS = {
  exchangeList: queryKeys.exchanges.list(),
  thisExchange: queryKeys.exchanges.one(EXCHANGE),
  otherExchange: queryKeys.exchanges.one(OTHER),
  critiques: queryKeys.review.critiques('pageSize=20'),
  patterns: queryKeys.review.patterns('role=given'),
  partners: queryKeys.review.partners(),
  carriedForwardElsewhere: queryKeys.debriefs.carriedForward(OTHER),
  threadReads: queryKeys.debriefs.threadReads(EXCHANGE),
  notifications: queryKeys.notifications.list(),
  requests: queryKeys.exchangeRequests.list(),
  rhythm: queryKeys.rhythm.all,
};

function staleAfter(kind: NotificationKind): string[] {
  const client = createQueryClient();
  for (const key of Object.values(KEYS)) client.setQueryData(key, 'cached');
  const notification: Notification = {
    id: 'c'.repeat(24),
    kind,
    actor: { id: 'd'.repeat(24), displayName: 'Ana' },
    exchangeId: EXCHANGE,
    requestId: null,
    annotationId: kind === 'exchange-created' || kind === 'partner-joined-debrief' ? null : 'mark-1',
    round: kind === 'exchange-created' || kind === 'partner-joined-debrief' ? null : 2,
    text: 'Ana did something',
    count: 1,
    createdAt: new Date().toISOString(),
    readAt: null,
  };
  invalidateWhatChanged(client, notification);
  return Object.entries(KEYS)
    .filter(([, key]) => client.getQueryState(key)?.isInvalidated)
    .map(([name]) => name);
}

describe('invalidateWhatChanged', () => {
  it('refetches the exchange list when a partner adds an exchange', () => {
    expect(staleAfter('exchange-created')).toEqual(['exchangeList']);
  });

  it('refetches the list and that exchange when a partner joins', () => {
    expect(staleAfter('partner-joined-debrief')).toEqual(['exchangeList', 'thisExchange']);
  });

  it.each([
    'exchange-requested',
    'request-countered',
    'request-accepted',
    'request-declined',
    'request-cancelled',
  ] as const)('refetches requests, exchanges and the home view after %s', (kind) => {
    expect(staleAfter(kind)).toEqual(['exchangeList', 'thisExchange', 'otherExchange', 'requests', 'rhythm']);
  });

  it.each(['reply', 'mention', 'resolved', 'reopened'] as const)(
    'refetches Review and carried-forward lists after a %s, nothing else',
    (kind) => {
      expect(staleAfter(kind)).toEqual(['critiques', 'patterns', 'carriedForwardElsewhere']);
    },
  );
});
