import type { Logger } from '../../logger.ts';
import { readableDate } from '../exchanges/readable-date.ts';
import type { ExchangeEvents } from '../exchanges/service.ts';
import type { NotificationService } from './service.ts';

/** Partner B hears of an exchange partner A added with them (not of one they added themselves). */
export function exchangeNotices(notifications: NotificationService, logger: Logger): ExchangeEvents {
  return {
    onCreated(exchange, actorId) {
      const partner = exchange.partnerB;
      if (!partner || partner.id === actorId) return;
      void notifications
        .notify({
          userId: partner.id,
          kind: 'exchange-created',
          actor: { id: exchange.partnerA.id, displayName: exchange.partnerA.displayName },
          exchangeId: exchange.id,
          text: `${exchange.partnerA.displayName} added an exchange with you on ${readableDate(exchange.date)}`,
        })
        .catch((err: unknown) => logger.error({ err }, 'exchange notification failed'));
    },
  };
}
