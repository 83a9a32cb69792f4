import { Schema, type Connection, type InferSchemaType, type Model } from 'mongoose';

const exchangeSchema = new Schema(
  {
    /** Created the exchange and gives round 1. */
    partnerA: { type: Schema.Types.ObjectId, required: true, index: true },
    /** Gives round 2; null until the invitee joins through the link (an accepted request sets both at once). */
    partnerB: { type: Schema.Types.ObjectId, default: null, index: true },
    inviteToken: { type: String, default: null, index: true },
    /** Unset on exchanges created before links expired: they count from createdAt. */
    inviteExpiresAt: { type: Date, default: null },
    /** Set when the creator withdraws the link; the token stays so a late click gets "withdrawn". */
    inviteRevokedAt: { type: Date, default: null },
    date: { type: String, required: true },
    roundMinutes: { type: Number, required: true },
    /** Exchanges booked through an accepted request have a time and remember the request. */
    startsAt: { type: Date, default: null },
    requestId: { type: Schema.Types.ObjectId, default: null },
    cancelledAt: { type: Date, default: null },
    cancelReason: { type: String, default: null },
  },
  { timestamps: true },
);

export type ExchangeModel = Model<InferSchemaType<typeof exchangeSchema>>;

export function exchangeModel(connection: Connection): ExchangeModel {
  return connection.model('Exchange', exchangeSchema);
}

/** Who took an invite: one document per exchange, keyed by its id, so only one joiner can win. */
const inviteClaimSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
  },
  { collection: 'invite_claims', versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);

export function inviteClaimModel(connection: Connection) {
  return connection.model('InviteClaim', inviteClaimSchema);
}
export type InviteClaimModel = ReturnType<typeof inviteClaimModel>;
