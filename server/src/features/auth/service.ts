import { createHmac, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type mongoose from 'mongoose';
import { DELETED_ACCOUNT_NAME } from '@kneadback/shared/schemas/account';
import { OBJECT_ID_PATTERN } from '@kneadback/shared/schemas/common';
import type { CurrentUser, LoginBody, ProfileUpdateBody, PublicUser, SignupBody } from '@kneadback/shared/schemas/user';
import type { Modality } from '@kneadback/shared/vocabulary';
import { isDuplicateKey } from '../../db/connection.ts';
import { AppError } from '../../http/errors.ts';
import { LocalPersonLock, type PersonLock } from '../../keyed-locks.ts';
import type { RateLimits } from '../../http/rate-limit.ts';
import { BatchedReads } from '../../db/batched-reads.ts';
import { ONE_PROCESS_FEED, type ChangeFeed } from '../../scale/change-feed.ts';
import type { AuthModels, UserRecord } from './model.ts';
import { UserCache } from './user-cache.ts';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;
/**
 * Sign-ins kept per account: a phone, a tablet, a laptop, the clinic's computer and a few browsers
 * are far fewer, while each sign-in stores a session for 30 days. Signing in beyond it ends the
 * oldest, as signing out there would.
 */
export const MAX_SESSIONS_PER_USER = 20;
/** The change feed's topic of people: their account or anything their profile shows changed. */
export const USERS_TOPIC = 'users';
// algorithm 2 is Argon2id (the package's const enum cannot be imported under verbatimModuleSyntax)
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

interface UserDoc {
  _id: mongoose.Types.ObjectId;
  email: string;
  displayName: string;
  modalities: string[];
  city?: string | null;
  deletedAt?: Date | null;
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
/** Told a user's public facts after they changed (name, modalities, city). */
export type UserChangedListener = (user: PublicUser) => void;

export class AuthService {
  /** Verifying against a real hash for unknown emails keeps response times alike. */
  private readonly dummyHash: Promise<string>;
  private readonly signOutListeners = new Set<SignOutListener>();
  private readonly userChangedListeners = new Set<UserChangedListener>();
  private readonly users = new UserCache();
  // every request and live connection reads its session (and its user, unless cached): batched
  private readonly usersById = new BatchedReads(
    (filter) => this.models.User.find(filter).lean<UserRecord[]>(),
    (user) => user._id.toHexString(),
  );

  constructor(
    private readonly models: AuthModels,
    private readonly secret: string,
    private readonly limits: RateLimits,
    private readonly changes: ChangeFeed = ONE_PROCESS_FEED,
    /**
     * Changes to a person's list of sessions, one at a time: FerretDB v1 applies `$push` and
     * `$pullAll` as a read and a separate write, so sign-ins at the same moment lost each other's
     * keys and those sessions escaped the cap (26 of 40 left signed in).
     */
    private readonly sessionLists: PersonLock = new LocalPersonLock(),
  ) {
    this.dummyHash = hash(randomBytes(16).toString('hex'), ARGON2);
    changes.follow(USERS_TOPIC, { reread: (id) => this.users.forget(id), reloadAll: () => this.users.clear() });
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
      if (isDuplicateKey(err)) {
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
    await this.limits.take([['signInsPerAddress', address]], 'too many sign-ins from this network');
    const found = await this.models.User.findOne({ email: body.email }).lean();
    // a deleted account keeps a placeholder email and no password hash: it is no account at all
    const user = found && !found.deletedAt ? found : null;
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
    const ended = await this.models.sessions.of(sessionKey).findOneAndDelete({ _id: sessionKey });
    this.signedOut(sessionKey);
    // out of the list, so it is not counted among the sessions a new sign-in keeps
    if (ended) {
      const userId = ended.userId.toHexString();
      await this.sessionLists.withPerson(userId, () =>
        this.models.sessionLists.updateOne({ _id: userId }, { $pullAll: { keys: [sessionKey] } }),
      );
    }
  }

  private signedOut(sessionKey: string): void {
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
    const session = await this.models.sessions.read(sessionKey);
    if (!session || session.expiresAt.getTime() < Date.now()) return null;
    const user = await this.userById(session.userId.toHexString());
    return user && !user.deletedAt ? { user: toCurrentUser(user), sessionKey } : null;
  }

  async updateProfile(userId: string, body: ProfileUpdateBody): Promise<CurrentUser> {
    const user = await this.models.User.findByIdAndUpdate(userId, { $set: body }, { returnDocument: 'after' }).lean();
    if (!user) throw new AppError(404, 'not_found', 'user not found');
    this.users.set(user);
    await this.changes.changed(USERS_TOPIC, userId);
    for (const listener of this.userChangedListeners) listener(toPublicUser(user));
    return toCurrentUser(user);
  }

  /** Calls `listener` after every profile change made through updateProfile; returns an unsubscribe. */
  onUserChanged(listener: UserChangedListener): () => void {
    this.userChangedListeners.add(listener);
    return () => this.userChangedListeners.delete(listener);
  }

  /** A user who has an account now (not deleted), or null; any string is safe to pass. */
  async activeUser(userId: string): Promise<PublicUser | null> {
    if (!OBJECT_ID_PATTERN.test(userId)) return null;
    const user = await this.userById(userId);
    return user && !user.deletedAt ? toPublicUser(user) : null;
  }

  /**
   * Every account that is not deleted: one pass, for indexes built at start-up. The pass also
   * fills the user cache: right after a restart every device reconnects at once and would read
   * its user, one read each (a cold join of 200 devices on a database of 2,000 users spent 1.6 s
   * in 16 batched user reads, one after another, on FerretDB v1.24.2 before the `_id` index patch
   * of scripts/install-ferretdb.mjs; as released it scans the collection for every read by id).
   */
  async allActiveUsers(): Promise<PublicUser[]> {
    const readSince = this.users.beforeRead();
    const users = await this.models.User.find({}).lean<UserRecord[]>();
    for (const user of users) this.users.setIfAbsent(user, readSince);
    return users.filter((u) => !u.deletedAt).map((u) => toPublicUser(u));
  }

  /** Checks the signed-in user's password again before something that cannot be undone. */
  async confirmPassword(userId: string, password: string): Promise<void> {
    const user = await this.models.User.findById(userId).lean();
    if (!user) throw new AppError(403, 'wrong_password', 'that password is not right', 'password');
    // one count with sign-in failures: a signed-in device must not be a way to guess the password without limit
    await this.limits.refuseWhenFull(
      [['loginFailuresPerAccount', user.email]],
      'too_many_attempts',
      'too many password attempts',
    );
    if (!(await verify(user.passwordHash, password))) {
      await this.limits.record('loginFailuresPerAccount', user.email);
      throw new AppError(403, 'wrong_password', 'that password is not right', 'password');
    }
    await this.limits.reset('loginFailuresPerAccount', user.email);
  }

  /**
   * Deletes an account: its email, password and profile facts are erased and every session is
   * signed out, but the document stays under its id with DELETED_ACCOUNT_NAME, so the partners'
   * exchanges and debriefs keep showing a name where this person's was. The email is free again.
   */
  async retire(userId: string): Promise<void> {
    const replaced = await this.models.User.findByIdAndUpdate(
      userId,
      {
        $set: {
          email: `deleted-${userId}@deleted.kneadback.invalid`,
          passwordHash: '!',
          displayName: DELETED_ACCOUNT_NAME,
          modalities: [],
          city: '',
          deletedAt: new Date(),
        },
      },
      { returnDocument: 'after' },
    ).lean();
    if (!replaced) throw new AppError(404, 'not_found', 'user not found');
    this.users.set(replaced);
    await this.changes.changed(USERS_TOPIC, userId);
    await this.models.sessionLists.deleteOne({ _id: userId });
    // a pass over every sessions bucket, once per deleted account (sessions older than the lists are in none)
    for (const bucket of this.models.sessions.all()) {
      for (const { _id } of await bucket.find({ userId: replaced._id }, { projection: { _id: 1 } }).toArray()) {
        await bucket.deleteOne({ _id });
        this.signedOut(_id);
      }
    }
  }

  /**
   * Deletes expired sessions, one bucket at a time (each holds 1/256 of them), so the sessions
   * kept stay those of the last 30 days however long the database lives, and closes what is
   * still connected with them (a debrief or app socket opened before they expired). Returns how
   * many went.
   */
  async sweepExpiredSessions(now = new Date()): Promise<number> {
    let deleted = 0;
    for (const bucket of this.models.sessions.all()) {
      const expired = { expiresAt: { $lt: now } };
      const keys = await bucket.find(expired, { projection: { _id: 1 } }).toArray();
      if (keys.length === 0) continue;
      deleted += (await bucket.deleteMany(expired)).deletedCount;
      for (const { _id } of keys) this.signedOut(_id);
    }
    return deleted;
  }

  async findByEmail(email: string): Promise<PublicUser | null> {
    const user = await this.models.User.findOne({ email }).lean();
    return user && !user.deletedAt ? toPublicUser(user) : null;
  }

  async publicUsers(ids: string[]): Promise<Map<string, PublicUser>> {
    // one read by _id each: FerretDB v1 scans the whole collection for an $in
    const users = await Promise.all(ids.map((id) => this.userById(id)));
    return new Map(users.flatMap((u) => (u ? [[u._id.toHexString(), toPublicUser(u)] as const] : [])));
  }

  /** A user by id, reused for a while (see UserCache): every signed-in request reads one. */
  private async userById(id: string): Promise<UserRecord | null> {
    const cached = this.users.get(id);
    if (cached) return cached;
    const readSince = this.users.beforeRead();
    const user = OBJECT_ID_PATTERN.test(id) ? await this.usersById.read(id) : null;
    if (user) this.users.set(user, readSince);
    return user;
  }

  private async createSession(userId: mongoose.Types.ObjectId): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const key = this.tokenHash(token);
    await this.models.sessions.of(key).insertOne({
      _id: key,
      userId,
      createdAt: new Date(now),
      expiresAt: new Date(now + SESSION_TTL_MS),
    });
    await this.endSessionsBeyondCap(userId.toHexString(), key);
    return token;
  }

  /** Lists a new session as the user's newest and ends the oldest beyond MAX_SESSIONS_PER_USER. */
  private async endSessionsBeyondCap(userId: string, newKey: string): Promise<void> {
    await this.sessionLists.withPerson(userId, async () => {
      const list = await this.models.sessionLists.findOneAndUpdate(
        { _id: userId },
        { $push: { keys: newKey } },
        { upsert: true, returnDocument: 'after' },
      );
      const oldest = list?.keys.slice(0, -MAX_SESSIONS_PER_USER) ?? [];
      if (oldest.length === 0) return;
      // ended before they leave the list: a crash in between leaves keys of ended sessions, which
      // the next sign-in past the cap ends again (harmlessly), never live sessions nobody counts
      for (const key of oldest) {
        await this.models.sessions.of(key).deleteOne({ _id: key });
        this.signedOut(key);
      }
      await this.models.sessionLists.updateOne({ _id: userId }, { $pullAll: { keys: oldest } });
    });
  }

  private tokenHash(token: string): string {
    return createHmac('sha256', this.secret).update(token).digest('hex');
  }
}
