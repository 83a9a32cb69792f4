import { Types } from 'mongoose';
import type { ExchangeModel } from '../exchanges/model.ts';

/**
 * What profiles need to know about exchanges, in one place so it follows the exchanges feature
 * when that changes (requests, cancellations). Each is one query over the exchanges collection;
 * they run per profile view or export, never per search result.
 */
export interface ExchangeFacts {
  /** Two people are partners once they share an exchange that both joined. */
  arePartners(a: string, b: string): Promise<boolean>;
  /** Exchanges with a partner dated before today (UTC). */
  completedCount(userId: string): Promise<number>;
  /** The user's own exchanges, as the export lists them. */
  exchangesOf(
    userId: string,
  ): Promise<{ id: string; date: string; roundMinutes: number; myRound: 1 | 2; partnerId: string | null }[]>;
}

export function exchangeFacts(Exchanges: ExchangeModel): ExchangeFacts {
  const oid = (id: string) => new Types.ObjectId(id);
  return {
    async arePartners(a, b) {
      const found = await Exchanges.exists({
        $or: [
          { partnerA: oid(a), partnerB: oid(b) },
          { partnerA: oid(b), partnerB: oid(a) },
        ],
      });
      return found !== null;
    },
    completedCount(userId) {
      const today = new Date().toISOString().slice(0, 10);
      return Exchanges.countDocuments({
        $or: [{ partnerA: oid(userId) }, { partnerB: oid(userId) }],
        partnerB: { $ne: null },
        date: { $lt: today },
      });
    },
    async exchangesOf(userId) {
      const docs = await Exchanges.find({ $or: [{ partnerA: oid(userId) }, { partnerB: oid(userId) }] })
        .sort({ date: -1 })
        .lean();
      return docs.map((d) => {
        const mine = d.partnerA.toHexString() === userId;
        const partner = mine ? d.partnerB : d.partnerA;
        return {
          id: d._id.toHexString(),
          date: d.date,
          roundMinutes: d.roundMinutes,
          myRound: mine ? 1 : 2,
          partnerId: partner ? partner.toHexString() : null,
        };
      });
    },
  };
}
