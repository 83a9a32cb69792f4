import { Types } from 'mongoose';
import type { ExchangeModel } from '../exchanges/model.ts';

/**
 * What profiles need to know about exchanges, in one place so it follows the exchanges feature
 * when that changes (requests, cancellations). Each is one query over the exchanges collection
 * (a scan on FerretDB v1): they run per profile view or export, never per search result.
 */
export interface ExchangeFacts {
  /**
   * For a profile view, in one read of the target's exchanges: whether the viewer is their
   * partner (two people are partners once they share an exchange both joined), and how many
   * exchanges with a partner the target has had before today (UTC).
   */
  summary(targetId: string, viewerId: string): Promise<{ partners: boolean; completed: number }>;
  /** The user's own exchanges, as the export lists them. */
  exchangesOf(
    userId: string,
  ): Promise<{ id: string; date: string; roundMinutes: number; myRound: 1 | 2; partnerId: string | null }[]>;
}

export function exchangeFacts(Exchanges: ExchangeModel): ExchangeFacts {
  const oid = (id: string) => new Types.ObjectId(id);
  return {
    async summary(targetId, viewerId) {
      const today = new Date().toISOString().slice(0, 10);
      const docs = await Exchanges.find(
        { $or: [{ partnerA: oid(targetId) }, { partnerB: oid(targetId) }], partnerB: { $ne: null } },
        { partnerA: 1, partnerB: 1, date: 1 },
      ).lean();
      return {
        partners: docs.some((d) => [d.partnerA.toHexString(), d.partnerB?.toHexString()].includes(viewerId)),
        completed: docs.filter((d) => d.date < today).length,
      };
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
