import mongoose, { Schema, type InferSchemaType, type Model } from 'mongoose';
import { MODALITIES } from '@kneadback/shared/vocabulary';

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true },
    displayName: { type: String, required: true },
    modalities: { type: [String], enum: MODALITIES, default: [] },
    city: { type: String, default: '' },
  },
  { timestamps: true },
);

const sessionSchema = new Schema({
  /** HMAC of the cookie token: a leaked sessions collection opens no accounts. */
  tokenHash: { type: String, required: true, unique: true },
  userId: { type: Schema.Types.ObjectId, required: true, index: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
});

export type UserRecord = InferSchemaType<typeof userSchema> & { _id: mongoose.Types.ObjectId };
export type SessionRecord = InferSchemaType<typeof sessionSchema> & { _id: mongoose.Types.ObjectId };

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
