import type { Connection, Types } from 'mongoose';
import type { Modality } from '@kneadback/shared/vocabulary';
import { PerUserCollections } from '../../db/per-user-collections.ts';

/** A client referral, stored in both partners' collections (`referrals_<userId>`, same `_id`). */
export interface ReferralDoc {
  _id: Types.ObjectId;
  fromId: Types.ObjectId;
  toId: Types.ObjectId;
  forWhat: string;
  date: string;
  createdAt: Date;
}

/** An endorsement in the endorsed person's collection (`endorsements_<userId>`), one per endorser and skill. */
export interface EndorsementDoc {
  /** `<endorserId>:<modality>`: endorsing the same skill again replaces the note. */
  _id: string;
  byId: Types.ObjectId;
  modality: Modality;
  note: string;
  createdAt: Date;
}

/** Per-user rhythm settings, keyed by the user's id. */
export interface RhythmSettingsDoc {
  _id: string;
  reminderDays: number;
  /** When the last "time for a massage" reminder was sent: one per gap between exchanges. */
  remindedAt: Date | null;
}

export function partnershipStores(connection: Connection) {
  return {
    referrals: new PerUserCollections<ReferralDoc>(connection, 'referrals', [{ createdAt: -1 }]),
    endorsements: new PerUserCollections<EndorsementDoc>(connection, 'endorsements'),
    settings: connection.collection<RhythmSettingsDoc>('rhythm_settings'),
  };
}
export type PartnershipStores = ReturnType<typeof partnershipStores>;
