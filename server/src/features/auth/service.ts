import { createHmac, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type mongoose from 'mongoose';
import type { CurrentUser, LoginBody, ProfileUpdateBody, PublicUser, SignupBody } from '@kneadback/shared/schemas/user';
import type { Modality } from '@kneadback/shared/vocabulary';
import { AppError } from '../../http/errors.ts';
import type { AuthModels } from './model.ts';
import { FailureLimiter } from './rate-limit.ts';

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

export class AuthService {
  private readonly perAccount = new FailureLimiter(5, 15 * 60_000);
  private readonly perAddress = new FailureLimiter(30, 15 * 60_000);
  /** Verifying against a real hash for unknown emails keeps response times alike. */
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly models: AuthModels,
    private readonly secret: string,
  ) {
    this.dummyHash = hash(randomBytes(16).toString('hex'), ARGON2);
  }

  async signup(body: SignupBody): Promise<{ user: CurrentUser; token: string }> {
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
    const wait = Math.max(this.perAccount.retryAfterMs(body.email), this.perAddress.retryAfterMs(address));
    if (wait > 0) {
      throw new AppError(
        429,
        'too_many_attempts',
        `too many sign-in attempts; try again in ${Math.ceil(wait / 60_000)} minute(s)`,
      );
    }
    const user = await this.models.User.findOne({ email: body.email }).lean();
    const ok = await verify(user?.passwordHash ?? (await this.dummyHash), body.password);
    if (!user || !ok) {
      this.perAccount.recordFailure(body.email);
      this.perAddress.recordFailure(address);
      throw invalidCredentials();
    }
    this.perAccount.reset(body.email);
    const token = await this.createSession(user._id);
    return { user: toCurrentUser(user), token };
  }

  async logout(token: string | undefined): Promise<void> {
    if (token) await this.models.Session.deleteOne({ tokenHash: this.tokenHash(token) });
  }

  /** The user behind a session cookie token, or null when the token is unknown or expired. */
  async userForToken(token: string | undefined): Promise<CurrentUser | null> {
    if (!token || token.length > 200) return null;
    const session = await this.models.Session.findOne({ tokenHash: this.tokenHash(token) }).lean();
    if (!session || session.expiresAt.getTime() < Date.now()) return null;
    const user = await this.models.User.findById(session.userId).lean();
    return user ? toCurrentUser(user) : null;
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
    const users = await this.models.User.find({ _id: { $in: ids } }).lean();
    return new Map(users.map((u) => [u._id.toHexString(), toPublicUser(u)]));
  }

  private async createSession(userId: mongoose.Types.ObjectId): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.models.Session.create({
      tokenHash: this.tokenHash(token),
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
