import { createHmac, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type mongoose from 'mongoose';
import type { CurrentUser, LoginBody, ProfileUpdateBody, PublicUser, SignupBody } from '@kneadback/shared/schemas/user';
import type { Modality } from '@kneadback/shared/vocabulary';
import { AppError } from '../../http/errors.ts';
import type { RateLimits } from '../../http/rate-limit.ts';
import type { AuthModels } from './model.ts';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
// algorithm 2 is Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax)
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

interface UserDoc {
  _id: mongoose.Types.ObjectId;
  email: string;
  displayName: string;
  modalities: string[];
  city?: string | null;
}

export function toPublicUser(u: UserDoc): PublicUser {
  return {
    id: u._id.toHexString(),
    displayName: u.displayName,
    modalities: u.modalities as Modality[],
    city: u.city ?? '',
  };
}
function toCurrentUser(u: UserDoc): CurrentUser {
  return { ...toPublicUser(u), email: u.email };
}

const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'email or password is incorrect');

/** Told the session key of a session that signed out, so its live connections can be closed. */
export type SignOutListener = (sessionKey: string) => void;

export class AuthService {
  /** Verifying against a real hash for unknown emails keeps response times alike. */
  private readonly dummyHash: Promise<string>;
  private readonly signOutListeners = new Set<SignOutListener>();

  constructor(
    private readonly models: AuthModels,
    private readonly secret: string,
    private readonly limits: RateLimits,
  ) {
    this.dummyHash = hash(randomBytes(16).toString('hex'), ARGON2);
  }

  async signup(body: SignupBody, address: string): Promise<{ user: CurrentUser; token: string }> {
    await this.limits.take([['signupsPerAddress', address]], 'too many new accounts from this network');
    if (await this.models.User.exists({ email: body.email })) {
      throw new AppError(409, 'email_taken', 'an account with this email already exists', 'email');
    }
    const passwordHash = await hash(body.password, ARGON2);
    let created;
    try {
      created = await this.models.User.create({ email: body.email, passwordHash, displayName: body.displayName });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) {
        throw new AppError(409, 'email_taken', 'an account with this email already exists', 'email');
      }
      throw err;
    }
    const token = await this.createSession(created._id);
    return { user: toCurrentUser(created), token };
  }

  async login(body: LoginBody, address: string): Promise<{ user: CurrentUser; token: string }> {
    await this.limits.refuseWhenFull(
      [
        ['loginFailuresPerAccount', body.email],
        ['loginFailuresPerAddress', address],
      ],
      'too_many_attempts',
      'too many sign-in attempts',
    );
    const user = await this.models.User.findOne({ email: body.email }).lean();
    const ok = await verify(user?.passwordHash ?? (await this.dummyHash), body.password);
    if (!user || !ok) {
      await this.limits.record('loginFailuresPerAccount', body.email);
      await this.limits.record('loginFailuresPerAddress', address);
      throw invalidCredentials();
    }
    await this.limits.reset('loginFailuresPerAccount', body.email);
    const token = await this.createSession(user._id);
    return { user: toCurrentUser(user), token };
  }

  /** Deletes the session, then tells every listener its key (live connections close). */
  async logout(token: string | undefined): Promise<void> {
    const sessionKey = this.sessionKeyForToken(token);
    if (!sessionKey) return;
    await this.models.Session.deleteOne({ _id: sessionKey });
    for (const listener of this.signOutListeners) {
      try {
        listener(sessionKey);
      } catch {
        // one listener's failure must not keep the others' connections open
      }
    }
  }

  /**
   * A stable key for the session behind a cookie token (its stored hash, never the token), or
   * null for no token. Connections remember it at their handshake and compare it with what
   * onSignOut reports.
   */
  sessionKeyForToken(token: string | undefined): string | null {
    if (!token || token.length > 200) return null;
    return this.tokenHash(token);
  }

  /** Calls `listener` with the session key of every session that signs out; returns an unsubscribe. */
  onSignOut(listener: SignOutListener): () => void {
    this.signOutListeners.add(listener);
    return () => this.signOutListeners.delete(listener);
  }

  /** The user behind a session cookie token, or null when the token is unknown or expired. */
  async userForToken(token: string | undefined): Promise<CurrentUser | null> {
    return (await this.sessionForToken(token))?.user ?? null;
  }

  /** The user and the session key (what onSignOut reports) behind a cookie token, or null. */
  async sessionForToken(token: string | undefined): Promise<{ user: CurrentUser; sessionKey: string } | null> {
    const sessionKey = this.sessionKeyForToken(token);
    if (!sessionKey) return null;
    const session = await this.models.Session.findById(sessionKey).lean();
    if (!session || session.expiresAt.getTime() < Date.now()) return null;
    const user = await this.models.User.findById(session.userId).lean();
    return user ? { user: toCurrentUser(user), sessionKey } : null;
  }

  async updateProfile(userId: string, body: ProfileUpdateBody): Promise<CurrentUser> {
    const user = await this.models.User.findByIdAndUpdate(userId, { $set: body }, { returnDocument: 'after' }).lean();
    if (!user) throw new AppError(404, 'not_found', 'user not found');
    return toCurrentUser(user);
  }

  async findByEmail(email: string): Promise<PublicUser | null> {
    const user = await this.models.User.findOne({ email }).lean();
    return user ? toPublicUser(user) : null;
  }

  async publicUsers(ids: string[]): Promise<Map<string, PublicUser>> {
    // one read by _id each: FerretDB v1 scans the whole collection for an $in
    const users = await Promise.all(ids.map((id) => this.models.User.findById(id).lean()));
    return new Map(users.flatMap((u) => (u ? [[u._id.toHexString(), toPublicUser(u)] as const] : [])));
  }

  private async createSession(userId: mongoose.Types.ObjectId): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.models.Session.create({
      _id: this.tokenHash(token),
      userId,
      createdAt: new Date(now),
      expiresAt: new Date(now + SESSION_TTL_MS),
    });
    return token;
  }

  private tokenHash(token: string): string {
    return createHmac('sha256', this.secret).update(token).digest('hex');
  }
}
