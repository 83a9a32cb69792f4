import mongoose, { Schema, type Collection, type InferSchemaType, type Model } from 'mongoose';
import { MODALITIES } from '@kneadback/shared/vocabulary';
import { HashBuckets } from '../../db/hash-buckets.ts';
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
 * A sign-in, keyed by the HMAC of the cookie token (a leaked sessions collection opens no
 * accounts), so the lookup every request and socket makes is a read by `_id`. Sessions pile up
 * with every sign-in for as long as the database lives, so they are kept in hash buckets
 * (`sessions_00` … `sessions_ff`, see HashBuckets): on FerretDB v1 a read by `_id` passes over
 * its whole collection, and a cookie naming no session passes over all of it.
 */
export interface SessionRecord {
  _id: string;
  userId: mongoose.Types.ObjectId;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * The keys of one user's sessions, oldest first, under the user's id: a sign-in ends the oldest
 * beyond the cap without searching the buckets (on FerretDB v1 anything but a read by `_id` scans
 * a collection, and a user's sessions are spread over all 256). Sessions from before it existed
 * are not listed; they expire within 30 days.
 */
export interface SessionListRecord {
  _id: string;
  keys: string[];
}

/** Where sessions lived before the buckets; moved into them once. */
const LEGACY_SESSIONS = 'sessions';

export type UserRecord = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };

export interface AuthModels {
  User: Model<InferSchemaType<typeof userSchema>>;
  sessions: HashBuckets<SessionRecord>;
  sessionLists: Collection<SessionListRecord>;
}

export function authModels(connection: mongoose.Connection): AuthModels {
  return {
    User: connection.model('User', userSchema),
    sessions: new HashBuckets<SessionRecord>(connection, LEGACY_SESSIONS),
    sessionLists: connection.collection<SessionListRecord>('session_lists'),
  };
}

/**
 * Sessions written before they were keyed by token hash (an ObjectId `_id` and a `tokenHash`
 * field) are rewritten once, so nobody is signed out by the upgrade. A marker read by `_id` makes
 * later starts skip the scan.
 */
export async function keySessionsByTokenHash(connection: mongoose.Connection): Promise<number> {
  const done = await runOnce(connection, 'sessions-keyed-by-token-hash', async () => {
    const sessions = connection.collection(LEGACY_SESSIONS);
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

/**
 * Sessions kept in the one collection of earlier versions move into their buckets once (after
 * they are keyed by token hash), so nobody is signed out by the upgrade.
 */
export async function moveSessionsIntoBuckets(connection: mongoose.Connection): Promise<number> {
  const buckets = new HashBuckets<SessionRecord>(connection, LEGACY_SESSIONS);
  return (await buckets.moveFrom(LEGACY_SESSIONS))?.moved ?? 0;
}
