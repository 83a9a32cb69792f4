import { Types } from 'mongoose';
import { OBJECT_ID_PATTERN } from '@kneadback/shared/schemas/common';
import {
  createEndorsementBodySchema,
  createReferralBodySchema,
  type CreateEndorsementBody,
  type CreateReferralBody,
  type Endorsement,
  type Referral,
} from '@kneadback/shared/schemas/partnership';
import type { CurrentUser } from '@kneadback/shared/schemas/user';
import { MODALITIES } from '@kneadback/shared/vocabulary';
import { dropIfExists } from '../../db/migrations.ts';
import { AppError, notFound } from '../../http/errors.ts';
import type { RateLimits } from '../../http/rate-limit.ts';
import type { AuthService } from '../auth/service.ts';
import type { ExchangeCalendar } from '../exchanges/calendar.ts';
import { bookingsWith, heldAt, partnerBookings } from './held.ts';
import type { PartnershipStores, ReferralDoc } from './model.ts';

/**
 * Referrals and endorsements: what partners say for each other once they have exchanged. A referral is kept in
 * both partners' collections, an endorsement in the endorsed person's.
 */
export class VouchingService {
  constructor(
    private readonly stores: Pick<PartnershipStores, 'referrals' | 'endorsements'>,
    private readonly calendar: ExchangeCalendar,
    private readonly auth: AuthService,
    /** Blocking, either way round: the blocker looks to the blocked like someone who does not exist. */
    private readonly mayContact: (fromUserId: string, toUserId: string) => Promise<boolean>,
    /** The profile's own rule (ProfileService): 404 unless the viewer may see the profile. */
    private readonly requireProfileVisible: (viewer: CurrentUser, userId: string) => Promise<void>,
    private readonly limits: RateLimits,
    /** Everyone a block keeps apart from the user, either way round (kept in memory, see DiscoveryIndex). */
    private readonly keptApart: (userId: string) => ReadonlySet<string>,
  ) {}

  async referrals(userId: string, partnerId: string): Promise<Referral[]> {
    await partnerBookings(this.calendar, userId, partnerId);
    const partner = new Types.ObjectId(partnerId);
    const docs = await this.stores.referrals
      .of(userId)
      .find({ $or: [{ fromId: partner }, { toId: partner }] })
      .sort({ createdAt: -1 })
      .limit(500)
      .toArray();
    return docs.map((d) => presentReferral(d, userId));
  }

  /** The user sent one of their clients to the partner. Both see it. */
  async refer(userId: string, partnerId: string, input: CreateReferralBody): Promise<Referral> {
    const body = createReferralBodySchema.parse(input);
    if (body.date > new Date().toISOString().slice(0, 10)) {
      throw new AppError(400, 'future_date', 'a referral is recorded once it happened: pick today or earlier', 'date');
    }
    return this.limits.spend([['referralsPerUser', userId]], 'too many referrals recorded', () =>
      this.record(userId, partnerId, body),
    );
  }

  private async record(userId: string, partnerId: string, body: CreateReferralBody): Promise<Referral> {
    await this.requireCompletedExchange(userId, partnerId, 'record a referral');
    const doc: ReferralDoc = {
      _id: new Types.ObjectId(),
      fromId: new Types.ObjectId(userId),
      toId: new Types.ObjectId(partnerId),
      forWhat: body.forWhat,
      date: body.date,
      createdAt: new Date(),
    };
    for (const owner of [userId, partnerId]) {
      await this.stores.referrals.ensureIndexes(owner);
      await this.stores.referrals.of(owner).insertOne(doc);
    }
    return presentReferral(doc, userId);
  }

  async endorse(userId: string, partnerId: string, input: CreateEndorsementBody): Promise<Endorsement> {
    const body = createEndorsementBodySchema.parse(input);
    await this.requireCompletedExchange(userId, partnerId, 'endorse them');
    const doc = {
      _id: `${userId}:${body.modality}`,
      byId: new Types.ObjectId(userId),
      modality: body.modality,
      note: body.note,
      createdAt: new Date(),
    };
    await this.stores.endorsements.of(partnerId).replaceOne({ _id: doc._id }, doc, { upsert: true });
    const me = (await this.auth.publicUsers([userId])).get(userId);
    return {
      modality: doc.modality,
      note: doc.note,
      by: { id: userId, displayName: me?.displayName ?? '' },
      createdAt: doc.createdAt.toISOString(),
    };
  }

  /** Withdraws the user's own endorsement of a skill (doing it twice is fine). */
  async withdrawEndorsement(userId: string, partnerId: string, modality: string): Promise<void> {
    if (!OBJECT_ID_PATTERN.test(partnerId)) throw notFound('therapist');
    await this.stores.endorsements.of(partnerId).deleteOne({ _id: `${userId}:${modality}` });
  }

  /**
   * A therapist's endorsements with who vouched, to whoever may see their profile, and refused exactly as the
   * profile is. While a block stands between the therapist and an endorser, either way round, that endorsement is
   * hidden from everyone: the person who blocked cut the tie, and only its writer could withdraw it. It shows again
   * after an unblock. Nor does a viewer see endorsements by someone a block keeps apart from them.
   */
  async endorsementsOf(viewer: CurrentUser, userId: string): Promise<Endorsement[]> {
    await this.requireProfileVisible(viewer, userId);
    const hidden = new Set([...this.keptApart(userId), ...this.keptApart(viewer.id)]);
    const docs = (
      await this.stores.endorsements.of(userId).find({}).sort({ createdAt: -1 }).limit(500).toArray()
    ).filter((d) => !hidden.has(d.byId.toHexString()));
    const names = await this.auth.publicUsers([...new Set(docs.map((d) => d.byId.toHexString()))]);
    return docs.flatMap((d) => {
      const by = names.get(d.byId.toHexString());
      return by
        ? [
            {
              modality: d.modality,
              note: d.note,
              by: { id: by.id, displayName: by.displayName },
              createdAt: d.createdAt.toISOString(),
            },
          ]
        : [];
    });
  }

  /**
   * Account deletion: the endorsements the user wrote (kept on their partners' profiles, which only partners can
   * hold) and the ones they received go with them.
   */
  async forget(userId: string): Promise<void> {
    const partners = new Set((await this.calendar.entries(userId)).map((e) => e.partnerId.toHexString()));
    for (const partnerId of partners) {
      for (const modality of MODALITIES) {
        await this.stores.endorsements.of(partnerId).deleteOne({ _id: `${userId}:${modality}` });
      }
    }
    await dropIfExists(this.stores.endorsements.of(userId));
  }

  private async requireCompletedExchange(userId: string, partnerId: string, what: string): Promise<void> {
    if (partnerId === userId) throw new AppError(400, 'self', 'you cannot do this for yourself');
    if (!(await this.mayContact(userId, partnerId))) throw notFound('partner');
    const entries = await bookingsWith(this.calendar, userId, partnerId);
    if (!entries.some((e) => heldAt(e) <= Date.now())) {
      throw new AppError(
        409,
        'no_completed_exchange',
        `you can ${what} after your first exchange together has taken place`,
      );
    }
  }
}

function presentReferral(d: ReferralDoc, viewerId: string): Referral {
  return {
    id: d._id.toHexString(),
    direction: d.fromId.toHexString() === viewerId ? 'given' : 'received',
    forWhat: d.forWhat,
    date: d.date,
    createdAt: d.createdAt.toISOString(),
  };
}
