// Accounts API through the real server and a real FerretDB (issue #2's list of bad inputs).
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD_RULE } from '@kneadback/shared/schemas/user';
import { VISIBLE_TEXT_RULE } from '@kneadback/shared/schemas/visible-text';
import { signUpUser, TestClient } from '../../../../tests/helpers/http-client.ts';
import { startTestServer, type TestServer } from '../../../../tests/helpers/test-server.ts';
import { RateLimits } from '../../http/rate-limit.ts';
import { AuthService, MAX_SESSIONS_PER_USER } from './service.ts';
import { authModels, keySessionsByTokenHash, moveSessionsIntoBuckets, type SessionRecord } from './model.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.stop();
});

let counter = 0;
const uniqueEmail = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}@example.test`;
const GOOD_PASSWORD = 'correct-horse-42';

const countUsers = () => server.connection.collection('users').countDocuments();
const sessionBuckets = () => authModels(server.connection).sessions.all();
const countSessions = async () => {
  let count = 0;
  for (const bucket of sessionBuckets()) count += await bucket.countDocuments();
  return count;
};
async function sessionOf(userId: string): Promise<SessionRecord> {
  for (const bucket of sessionBuckets()) {
    const found = await bucket.findOne({ userId: new mongoose.Types.ObjectId(userId) });
    if (found) return found;
  }
  throw new Error(`no session for ${userId}`);
}

function expectNoSecrets(text: string, password?: string) {
  expect(text).not.toMatch(/passwordHash/i);
  expect(text).not.toMatch(/\$argon2/);
  if (password) expect(text).not.toContain(password);
}

describe('health', () => {
  it('GET /healthz answers 200 with the database connected', async () => {
    const res = await new TestClient(server.url).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'connected' });
  });
});

describe('signup', () => {
  it('creates the account, sets an HttpOnly SameSite=Lax session cookie, and /me returns the user', async () => {
    const api = new TestClient(server.url);
    const email = uniqueEmail('ana');
    const res = await api.post('/api/auth/signup', { email, password: GOOD_PASSWORD, displayName: 'Ana' });

    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email, displayName: 'Ana', modalities: [], city: '' });
    expect(res.body.user.id).toMatch(/^[0-9a-f]{24}$/);
    expectNoSecrets(res.text, GOOD_PASSWORD);

    const setCookie = res.headers.getSetCookie();
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(/^kb_session=[^;]+;/);
    expect(setCookie[0]).toMatch(/;\s*HttpOnly/i);
    expect(setCookie[0]).toMatch(/;\s*SameSite=Lax/i);
    expect(setCookie[0]).toMatch(/;\s*Path=\//i);

    const me = await api.get('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toEqual(res.body.user);
    expectNoSecrets(me.text, GOOD_PASSWORD);
  });

  it('normalises the email (trimmed, lower case)', async () => {
    const email = uniqueEmail('mixed');
    const res = await new TestClient(server.url).post('/api/auth/signup', {
      email: `  ${email.toUpperCase()} `,
      password: GOOD_PASSWORD,
      displayName: 'Mixed',
    });
    expect(res.status).toBe(201);
    expect(res.body.user.email).toBe(email);
  });

  it('refuses an email that already has an account with 409, whatever its case', async () => {
    const { email } = await signUpUser(server, 'First');
    const before = await countUsers();

    for (const variant of [email, email.toUpperCase()]) {
      const res = await new TestClient(server.url).post('/api/auth/signup', {
        email: variant,
        password: GOOD_PASSWORD,
        displayName: 'Second',
      });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'email_taken', field: 'email' });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    expect(await countUsers()).toBe(before);
  });

  it.each([
    ['too short', 'short1'],
    ['no digit', 'only-letters-here'],
    ['no letter', '1234567890123'],
  ])('refuses a weak password (%s) with 400 stating the rule', async (_label, password) => {
    const before = await countUsers();
    const res = await new TestClient(server.url).post('/api/auth/signup', {
      email: uniqueEmail('weak'),
      password,
      displayName: 'Weak',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('password');
    expect(res.body.error.message).toContain(PASSWORD_RULE);
    expectNoSecrets(res.text, password);
    expect(await countUsers()).toBe(before);
  });

  it.each(['not-an-email', 'a@', '@example.test', 'two@@example.test', ''])(
    'refuses the malformed email %j with 400',
    async (email) => {
      const res = await new TestClient(server.url).post('/api/auth/signup', {
        email,
        password: GOOD_PASSWORD,
        displayName: 'Malformed',
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_input', field: 'email' });
    },
  );

  it('refuses unknown fields (no mass assignment of passwordHash)', async () => {
    const before = await countUsers();
    const res = await new TestClient(server.url).post('/api/auth/signup', {
      email: uniqueEmail('mass'),
      password: GOOD_PASSWORD,
      displayName: 'Mass',
      passwordHash: 'x',
    });
    expect(res.status).toBe(400);
    expect(await countUsers()).toBe(before);
  });
});

describe('malformed requests', () => {
  it('answers a body over 64kb with 413 JSON', async () => {
    const res = await new TestClient(server.url).post('/api/auth/signup', {
      email: uniqueEmail('big'),
      password: GOOD_PASSWORD,
      displayName: 'x'.repeat(70 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body.error.code).toBe('too_large');
  });

  it('answers broken JSON with 400 JSON', async () => {
    const res = await new TestClient(server.url).post('/api/auth/login', undefined, {
      rawBody: '{"email": "a@b.test", ',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.body.error.code).toBe('invalid_json');
  });

  // A form on another site can send these without a preflight; reading them as JSON signed the
  // victim's browser in to the attacker's account (login CSRF).
  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses a valid JSON body sent as %s with 415, setting no cookie',
    async (contentType) => {
      const { email, password } = await signUpUser(server, 'Csrf Target');
      const res = await new TestClient(server.url).post('/api/auth/login', undefined, {
        rawBody: JSON.stringify({ email, password }),
        headers: { 'Content-Type': contentType },
      });
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
      expect(res.body.error.message).toMatch(/JSON/);
      expect(res.headers.getSetCookie()).toEqual([]);
    },
  );

  it('accepts application/json with a charset, and a POST with no body at all', async () => {
    const { email, password } = await signUpUser(server, 'Charset');
    const api = new TestClient(server.url);
    const login = await api.post('/api/auth/login', undefined, {
      rawBody: JSON.stringify({ email, password }),
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(login.status).toBe(200);
    expect((await api.post('/api/auth/logout')).status).toBe(204);
  });

  it.each(['/api/auth/login', '/api/auth/signup'])(
    'refuses an operator object as email on %s with 400 and stores nothing',
    async (path) => {
      await signUpUser(server, 'Target'); // so that {$gt: ""} would match someone
      const [users, sessions] = [await countUsers(), await countSessions()];

      const res = await new TestClient(server.url).post(path, {
        email: { $gt: '' },
        password: 'x',
        ...(path.endsWith('signup') ? { displayName: 'Injector' } : {}),
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_input', field: 'email' });
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await countUsers()).toBe(users);
      expect(await countSessions()).toBe(sessions);
    },
  );
});

describe('login', () => {
  it('signs in with the right password and never shows secrets', async () => {
    const { email, password, user } = await signUpUser(server, 'Login Ok');
    const api = new TestClient(server.url);
    const res = await api.post('/api/auth/login', { email, password });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual(user);
    expect(res.headers.getSetCookie()[0]).toMatch(/^kb_session=.+HttpOnly/i);
    expectNoSecrets(res.text, password);
    expect((await api.get('/api/auth/me')).body.user).toEqual(user);
  });

  it('gives the same status and body for a wrong password and for an unknown email', async () => {
    const { email } = await signUpUser(server, 'Known');
    const wrongPassword = await new TestClient(server.url).post('/api/auth/login', {
      email,
      password: 'wrong-password-1',
    });
    const unknownEmail = await new TestClient(server.url).post('/api/auth/login', {
      email: uniqueEmail('nobody'),
      password: 'wrong-password-1',
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.text).toBe(wrongPassword.text);
    expect(wrongPassword.body.error.code).toBe('invalid_credentials');
    expect(wrongPassword.headers.getSetCookie()).toEqual([]);
  });

  it('rate-limits an account after 5 failures with 429 saying when to retry', async () => {
    const { email, password } = await signUpUser(server, 'Limited');
    const api = new TestClient(server.url);
    for (let i = 0; i < 5; i++) {
      const res = await api.post('/api/auth/login', { email, password: `wrong-password-${i}` });
      expect(res.status).toBe(401);
    }
    const limited = await api.post('/api/auth/login', { email, password: 'wrong-password-5' });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('too_many_attempts');
    expect(limited.body.error.message).toMatch(/try again in \d+ minute/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);

    // even the right password waits: the limit is on the account, not on the guess
    const right = await api.post('/api/auth/login', { email, password });
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie()).toEqual([]);
  });
});

// A name is shown to partners and strangers beside what they wrote: characters that reorder or
// hide text would let "\u202Enimda" read as "admin", or two names look the same.
describe('display names', () => {
  const hidden = ['\u202Eana\u0000', 'Ana\u202E', '\u2066Ben\u2069', 'Ben\u200B', 'Cleo\nDan', 'Dan\u200F'];

  it('refuses a name with control characters or invisible formatting, on sign-up and on change', async () => {
    const user = await signUpUser(server, 'Plain');
    for (const displayName of hidden) {
      const changed = await user.client.patch('/api/auth/me', { displayName });
      expect(changed.status, JSON.stringify(displayName)).toBe(400);
      expect(changed.body.error).toMatchObject({ code: 'invalid_input', field: 'displayName' });
      expect(changed.body.error.message).toBe(`displayName: ${VISIBLE_TEXT_RULE}`);

      const email = uniqueEmail('hidden');
      const signedUp = await new TestClient(server.url).post('/api/auth/signup', {
        email,
        password: GOOD_PASSWORD,
        displayName,
      });
      expect(signedUp.status, JSON.stringify(displayName)).toBe(400);
      expect(signedUp.body.error.field).toBe('displayName');
    }
    expect((await user.client.get('/api/auth/me')).body.user.displayName).toBe('Plain');
  });

  it('stores a name in one Unicode form, however it was typed, and keeps emoji joiners', async () => {
    const user = await signUpUser(server, 'Zoe');
    const decomposed = await user.client.patch('/api/auth/me', { displayName: ' Zoe\u0301 ' });
    expect(decomposed.status).toBe(200);
    expect(decomposed.body.user.displayName).toBe('Zo\u00e9');
    const family = '\u{1F469}\u200D\u{1F467} Zo\u00e9';
    expect((await user.client.patch('/api/auth/me', { displayName: family })).body.user.displayName).toBe(family);
  });
});

describe('logout', () => {
  it('invalidates the session on the server, not only the cookie', async () => {
    const { client, cookieHeader } = await signUpUser(server, 'Leaving');
    expect((await client.get('/api/auth/me')).status).toBe(200);

    const res = await client.post('/api/auth/logout');
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie()[0]).toMatch(/^kb_session=;.*Max-Age=0/i);
    expect((await client.get('/api/auth/me')).status).toBe(401);

    // replaying the old cookie (as a copy of it would) no longer works
    const replay = await new TestClient(server.url).get('/api/auth/me', { headers: { Cookie: cookieHeader } });
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('not_signed_in');
  });

  it('answers /me without a session with 401', async () => {
    const res = await new TestClient(server.url).get('/api/auth/me');
    expect(res.status).toBe(401);
  });
});

describe('sessions per account', () => {
  /** A new device signing in to the account; its cookie-keeping client. */
  async function signIn(user: { email: string; password: string }): Promise<TestClient> {
    const device = new TestClient(server.url);
    expect((await device.post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(200);
    return device;
  }
  const signedIn = async (device: TestClient) => (await device.get('/api/auth/me')).status === 200;

  it(`keeps the newest ${MAX_SESSIONS_PER_USER}: one more sign-in ends the oldest`, async () => {
    const user = await signUpUser(server, 'Many Devices'); // the first session
    const devices: TestClient[] = [];
    for (let i = 1; i < MAX_SESSIONS_PER_USER; i++) devices.push(await signIn(user));
    expect(await signedIn(user.client)).toBe(true);

    devices.push(await signIn(user));
    expect(await signedIn(user.client)).toBe(false);
    expect(await Promise.all(devices.map(signedIn))).toEqual(devices.map(() => true));
  });

  it(`keeps at most ${MAX_SESSIONS_PER_USER} when sign-ins arrive at the same moment`, async () => {
    const user = await signUpUser(server, 'Many At Once');
    const devices: TestClient[] = [user.client];
    for (let batch = 0; batch < 4; batch++)
      devices.push(...(await Promise.all(Array.from({ length: 10 }, () => signIn(user)))));
    const live = (await Promise.all(devices.map(signedIn))).filter(Boolean).length;
    expect(live).toBe(MAX_SESSIONS_PER_USER);
  });

  it('does not count a session signed out: the oldest live one stays', async () => {
    const user = await signUpUser(server, 'Shared Computer');
    // one short of the cap, so each sign-in below makes it full, not more
    for (let i = 2; i < MAX_SESSIONS_PER_USER; i++) await signIn(user);
    // the clinic's computer: signed in and out again, more than once
    for (let i = 0; i < 3; i++) expect((await (await signIn(user)).post('/api/auth/logout')).status).toBe(204);
    expect(await signedIn(user.client)).toBe(true);
  });
});

describe('sessions from earlier versions', () => {
  it('keep working after the upgrade re-keys them by token hash and moves them into their buckets', async () => {
    const user = await signUpUser(server, 'Legacy');
    const { sessions } = authModels(server.connection);
    const legacy = server.connection.collection('sessions');
    // rewrite the session the way older versions stored it: in one collection, with an ObjectId
    // _id and a tokenHash field
    const { _id: hash, ...rest } = await sessionOf(user.user.id);
    await sessions.of(hash).deleteOne({ _id: hash });
    await legacy.insertOne({ ...rest, tokenHash: hash });
    await server.connection.collection('migrations').deleteMany({});
    expect((await user.client.get('/api/auth/me')).status).toBe(401);

    expect(await keySessionsByTokenHash(server.connection)).toBeGreaterThanOrEqual(1);
    expect(await moveSessionsIntoBuckets(server.connection)).toBeGreaterThanOrEqual(1);
    expect((await user.client.get('/api/auth/me')).status).toBe(200);
    expect(await sessions.of(hash).findOne({ _id: hash })).toMatchObject({ userId: rest.userId });
    expect((await server.connection.db!.listCollections({ name: 'sessions' }).toArray()).length).toBe(0);
  });

  it('are deleted by the sweep once expired, and what is connected with them closes; live ones stay', async () => {
    const expired = await signUpUser(server, 'Expired');
    const live = await signUpUser(server, 'Live');
    const { sessions } = authModels(server.connection);
    const { _id: key } = await sessionOf(expired.user.id);
    await sessions.of(key).updateOne({ _id: key }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await expired.client.get('/api/auth/me')).status).toBe(401);

    const auth = new AuthService(authModels(server.connection), 'sweep-test-secret'.repeat(2), new RateLimits(false));
    // live debriefs and app sockets close on what onSignOut reports, as on a sign-out
    const signedOut: string[] = [];
    auth.onSignOut((sessionKey) => signedOut.push(sessionKey));
    expect(await auth.sweepExpiredSessions()).toBeGreaterThanOrEqual(1);
    expect(await sessions.of(key).findOne({ _id: key })).toBeNull();
    expect(signedOut).toContain(key);
    expect(signedOut).not.toContain((await sessionOf(live.user.id))._id);
    expect((await live.client.get('/api/auth/me')).status).toBe(200);
  });
});
