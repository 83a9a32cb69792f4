import { randomBytes } from 'node:crypto';
import { isValidObjectId, type Types } from 'mongoose';
import type { CreateExchangeBody, Exchange } from '@kneadback/shared/schemas/exchange';
import { createExchangeBodySchema } from '@kneadback/shared/schemas/exchange';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { BatchedReads } from '../../db/batched-reads.ts';
import type { RateLimits } from '../../http/rate-limit.ts';
import type { AuthService } from '../auth/service.ts';
import type { MayContact } from '../profiles/blocks.ts';
import type { ExchangeModel, InviteClaimModel } from './model.ts';
import { dayStart, type ExchangeCalendar } from './calendar.ts';
import { readableDate } from './readable-date.ts';
import type { ExchangeParties, SettledParties } from './parties.ts';

export type ExchangeAccess = 'allowed' | 'forbidden' | 'not-found';

export type { ExchangeParties } from './parties.ts';

/** A link sent by message lives in inboxes for years; past this it opens nothing. */
export const INVITE_TTL_MS = 14 * 24 * 3600 * 1000;

interface ExchangeDoc {
  _id: Types.ObjectId;
  partnerA: Types.ObjectId;
  partnerB?: Types.ObjectId | null;
  inviteToken?: string | null;
  inviteExpiresAt?: Date | null;
  inviteRevokedAt?: Date | null;
  date: string;
  roundMinutes: number;
  startsAt?: Date | null;
  requestId?: Types.ObjectId | null;
  cancelledAt?: Date | null;
  cancelReason?: string | null;
  createdAt: Date;
}

export class ExchangeService {
  /** Every device opening a debrief reads its exchange (access, then context): batched. */
  private readonly byId = new BatchedReads(
    (filter) => this.Exchanges.find(filter).lean<ExchangeDoc[]>(),
    (doc) => doc._id.toHexString(),
  );

  private readonly partnerJoinedListeners = new Set<(exchangeId: string) => void>();

  constructor(
    private readonly Exchanges: ExchangeModel,
    private readonly InviteClaims: InviteClaimModel,
    private readonly auth: AuthService,
    private readonly limits: RateLimits,
    private readonly calendar: ExchangeCalendar,
    private readonly settledParties: SettledParties,
    /** A block, either way, keeps an old invite link from bringing the two together. */
    private readonly mayContact: MayContact,
  ) {}

  /** An exchange with an invite link: nobody else is in it until the invitee joins (their consent). */
  async create({ userId, address }: { userId: string; address: string }, input: CreateExchangeBody): Promise<Exchange> {
    const body = createExchangeBodySchema.parse(input);
    await this.limits.take(
      [
        ['exchangesPerUser', userId],
        ['exchangesPerAddress', address],
      ],
      'too many new exchanges',
    );
    const created = await this.Exchanges.create({
      partnerA: userId,
      inviteToken: randomBytes(18).toString('base64url'),
      inviteExpiresAt: new Date(Date.now() + INVITE_TTL_MS),
      date: body.date,
      roundMinutes: body.roundMinutes,
    });
    return this.present(created.toObject(), userId);
  }

  /**
   * Books the exchanges of an accepted request, one per occurrence, with both partners set (so each debrief
   * opens as any other). `a` gives round 1.
   */
  async book(booking: {
    /** Null for an exchange booked outside a request (demo data). */
    requestId: string | null;
    a: { id: string; givesMinutes: number };
    b: { id: string; givesMinutes: number };
    roundMinutes: number;
    occurrences: { startsAt: Date; day: string }[];
  }): Promise<string[]> {
    const ids: string[] = [];
    for (const { startsAt, day } of booking.occurrences) {
      const created = await this.Exchanges.create({
        partnerA: booking.a.id,
        partnerB: booking.b.id,
        date: day,
        startsAt,
        roundMinutes: booking.roundMinutes,
        requestId: booking.requestId,
      });
      const exchangeId = created._id.toHexString();
      await this.calendar.book({ exchangeId, a: booking.a, b: booking.b, startsAt, timed: true });
      ids.push(exchangeId);
    }
    return ids;
  }

  /**
   * Cancels a booked exchange (the request service checked who may), with the reason both partners see, or none.
   * Cancelling twice keeps the first reason.
   */
  async cancelBooked(exchangeId: string, reason: string | null): Promise<void> {
    const doc = await this.findRaw(exchangeId);
    if (!doc || !doc.partnerB || doc.cancelledAt) return;
    const at = new Date();
    await this.Exchanges.updateOne({ _id: doc._id }, { $set: { cancelledAt: at, cancelReason: reason } });
    await this.calendar.cancel([doc.partnerA.toHexString(), doc.partnerB.toHexString()], exchangeId, at);
  }

  /** The person's booked exchanges that overlap [start, end) (invite-link exchanges, with a day only, never do). */
  async overlapping(userId: string, start: Date, end: Date): Promise<number> {
    return (await this.calendar.overlapping(userId, start, end)).length;
  }

  /** Exchanges by id, as the viewer (a partner of each) sees them; ids the viewer is not in are left out. */
  async someFor(userId: string, exchangeIds: string[]): Promise<Exchange[]> {
    const docs = await Promise.all(exchangeIds.map((id) => this.findRaw(id)));
    return this.presentMany(
      docs.filter((d): d is ExchangeDoc => d !== null && isPartner(d, userId)),
      userId,
    );
  }

  async join(userId: string, inviteToken: string): Promise<Exchange> {
    const found = await this.Exchanges.findOne({ inviteToken }).lean<ExchangeDoc>();
    // across a block the link is no link at all, before anything else about it (used, withdrawn, expired) shows
    if (!found || !(await this.mayContact(userId, found.partnerA.toHexString()))) {
      throw new AppError(404, 'invite_not_found', 'this invite link is not valid (or was already used)');
    }
    if (found.partnerA.toHexString() === userId) {
      throw new AppError(400, 'self_exchange', 'you created this exchange; send the link to your partner');
    }
    if (found.partnerB) throw new AppError(409, 'invite_used', 'someone already joined this exchange');
    if (found.inviteRevokedAt) {
      throw new AppError(410, 'invite_revoked', 'your partner withdrew this invite link; ask them for a new one');
    }
    if (inviteExpiry(found).getTime() <= Date.now()) {
      throw new AppError(
        410,
        'invite_expired',
        `this invite link expired on ${readableDate(inviteExpiry(found))}; ask your partner for a new one`,
      );
    }
    // FerretDB v1 does not apply a conditional update atomically (two joiners both "won" in
    // tests), but it does enforce _id uniqueness: the first insert of the claim wins.
    try {
      await this.InviteClaims.create({ _id: found._id, userId });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) {
        throw new AppError(409, 'invite_used', 'someone already joined this exchange');
      }
      throw err;
    }
    const updated = await this.Exchanges.findByIdAndUpdate(
      found._id,
      { $set: { partnerB: userId, inviteToken: null } },
      { returnDocument: 'after' },
    ).lean<ExchangeDoc>();
    if (!updated) throw notFound('exchange');
    await this.calendar.book({
      exchangeId: updated._id.toHexString(),
      a: { id: updated.partnerA.toHexString(), givesMinutes: updated.roundMinutes },
      b: { id: userId, givesMinutes: updated.roundMinutes },
      startsAt: dayStart(updated.date),
      timed: false,
    });
    for (const listener of this.partnerJoinedListeners) listener(updated._id.toHexString());
    return this.present(updated, userId);
  }

  /** Called after someone joined an exchange through its invite link; returns an unsubscribe. */
  onPartnerJoined(listener: (exchangeId: string) => void): () => void {
    this.partnerJoinedListeners.add(listener);
    return () => this.partnerJoinedListeners.delete(listener);
  }

  /** The creator withdraws the link: from now on it answers "withdrawn". Doing it twice is fine. */
  async revokeInvite(userId: string, exchangeId: string): Promise<Exchange> {
    const doc = await this.findRaw(exchangeId);
    if (!doc || !isPartner(doc, userId)) throw notFound('exchange');
    if (doc.partnerA.toHexString() !== userId)
      throw forbidden('only the person who created the invite can withdraw it');
    if (doc.partnerB) {
      throw new AppError(409, 'invite_used', 'your partner is already in this exchange; there is no link to withdraw');
    }
    if (!doc.inviteToken) throw new AppError(404, 'invite_not_found', 'this exchange has no invite link');
    const updated = await this.Exchanges.findByIdAndUpdate(
      doc._id,
      { $set: { inviteRevokedAt: doc.inviteRevokedAt ?? new Date() } },
      { returnDocument: 'after' },
    ).lean<ExchangeDoc>();
    if (!updated) throw notFound('exchange');
    return this.present(updated, userId);
  }

  async listFor(userId: string): Promise<Exchange[]> {
    const docs = await this.Exchanges.find({ $or: [{ partnerA: userId }, { partnerB: userId }] })
      .sort({ date: -1, createdAt: -1 })
      .limit(200)
      .lean<ExchangeDoc[]>();
    return this.presentMany(docs, userId);
  }

  /** An exchange the user takes part in; anyone else gets "not found" so ids reveal nothing. */
  async getFor(userId: string, exchangeId: string): Promise<Exchange> {
    const doc = await this.findRaw(exchangeId);
    if (!doc || !isPartner(doc, userId)) throw notFound('exchange');
    return this.present(doc, userId);
  }

  async access(userId: string, exchangeId: string): Promise<ExchangeAccess> {
    const parties = await this.parties(exchangeId);
    if (!parties) return 'not-found';
    return parties.partnerA === userId || parties.partnerB === userId ? 'allowed' : 'forbidden';
  }

  /**
   * Partners and date of an exchange, for its debrief's access, projection and notifications:
   * from SettledParties once both partners are in, else from the exchange itself.
   */
  async parties(exchangeId: string): Promise<ExchangeParties | null> {
    if (!isExchangeId(exchangeId)) return null;
    const settled = await this.settledParties.get(exchangeId);
    if (settled) return settled;
    const doc = await this.findRaw(exchangeId);
    if (!doc) return null;
    const parties = {
      exchangeDate: doc.date,
      partnerA: doc.partnerA.toHexString(),
      partnerB: doc.partnerB?.toHexString() ?? null,
    };
    // not awaited: the caller has its answer; a row that failed to store is read from the exchange
    // again after a restart
    void this.settledParties.settle(exchangeId, parties).catch(() => undefined);
    return parties;
  }

  /** Every settled exchange's parties, for SettledParties.fill (one pass over the exchanges). */
  async *allSettledParties(): AsyncIterable<ExchangeParties & { _id: string; partnerB: string }> {
    const settled = this.Exchanges.find({ partnerB: { $ne: null } }, { partnerA: 1, partnerB: 1, date: 1 })
      .lean<ExchangeDoc[]>()
      .cursor();
    for await (const doc of settled) {
      if (!doc.partnerB) continue;
      yield {
        _id: doc._id.toHexString(),
        exchangeDate: doc.date,
        partnerA: doc.partnerA.toHexString(),
        partnerB: doc.partnerB.toHexString(),
      };
    }
  }

  /** Earlier exchanges between the same two partners, newest first (for carried-forward items). */
  async earlierBetween(userId: string, exchangeId: string): Promise<string[]> {
    const doc = await this.findRaw(exchangeId);
    if (!doc || !isPartner(doc, userId) || !doc.partnerB) return [];
    const pair = [doc.partnerA, doc.partnerB];
    const earlier = await this.Exchanges.find({
      partnerA: { $in: pair },
      partnerB: { $in: pair },
      _id: { $ne: doc._id },
      $or: [{ date: { $lt: doc.date } }, { date: doc.date, createdAt: { $lt: doc.createdAt } }],
    })
      .sort({ date: -1, createdAt: -1 })
      .limit(20)
      .lean<ExchangeDoc[]>();
    return earlier.map((e) => e._id.toHexString());
  }

  private findRaw(exchangeId: string): Promise<ExchangeDoc | null> {
    if (!isExchangeId(exchangeId)) return Promise.resolve(null);
    return this.byId.read(exchangeId);
  }

  private async present(doc: ExchangeDoc, viewerId: string): Promise<Exchange> {
    return (await this.presentMany([doc], viewerId))[0]!;
  }

  private async presentMany(docs: ExchangeDoc[], viewerId: string): Promise<Exchange[]> {
    const ids = new Set<string>();
    for (const d of docs) {
      ids.add(d.partnerA.toHexString());
      if (d.partnerB) ids.add(d.partnerB.toHexString());
    }
    const users = await this.auth.publicUsers([...ids]);
    return docs.map((d) => {
      const a = users.get(d.partnerA.toHexString());
      if (!a) throw new AppError(500, 'internal', 'exchange partner is missing');
      // an expired link is still shown (with its date) so the creator sees why it stopped working
      const showInvite = d.partnerA.toHexString() === viewerId && !!d.inviteToken && !d.inviteRevokedAt;
      return {
        id: d._id.toHexString(),
        date: d.date,
        roundMinutes: d.roundMinutes,
        partnerA: a,
        partnerB: d.partnerB ? (users.get(d.partnerB.toHexString()) ?? null) : null,
        inviteToken: showInvite ? d.inviteToken! : null,
        inviteExpiresAt: showInvite ? inviteExpiry(d).toISOString() : null,
        startsAt: d.startsAt?.toISOString() ?? null,
        requestId: d.requestId?.toHexString() ?? null,
        cancelledAt: d.cancelledAt?.toISOString() ?? null,
        cancelReason: d.cancelReason ?? null,
        createdAt: d.createdAt.toISOString(),
      };
    });
  }
}

function inviteExpiry(doc: ExchangeDoc): Date {
  return doc.inviteExpiresAt ?? new Date(doc.createdAt.getTime() + INVITE_TTL_MS);
}

function isPartner(doc: ExchangeDoc, userId: string): boolean {
  return doc.partnerA.toHexString() === userId || doc.partnerB?.toHexString() === userId;
}

function isExchangeId(id: string): boolean {
  return isValidObjectId(id) && /^[a-f0-9]{24}$/.test(id);
}
