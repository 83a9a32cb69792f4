import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { MODALITIES } from '@kneadback/shared/vocabulary';
import { runOnce } from '../../db/migrations.ts';

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true },
    displayName: { type: String, required: true },
    modalities: { type: [String], enum: MODALITIES, default: [] },
    city: { type: String, default: '' },
    /** Set when the account was deleted: the document stays, anonymised, so partners' debriefs keep a name. */
    deletedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

/**
 * Keyed by the HMAC of the cookie token (a leaked sessions collection opens no accounts), so the
 * lookup every request and socket makes is a read by `_id`: FerretDB v1 scans the whole
 * collection for any other filter.
 */
const sessionSchema = new Schema({
  _id: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, required: true, index: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
});

export type UserRecord = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };
export type SessionRecord = InferSchemaType<typeof sessionSchema>;

export interface AuthModels {
  User: Model<InferSchemaType<typeof userSchema>>;
  Session: Model<InferSchemaType<typeof sessionSchema>>;
}

export function authModels(connection: mongoose.Connection): AuthModels {
  return {
    User: connection.model('User', userSchema),
    Session: connection.model('Session', sessionSchema),
  };
}

/**
 * Sessions written before they were keyed by token hash (an ObjectId `_id` and a `tokenHash`
 * field) are rewritten once, so nobody is signed out by the upgrade. A marker read by `_id` makes
 * later starts skip the scan.
 */
export async function keySessionsByTokenHash(connection: mongoose.Connection): Promise<number> {
  const done = await runOnce(connection, 'sessions-keyed-by-token-hash', async () => {
    const sessions = connection.collection('sessions');
    const legacy = await sessions.find({ tokenHash: { $exists: true } }).toArray();
    for (const old of legacy) {
      const { _id: oldId, tokenHash, ...rest } = old;
      await sessions.updateOne({ _id: tokenHash as never }, { $setOnInsert: rest }, { upsert: true });
      await sessions.deleteOne({ _id: oldId });
    }
    return { moved: legacy.length };
  });
  return done?.moved ?? 0;
}
