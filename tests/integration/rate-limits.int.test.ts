// Rate limits on sign-up, creating exchanges and notes, comments on notes, named and restored versions,
// recording referrals, blocking and notification
// writes: 429 with Retry-After (an error acknowledgement on Socket.IO), per user and per address,
// the address read from X-Forwarded-For only as far as TRUST_PROXY's hop count allows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@kneadback/shared/events';
import { RATE_LIMITS } from '../../server/src/http/rate-limit.ts';
import { createExchange } from '../helpers/debrief-fixtures.ts';
import { bookExchange, daysFromNow, requestBody } from '../helpers/exchange-requests.ts';
import { breakVersionRules } from '../helpers/notes.ts';
import { REDIS_URL } from '../helpers/redis.ts';
import { signUpUser, TestClient, type SignedUpUser, type TestResponse } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

type EventsSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: TestServer; // one trusted proxy in front: X-Forwarded-For names the caller
const sockets: EventsSocket[] = [];
let nextAddress = 1;
/** A fresh documentation address (RFC 5737) per use, so tests do not share per-address counts. */
const freshAddress = () => `198.51.100.${nextAddress++}`;

beforeAll(async () => {
  // signUpUser() sends no X-Forwarded-For, so its sign-ups all count against 127.0.0.1's limit
  // (RATE_LIMITS.signupsPerAddress): keep them under it, or use signUp() with an address
  server = await startTestServer({ RATE_LIMITS: 'on', TRUST_PROXY: '1' });
});

afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await server?.stop();
});

const from = (address: string) => ({ headers: { 'X-Forwarded-For': address } });

let signups = 0;
function signUp(client: TestClient, address: string) {
  const email = `limit-${++signups}-${Date.now().toString(36)}@example.test`;
  return client.post('/api/auth/signup', { email, password: 'limit-password-1', displayName: 'Lim' }, from(address));
}

function expectRefused(res: { status: number; body: { error: { code: string; message: string } }; headers: Headers }) {
  expect(res.status).toBe(429);
  expect(res.body.error.code).toBe('rate_limited');
  expect(res.body.error.message).toMatch(/; try again in \d+ (seconds?|minutes?)$/);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
}

/**
 * Spends an address's allowance with as few users as the per-user limit lets through, then checks
 * that one more is refused there and not elsewhere.
 */
async function expectLimitPerAddress(
  perUser: number,
  perAddress: number,
  create: (user: SignedUpUser, address: string) => Promise<TestResponse>,
  name: string,
): Promise<void> {
  const address = freshAddress();
  // each signed up from an address of its own: 127.0.0.1's sign-ups are counted too
  const users = await Promise.all(
    Array.from({ length: Math.ceil(perAddress / perUser) + 1 }, (_, i) =>
      signUpUser(server, `${name} ${i}`, from(freshAddress())),
    ),
  );
  let created = 0;
  for (const user of users) {
    while (created < perAddress) {
      expect((await create(user, address)).status).toBe(201);
      if (++created % perUser === 0) break;
    }
  }
  const fresh = users.at(-1)!;
  expectRefused(await create(fresh, address));
  expect((await create(fresh, freshAddress())).status).toBe(201);
}

describe('sign-up', () => {
  it(`allows ${RATE_LIMITS.signupsPerAddress.max} new accounts an hour per address, then 429 with Retry-After`, async () => {
    const address = freshAddress();
    const client = server.client();
    for (let i = 0; i < RATE_LIMITS.signupsPerAddress.max; i++)
      expect((await signUp(client, address)).status).toBe(201);

    const refused = await signUp(client, address);
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/^too many new accounts from this network; try again in 60 minutes$/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(refused.headers.getSetCookie()).toEqual([]);

    // someone elsewhere is not held up
    expect((await signUp(server.client(), freshAddress())).status).toBe(201);
  });
});

describe('sign-in', () => {
  it(`allows ${RATE_LIMITS.signInsPerAddress.max} sign-ins per address in 15 minutes, whatever their outcome, then 429`, async () => {
    const address = freshAddress();
    const [known, other] = await Promise.all([
      signUpUser(server, 'Known', from(freshAddress())),
      signUpUser(server, 'Other', from(freshAddress())),
    ]);
    const signIn = (password: string, at = address, who = known) =>
      server.client().post('/api/auth/login', { email: who.email, password }, from(at));
    // wrong passwords for another account count too, under its own failure limit
    for (let i = 0; i < 3; i++) expect((await signIn('wrong-password-1', address, other)).status).toBe(401);
    for (let i = 3; i < RATE_LIMITS.signInsPerAddress.max; i++) expect((await signIn(known.password)).status).toBe(200);

    const refused = await signIn(known.password);
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/^too many sign-ins from this network; try again in 15 minutes$/);
    expect(refused.headers.getSetCookie()).toEqual([]);
    expect((await signIn(known.password, freshAddress())).status).toBe(200);
  });
});

describe('creating exchanges', () => {
  const create = (user: SignedUpUser, address: string) =>
    user.client.post('/api/exchanges', { date: '2026-12-20' }, from(address));

  it('limits each user, wherever they send from', async () => {
    const [busy, other] = [await signUpUser(server, 'Busy'), await signUpUser(server, 'Other')];
    for (let i = 0; i < RATE_LIMITS.exchangesPerUser.max; i++) {
      expect((await create(busy, freshAddress())).status).toBe(201);
    }
    const refused = await create(busy, freshAddress());
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/^too many new exchanges; try again in/);
    expect((await create(other, freshAddress())).status).toBe(201);
  });

  it('limits each address, whoever sends from it', () =>
    expectLimitPerAddress(RATE_LIMITS.exchangesPerUser.max, RATE_LIMITS.exchangesPerAddress.max, create, 'Shared'));
});

describe('exchange requests', () => {
  it("keeps counting refusals that say the recipient is busy, so nobody maps a therapist's calendar for free", async () => {
    const [cleo, dan, eve] = await Promise.all(
      ['Cleo', 'Dan', 'Eve'].map((name) => signUpUser(server, name, from(freshAddress()))),
    );
    const startsAt = daysFromNow(5);
    await bookExchange(cleo!, dan!, { startsAt });
    const ask = () => eve!.client.post('/api/exchange-requests', requestBody(dan!, { startsAt }), from(freshAddress()));
    for (let i = 0; i < RATE_LIMITS.exchangeRequestsPerUser.max; i++) {
      expect((await ask()).body.error.code).toBe('double_booking');
    }
    expectRefused(await ask());
  });
});

describe('creating notes', () => {
  const create = (user: SignedUpUser, address: string) =>
    user.client.post('/api/notes', { kind: 'technique', title: 'Forearm glide' }, from(address));
  const ownNotes = async (user: SignedUpUser) => (await user.client.get('/api/notes?scope=mine')).body.total as number;

  it('limits each user, wherever they write from, and makes no note when it refuses', async () => {
    // signed up from addresses of their own: 127.0.0.1's sign-ups are counted too
    const [busy, other] = [
      await signUpUser(server, 'Busy writer', from(freshAddress())),
      await signUpUser(server, 'Other writer', from(freshAddress())),
    ];
    for (let i = 0; i < RATE_LIMITS.notesPerUser.max; i++) {
      expect((await create(busy, freshAddress())).status).toBe(201);
    }
    const refused = await create(busy, freshAddress());
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/^too many new notes; try again in \d+ minutes$/);
    expect(await ownNotes(busy)).toBe(RATE_LIMITS.notesPerUser.max);
    expect((await create(other, freshAddress())).status).toBe(201);
  });

  it('limits each address, whoever writes from it', () =>
    expectLimitPerAddress(RATE_LIMITS.notesPerUser.max, RATE_LIMITS.notesPerAddress.max, create, 'Writer'));
});

describe('commenting on notes and naming versions', () => {
  const publishedNote = async (owner: SignedUpUser) => {
    const id = (await owner.client.post('/api/notes', { kind: 'technique', title: 'Hot stones' })).body.note
      .id as string;
    expect((await owner.client.put(`/api/notes/${id}/community`, { published: true })).status).toBe(200);
    return id;
  };
  const comments = async (who: SignedUpUser, id: string) =>
    (await who.client.get(`/api/notes/${id}/comments`)).body.comments.length as number;

  it('limits the comments each user writes, across notes, and stores none when it refuses', async () => {
    const [owner, busy, other] = [
      await signUpUser(server, 'Stone owner', from(freshAddress())),
      await signUpUser(server, 'Busy commenter', from(freshAddress())),
      await signUpUser(server, 'Other commenter', from(freshAddress())),
    ];
    // two notes: one person may hold only part of one note's thread
    const notes = [await publishedNote(owner), await publishedNote(owner)];
    const max = RATE_LIMITS.noteCommentsPerUser.max;
    for (let i = 0; i < max; i++) {
      const res = await busy.client.post(`/api/notes/${notes[i % 2]}/comments`, { text: `question ${i}` });
      expect(res.status).toBe(201);
    }
    const refused = await busy.client.post(`/api/notes/${notes[0]}/comments`, { text: 'one more' });
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/^too many comments; try again in \d+ minutes$/);
    expect((await comments(owner, notes[0]!)) + (await comments(owner, notes[1]!))).toBe(max);
    expect((await other.client.post(`/api/notes/${notes[0]}/comments`, { text: 'Any tips?' })).status).toBe(201);
  });

  it('limits the versions each user names', async () => {
    const [busy, other] = [
      await signUpUser(server, 'Busy versioner', from(freshAddress())),
      await signUpUser(server, 'Other versioner', from(freshAddress())),
    ];
    const id = await publishedNote(busy);
    const name = (who: SignedUpUser, noteId: string, i: number) =>
      who.client.post(`/api/notes/${noteId}/versions`, { name: `draft ${i}` });
    for (let i = 0; i < RATE_LIMITS.namedVersionsPerUser.max; i++) expect((await name(busy, id, i)).status).toBe(201);
    const refused = await name(busy, id, 99);
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/^too many named versions; try again in \d+ minutes$/);
    const versions = (await busy.client.get(`/api/notes/${id}/versions`)).body.versions as unknown[];
    expect(versions).toHaveLength(RATE_LIMITS.namedVersionsPerUser.max);
    expect((await name(other, await publishedNote(other), 0)).status).toBe(201);
  });

  it('limits the versions each user restores, and changes nothing when it refuses', async () => {
    const [busy, other] = [
      await signUpUser(server, 'Busy restorer', from(freshAddress())),
      await signUpUser(server, 'Other restorer', from(freshAddress())),
    ];
    const namedVersion = async (who: SignedUpUser) => {
      const noteId = await publishedNote(who);
      const named = await who.client.post(`/api/notes/${noteId}/versions`, { name: 'before the course' });
      return { noteId, versionId: named.body.version.id as string };
    };
    const restore = (who: SignedUpUser, { noteId, versionId }: { noteId: string; versionId: string }) =>
      who.client.post(`/api/notes/${noteId}/versions/${versionId}/restore`);
    const versions = async (who: SignedUpUser, noteId: string) =>
      ((await who.client.get(`/api/notes/${noteId}/versions`)).body.versions as unknown[]).length;

    const mine = await namedVersion(busy);
    for (let i = 0; i < RATE_LIMITS.noteRestoresPerUser.max; i++) expect((await restore(busy, mine)).status).toBe(204);
    // each restore kept the note before it as an automatic version
    const kept = await versions(busy, mine.noteId);
    expect(kept).toBe(1 + RATE_LIMITS.noteRestoresPerUser.max);
    const refused = await restore(busy, mine);
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/^too many restored versions; try again in \d+ minutes$/);
    expect(await versions(busy, mine.noteId)).toBe(kept);
    expect((await restore(other, await namedVersion(other))).status).toBe(204);
  });

  it('gives the place back when a restore is refused, so refusals do not lock anyone out', async () => {
    const careful = await signUpUser(server, 'Careful restorer', from(freshAddress()));
    const noteId = await publishedNote(careful);
    const name = async () =>
      (await careful.client.post(`/api/notes/${noteId}/versions`, { name: 'a version' })).body.version.id as string;
    const broken = await name();
    await breakVersionRules(server.connection, noteId, broken);
    for (let i = 0; i <= RATE_LIMITS.noteRestoresPerUser.max; i++) {
      const refused = await careful.client.post(`/api/notes/${noteId}/versions/${broken}/restore`);
      expect(refused.body.error.code).toBe('version_breaks_rules');
    }
    expect((await careful.client.post(`/api/notes/${noteId}/versions/${await name()}/restore`)).status).toBe(204);
  });
});

describe('recording referrals', () => {
  it('limits each user, whichever partner they refer to', async () => {
    const [ana, ben, cai] = await Promise.all(
      ['Ana', 'Ben', 'Cai'].map((name) => signUpUser(server, name, from(freshAddress()))),
    );
    // referrals follow an exchange that took place
    await createExchange({ a: ana!, b: ben! }, '2026-01-10');
    await createExchange({ a: ana!, b: cai! }, '2026-01-10');
    const refer = (by: SignedUpUser, to: SignedUpUser) =>
      by.client.post(`/api/partners/${to.user.id}/referrals`, { forWhat: 'lower back pain', date: '2026-01-12' });
    for (let i = 0; i < RATE_LIMITS.referralsPerUser.max; i++) {
      expect((await refer(ana!, i % 2 ? ben! : cai!)).status).toBe(201);
    }
    const refused = await refer(ana!, ben!);
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/^too many referrals recorded; try again in \d+ minutes$/);
    expect((await ben!.client.get(`/api/partners/${ana!.user.id}/referrals`)).body.referrals).toHaveLength(
      RATE_LIMITS.referralsPerUser.max / 2,
    );
    expect((await refer(ben!, ana!)).status).toBe(201);
  });

  it('does not count referrals it refuses without recording anything (404, 409)', async () => {
    const [ana, ben, eve] = await Promise.all(
      ['Ana', 'Ben', 'Eve'].map((name) => signUpUser(server, name, from(freshAddress()))),
    );
    await createExchange({ a: ana!, b: ben! }, '2026-01-10');
    const refer = (to: string) =>
      ana!.client.post(`/api/partners/${to}/referrals`, { forWhat: 'lower back pain', date: '2026-01-12' });
    // no exchange with Eve yet (409), and a partner id that is no id (404): mistakes, not floods
    for (let i = 0; i < 25; i++) expect((await refer(i % 2 ? eve!.user.id : 'nope')).status).toBe(i % 2 ? 409 : 404);
    // before: the 21st request of the hour was refused, whatever the first 20 had been
    for (let i = 0; i < RATE_LIMITS.referralsPerUser.max; i++) expect((await refer(ben!.user.id)).status).toBe(201);
    expectRefused(await refer(ben!.user.id));
  });

  it('holds the limit when many referrals arrive at once, counted in Redis as several processes count', async () => {
    // before: each request read the count, then added to it, so all of them saw room for one more
    const shared = await startTestServer({ RATE_LIMITS: 'on', REDIS_URL });
    try {
      const [ana, ben] = [await signUpUser(shared, 'Ana'), await signUpUser(shared, 'Ben')];
      await createExchange({ a: ana, b: ben }, '2026-01-10');
      const max = RATE_LIMITS.referralsPerUser.max;
      const answers = await Promise.all(
        Array.from({ length: max + 10 }, () =>
          ana.client.post(`/api/partners/${ben.user.id}/referrals`, { forWhat: 'neck pain', date: '2026-01-12' }),
        ),
      );
      const statuses = answers.map((res) => res.status).sort();
      expect(statuses).toEqual([...Array(max).fill(201), ...Array(10).fill(429)]);
      expect((await ben.client.get(`/api/partners/${ana.user.id}/referrals`)).body.referrals).toHaveLength(max);
    } finally {
      await shared.stop();
    }
  });
});

describe('blocks', () => {
  it('limits how often each user blocks and unblocks, and changes nothing when it refuses', async () => {
    const [ana, ben, cai] = await Promise.all(
      ['Ana', 'Ben', 'Cai'].map((name) => signUpUser(server, name, from(freshAddress()))),
    );
    const max = RATE_LIMITS.blockChangesPerUser.max;
    for (let i = 0; i < max / 2; i++) {
      expect((await ana!.client.post('/api/blocks', { userId: ben!.user.id })).status).toBe(204);
      expect((await ana!.client.delete(`/api/blocks/${ben!.user.id}`)).status).toBe(204);
    }
    const refused = await ana!.client.post('/api/blocks', { userId: cai!.user.id });
    expectRefused(refused);
    expect(refused.body.error.message).toMatch(/^too many blocks and unblocks; try again in \d+ minutes$/);
    expect((await ana!.client.get('/api/blocks')).body.blocked).toEqual([]);
    expect((await ben!.client.post('/api/blocks', { userId: ana!.user.id })).status).toBe(204);
  });
});

describe('notification writes', () => {
  function connect(user: SignedUpUser, address: string): Promise<EventsSocket> {
    const socket: EventsSocket = io(server.url, {
      transports: ['websocket'],
      extraHeaders: { cookie: user.cookieHeader, 'x-forwarded-for': address },
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  }
  const markRead = (socket: EventsSocket) =>
    socket.timeout(5_000).emitWithAck('notifications:mark-read', { all: true });

  it('answers the mark-read event past the per-user limit with a rate_limited acknowledgement', async () => {
    const user = await signUpUser(server, 'Reader');
    const socket = await connect(user, freshAddress());
    for (let i = 0; i < RATE_LIMITS.notificationWritesPerUser.max; i++) {
      expect(await markRead(socket)).toEqual({ ok: true, data: { unreadCount: 0 } });
    }
    const refused = await markRead(socket);
    expect(refused).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    expect(refused.ok === false && refused.error.message).toMatch(
      /^too many changes to your notifications; try again in/,
    );
    expect(socket.connected).toBe(true);

    // the HTTP route writes the same thing and shares the count
    const http = await user.client.post('/api/notifications/read', { all: true }, from(freshAddress()));
    expectRefused(http);
  });

  it('limits each address across users', async () => {
    const address = freshAddress();
    const perUser = RATE_LIMITS.notificationWritesPerUser.max;
    const count = RATE_LIMITS.notificationWritesPerAddress.max / perUser;
    const users = await Promise.all(Array.from({ length: count + 1 }, (_, i) => signUpUser(server, `Reader ${i}`)));
    const socketsAtAddress = await Promise.all(users.map((u) => connect(u, address)));
    await Promise.all(
      socketsAtAddress.slice(0, count).map(async (socket) => {
        for (let i = 0; i < perUser; i++) expect((await markRead(socket)).ok).toBe(true);
      }),
    );
    expect(await markRead(socketsAtAddress.at(-1)!)).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    // the same person from elsewhere is fine
    expect((await markRead(await connect(users.at(-1)!, freshAddress()))).ok).toBe(true);
  });
});

describe('TRUST_PROXY', () => {
  it('believes no X-Forwarded-For at 0 hops: a caller cannot name a new address to escape a limit', async () => {
    const direct = await startTestServer({ RATE_LIMITS: 'on', TRUST_PROXY: '0' });
    try {
      const client = direct.client();
      for (let i = 0; i < RATE_LIMITS.signupsPerAddress.max; i++) {
        expect((await signUp(client, freshAddress())).status).toBe(201);
      }
      expectRefused(await signUp(client, freshAddress()));
    } finally {
      await direct.stop();
    }
  });

  it('with 1 hop, takes the address the proxy appended, not what the caller wrote before it', async () => {
    const address = freshAddress();
    const client = server.client();
    for (let i = 0; i < RATE_LIMITS.signupsPerAddress.max; i++) {
      // the caller's own claim comes first; our proxy appends the real address last
      expect((await signUp(client, `${freshAddress()}, ${address}`)).status).toBe(201);
    }
    expectRefused(await signUp(client, `${freshAddress()}, ${address}`));
  });
});
