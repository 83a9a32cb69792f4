// What partners build over time: the fairness ledger, the rhythm (home view and reminder), referrals and
// endorsements; each readable only by the two partners (endorsements: by whoever may see the profile).
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchange } from '../helpers/debrief-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { bookExchange, daysFromNow, moveIntoPast } from '../helpers/exchange-requests.ts';
import { signUpUser, type SignedUpUser } from '../helpers/http-client.ts';
import { saveProfile } from '../helpers/profile-fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

const DAY_MS = 24 * 3600 * 1000;
const isoDay = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY_MS).toISOString().slice(0, 10);

async function users<N extends string[]>(...names: N): Promise<{ [K in keyof N]: SignedUpUser }> {
  return (await Promise.all(names.map((n) => signUpUser(server, n)))) as { [K in keyof N]: SignedUpUser };
}

describe('the fairness ledger', () => {
  it('counts the minutes each gave and received in exchanges that took place, per partner', async () => {
    const [ana, ben, eve] = await users('Ana', 'Ben', 'Eve');
    await createExchange({ a: ana, b: ben }, isoDay(20)); // two 60-minute rounds
    // Ana gives Ben a 45-minute sports round and receives nothing back
    const oneWay = await bookExchange(ana, ben, { proposerGives: ['sports'], recipientGives: [], roundMinutes: 45 });
    await moveIntoPast(server.connection, oneWay, 3);
    await bookExchange(ana, ben, { startsAt: daysFromNow(9) }); // not held yet: not counted

    const anaLedger = await ana.client.get(`/api/partners/${ben.user.id}/ledger`);
    expect(anaLedger.status).toBe(200);
    expect(anaLedger.body.ledger).toMatchObject({
      partner: { id: ben.user.id, displayName: 'Ben' },
      exchanges: 2,
      givenMinutes: 105,
      receivedMinutes: 60,
    });
    const benLedger = await ben.client.get(`/api/partners/${ana.user.id}/ledger`);
    expect(benLedger.body.ledger).toMatchObject({ givenMinutes: 60, receivedMinutes: 105 });

    // nobody else's: a stranger, an unknown id and a malformed one are all 404
    for (const [who, path] of [
      [eve, `/api/partners/${ana.user.id}/ledger`],
      [ana, `/api/partners/${eve.user.id}/ledger`],
      [ana, '/api/partners/ffffffffffffffffffffffff/ledger'],
      [ana, '/api/partners/nope/ledger'],
    ] as const) {
      const res = await who.client.get(path);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('105');
    }
    expect((await server.client().get(`/api/partners/${ben.user.id}/ledger`)).status).toBe(401);
  });
});

describe('the rhythm', () => {
  it('reminds someone who never had an exchange, once however often the home view opens', async () => {
    const [newcomer] = await users('Newcomer');
    for (let i = 0; i < 2; i++) {
      const res = await newcomer.client.get('/api/rhythm');
      expect(res.body.rhythm).toMatchObject({
        next: null,
        last: null,
        daysSinceReceived: null,
        reminderDays: 7,
        due: true,
      });
    }
    await eventually(async () => {
      const list = await newcomer.client.get('/api/notifications');
      expect(list.body.notifications.map((n: { kind: string }) => n.kind)).toEqual(['rhythm-reminder']);
    });
  });

  it('shows the next exchange, the last one and days since a massage; reminds when past the chosen days', async () => {
    const [ana, ben] = await users('Ana', 'Ben');
    const held = await createExchange({ a: ana, b: ben }, isoDay(3));
    const next = await bookExchange(ben, ana, { startsAt: daysFromNow(2) });
    const rhythm = (await ana.client.get('/api/rhythm')).body.rhythm;
    expect(rhythm).toMatchObject({ daysSinceReceived: 3, due: false, next: { id: next }, last: { id: held } });
    expect(rhythm.ledgers).toEqual([expect.objectContaining({ partner: { id: ben.user.id, displayName: 'Ben' } })]);

    const bad = await ana.client.put('/api/rhythm/settings', { reminderDays: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('reminderDays');
    const set = await ana.client.put('/api/rhythm/settings', { reminderDays: 2 });
    expect(set.body).toEqual({ settings: { reminderDays: 2 } });
    for (let i = 0; i < 2; i++) {
      expect((await ana.client.get('/api/rhythm')).body.rhythm).toMatchObject({ reminderDays: 2, due: true });
    }
    await eventually(async () => {
      const list = await ana.client.get('/api/notifications');
      const reminders = list.body.notifications.filter((n: { kind: string }) => n.kind === 'rhythm-reminder');
      expect(reminders).toHaveLength(1);
      expect(reminders[0].text).toContain('3 days ago');
    });
    // Ben's settings are his own
    expect((await ben.client.get('/api/rhythm')).body.rhythm.reminderDays).toBe(7);
  });
});

describe('background reminders', () => {
  it('reminds someone past their days without them opening the app, once per gap', async () => {
    const sweeping = await startTestServer({}, { rhythmSweepMs: 200 });
    try {
      const signUp = (name: string) => signUpUser(sweeping, name);
      const [ana, ben, cleo] = await Promise.all([signUp('Ana'), signUp('Ben'), signUp('Cleo')]);
      const reminders = async (who: SignedUpUser) =>
        (await who.client.get('/api/notifications')).body.notifications.filter(
          (n: { kind: string }) => n.kind === 'rhythm-reminder',
        );
      await createExchange({ a: ben, b: ana }, isoDay(9));
      await eventually(async () => {
        const got = await reminders(ana);
        expect(got).toHaveLength(1);
        expect(got[0].text).toContain('9 days ago');
      });
      // Ben gave round 1 and received round 2: past 7 days as well
      await eventually(async () => expect(await reminders(ben)).toHaveLength(1));
      // a later sweep (it reaches Cleo's new gap) does not remind Ana again
      await createExchange({ a: cleo, b: ben }, isoDay(8));
      await eventually(async () => expect(await reminders(cleo)).toHaveLength(1));
      expect(await reminders(ana)).toHaveLength(1);
    } finally {
      await sweeping.stop();
    }
  });
});

describe('referrals and endorsements', () => {
  let ana: SignedUpUser;
  let ben: SignedUpUser;
  let eve: SignedUpUser;

  beforeAll(async () => {
    [ana, ben, eve] = await users('Ana', 'Ben', 'Eve');
  });

  it('are refused before a first exchange has taken place (409), even with one booked', async () => {
    await bookExchange(ana, eve, { startsAt: daysFromNow(4) });
    const endorse = await ana.client.post(`/api/partners/${eve.user.id}/endorsements`, { modality: 'thai' });
    expect(endorse.status).toBe(409);
    expect(endorse.body.error).toMatchObject({ code: 'no_completed_exchange' });
    expect(endorse.body.error.message).toMatch(/after your first exchange together/);
    const refer = await ana.client.post(`/api/partners/${eve.user.id}/referrals`, {
      forWhat: 'sports injury',
      date: isoDay(0),
    });
    expect(refer.status).toBe(409);
    const stranger = await ana.client.post(`/api/partners/${ben.user.id}/endorsements`, { modality: 'thai' });
    expect(stranger.status).toBe(409);
  });

  it('lists an endorsement on the endorsed person’s profile with who vouched', async () => {
    await createExchange({ a: ana, b: ben }, isoDay(5));
    const res = await ben.client.post(`/api/partners/${ana.user.id}/endorsements`, {
      modality: 'deep-tissue',
      note: 'I refer clients with sports injuries to her',
    });
    expect(res.status).toBe(201);
    const seenByEve = await eve.client.get(`/api/users/${ana.user.id}/endorsements`);
    expect(seenByEve.status).toBe(200);
    expect(seenByEve.body.endorsements).toEqual([
      {
        modality: 'deep-tissue',
        note: 'I refer clients with sports injuries to her',
        by: { id: ben.user.id, displayName: 'Ben' },
        createdAt: expect.any(String),
      },
    ]);
    // endorsing the same skill again replaces it; withdrawing removes it
    await ben.client.post(`/api/partners/${ana.user.id}/endorsements`, { modality: 'deep-tissue', note: 'precise' });
    expect((await ana.client.get(`/api/users/${ana.user.id}/endorsements`)).body.endorsements).toHaveLength(1);
    expect((await ben.client.delete(`/api/partners/${ana.user.id}/endorsements/deep-tissue`)).status).toBe(204);
    expect((await ana.client.get(`/api/users/${ana.user.id}/endorsements`)).body.endorsements).toEqual([]);
    // nobody withdraws someone else's
    await ben.client.post(`/api/partners/${ana.user.id}/endorsements`, { modality: 'sports' });
    await eve.client.delete(`/api/partners/${ana.user.id}/endorsements/sports`);
    expect((await ana.client.get(`/api/users/${ana.user.id}/endorsements`)).body.endorsements).toHaveLength(1);
    expect((await server.client().get(`/api/users/${ana.user.id}/endorsements`)).status).toBe(401);
    expect((await eve.client.get('/api/users/nope/endorsements')).status).toBe(404);
  });

  it.each([
    ['an unknown modality', { modality: 'reiki-ish' }, 'modality'],
    ['a note too long', { modality: 'thai', note: 'x'.repeat(201) }, 'note'],
    // the note is public on the profile: it must not identify a client any more than a referral may
    ['a note with a client’s phone number', { modality: 'thai', note: 'helped Jo, call 555 123 4567' }, 'note'],
    ['a note with a client’s email', { modality: 'thai', note: 'ask jo.doe@example.com how it went' }, 'note'],
    ['a note naming a client', { modality: 'thai', note: 'Mrs. Smith loved her work' }, 'note'],
  ])('refuses an endorsement with %s (400 naming the field)', async (_what, body, field) => {
    const res = await ben.client.post(`/api/partners/${ana.user.id}/endorsements`, body);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  it('keeps a block both ways: the blocked can neither read the blocker’s endorsements nor vouch for them', async () => {
    const [gus, hana, ivy] = await users('Gus', 'Hana', 'Ivy');
    await createExchange({ a: gus, b: hana }, isoDay(5));
    await createExchange({ a: ivy, b: hana }, isoDay(5));
    expect((await ivy.client.post(`/api/partners/${hana.user.id}/endorsements`, { modality: 'thai' })).status).toBe(
      201,
    );
    expect((await hana.client.post('/api/blocks', { userId: gus.user.id })).status).toBeLessThan(300);

    const unknown = await gus.client.get(`/api/users/${new Types.ObjectId().toHexString()}/endorsements`);
    const blocker = await gus.client.get(`/api/users/${hana.user.id}/endorsements`);
    expect(unknown.status).toBe(404);
    expect(blocker.status).toBe(404);
    expect(blocker.body).toEqual(unknown.body);
    expect((await gus.client.post(`/api/partners/${hana.user.id}/endorsements`, { modality: 'thai' })).status).toBe(
      404,
    );
    const referral = await gus.client.post(`/api/partners/${hana.user.id}/referrals`, {
      forWhat: 'sports injury',
      date: isoDay(0),
    });
    expect(referral.status).toBe(404);
    expect((await ivy.client.get(`/api/users/${hana.user.id}/endorsements`)).body.endorsements).toHaveLength(1);
  });

  it('hides an endorsement from everyone while a block stands between its writer and the endorsed; an unblock restores it', async () => {
    const [ola, pat, rae, quin] = await users('Ola', 'Pat', 'Rae', 'Quin');
    await saveProfile(ola); // open to exchanges: Quin, no partner of hers, sees her profile and its endorsements
    await createExchange({ a: ola, b: pat }, isoDay(5));
    await createExchange({ a: ola, b: rae }, isoDay(5));
    for (const [by, note] of [
      [pat, 'steady pressure'],
      [rae, 'lovely flow'],
    ] as const) {
      const res = await by.client.post(`/api/partners/${ola.user.id}/endorsements`, { modality: 'thai', note });
      expect(res.status).toBe(201);
    }
    const seen = async (viewer: SignedUpUser) => {
      const res = await viewer.client.get(`/api/users/${ola.user.id}/endorsements`);
      expect(res.status).toBe(200);
      return (res.body.endorsements as { note: string }[]).map((e) => e.note).sort();
    };
    const block = async (blocker: SignedUpUser, blocked: SignedUpUser, on: boolean) => {
      const res = on
        ? await blocker.client.post('/api/blocks', { userId: blocked.user.id })
        : await blocker.client.delete(`/api/blocks/${blocked.user.id}`);
      expect(res.status).toBe(204);
    };
    expect(await seen(quin)).toEqual(['lovely flow', 'steady pressure']);

    // Ola cuts ties with Pat: before, Pat's words stayed on her profile and she could not remove them
    await block(ola, pat, true);
    expect(await seen(ola)).toEqual(['lovely flow']);
    expect(await seen(quin)).toEqual(['lovely flow']);
    await block(ola, pat, false);
    expect(await seen(quin)).toEqual(['lovely flow', 'steady pressure']);

    // the writer blocking the endorsed person withdraws their vouching as long as the block lasts
    await block(pat, ola, true);
    expect(await seen(ola)).toEqual(['lovely flow']);
    expect(await seen(quin)).toEqual(['lovely flow']);
    await block(pat, ola, false);

    // a viewer does not meet someone a block keeps apart from them; others still do
    await block(rae, quin, true);
    expect(await seen(quin)).toEqual(['steady pressure']);
    expect(await seen(ola)).toEqual(['lovely flow', 'steady pressure']);
  });

  it('answers each asker exactly as the profile does: hidden, blocked or unknown are all 404', async () => {
    const [olga, pia, quinn] = await users('Olga', 'Pia', 'Quinn');
    await createExchange({ a: olga, b: pia }, isoDay(5));
    expect((await pia.client.post(`/api/partners/${olga.user.id}/endorsements`, { modality: 'thai' })).status).toBe(
      201,
    );
    const unknownId = new Types.ObjectId().toHexString();
    /** The two answers to `who` about the target's profile and its endorsements, side by side. */
    const asked = async (who: SignedUpUser, targetId: string) => {
      const [profile, endorsements] = [
        await who.client.get(`/api/profiles/${targetId}`),
        await who.client.get(`/api/users/${targetId}/endorsements`),
      ];
      return {
        profile: profile.status,
        endorsements: endorsements.status,
        sameRefusal: profile.status !== 404 || JSON.stringify(profile.body) === JSON.stringify(endorsements.body),
      };
    };
    const shown = { profile: 200, endorsements: 200, sameRefusal: true };
    const hidden = { profile: 404, endorsements: 404, sameRefusal: true };

    // Olga's profile is not open to exchanges: only she and her partner see it
    expect(await asked(olga, olga.user.id)).toEqual(shown);
    expect(await asked(pia, olga.user.id)).toEqual(shown);
    expect(await asked(quinn, olga.user.id)).toEqual(hidden);
    expect(await asked(quinn, unknownId)).toEqual(hidden);

    await saveProfile(olga, { openToExchanges: true });
    expect(await asked(quinn, olga.user.id)).toEqual(shown);
    expect((await olga.client.post('/api/blocks', { userId: quinn.user.id })).status).toBe(204);
    expect(await asked(quinn, olga.user.id)).toEqual(hidden);
  });

  it('takes a deleted account’s endorsements of others with it, and the endorsements it received', async () => {
    const [kim, lea] = await users('Kim', 'Lea');
    await createExchange({ a: kim, b: lea }, isoDay(5));
    const note = 'Lea finds every knot';
    expect(
      (await kim.client.post(`/api/partners/${lea.user.id}/endorsements`, { modality: 'thai', note })).status,
    ).toBe(201);
    expect((await lea.client.post(`/api/partners/${kim.user.id}/endorsements`, { modality: 'sports' })).status).toBe(
      201,
    );
    expect((await kim.client.post('/api/account/delete', { password: kim.password })).status).toBe(204);
    const onLea = await lea.client.get(`/api/users/${lea.user.id}/endorsements`);
    expect(onLea.body.endorsements).toEqual([]);
    expect(onLea.text).not.toContain(note);
    expect((await lea.client.get(`/api/users/${kim.user.id}/endorsements`)).status).toBe(404);
  });

  it('refuses a referral dated before 2000 (400 naming date), whatever the partnership', async () => {
    for (const date of ['0000-01-01', '1999-12-31']) {
      const res = await ana.client.post(`/api/partners/${ben.user.id}/referrals`, { forWhat: 'sports injury', date });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ field: 'date', message: 'date: pick a day from 2000-01-01 on' });
    }
  });

  it('refuses to endorse or refer oneself', async () => {
    const res = await ana.client.post(`/api/partners/${ana.user.id}/endorsements`, { modality: 'thai' });
    expect(res.status).toBe(400);
  });

  it('shows a referral to both partners, given and received, and to nobody else', async () => {
    const res = await ana.client.post(`/api/partners/${ben.user.id}/referrals`, {
      forWhat: 'sports injury, knee; wants shiatsu',
      date: isoDay(1),
    });
    expect(res.status).toBe(201);
    expect(res.body.referral).toMatchObject({ direction: 'given', forWhat: 'sports injury, knee; wants shiatsu' });
    const benList = await ben.client.get(`/api/partners/${ana.user.id}/referrals`);
    expect(benList.body.referrals).toEqual([expect.objectContaining({ direction: 'received', date: isoDay(1) })]);
    expect((await ana.client.get(`/api/partners/${ben.user.id}/referrals`)).body.referrals).toHaveLength(1);

    // Eve has an exchange booked with Ana: she sees her own referrals with Ana (none), never Ana's with Ben
    const eveWithAna = await eve.client.get(`/api/partners/${ana.user.id}/referrals`);
    expect(eveWithAna.body.referrals).toEqual([]);
    expect((await eve.client.get(`/api/partners/${ben.user.id}/referrals`)).status).toBe(404);
    const eveWrites = await eve.client.post(`/api/partners/${ben.user.id}/referrals`, {
      forWhat: 'neck pain',
      date: isoDay(0),
    });
    expect(eveWrites.status).toBe(409);
    expect((await server.client().get(`/api/partners/${ben.user.id}/referrals`)).status).toBe(401);
  });

  it.each([
    ['an email address', 'jane.doe@example.com, lower back', 'forWhat'],
    ['a phone number', 'call 0612 345 678 about her shoulder', 'forWhat'],
    ['a title and a name', 'Mrs Smith, frozen shoulder', 'forWhat'],
    ['a link', 'see https://example.com/client', 'forWhat'],
    ['too long a text', 'x'.repeat(141), 'forWhat'],
    ['nothing said', '  ', 'forWhat'],
  ])('refuses a referral holding %s (400 naming forWhat with a hint)', async (_what, forWhat, field) => {
    const res = await ana.client.post(`/api/partners/${ben.user.id}/referrals`, { forWhat, date: isoDay(0) });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
  });

  it('refuses a referral dated in the future or not a date (400 naming date)', async () => {
    for (const date of [isoDay(-2), '2026-02-30', 'yesterday']) {
      const res = await ana.client.post(`/api/partners/${ben.user.id}/referrals`, { forWhat: 'neck pain', date });
      expect(res.status, date).toBe(400);
      expect(res.body.error.field).toBe('date');
    }
  });
});

describe('exchanges joined before calendars existed', () => {
  it('are put in both calendars once at start-up, so the ledger counts them', async () => {
    const [ana, ben] = await users('Ana', 'Ben');
    // as an older version stored a joined invite-link exchange: no calendar entries
    const { insertedId } = await server.connection.collection('exchanges').insertOne({
      partnerA: new Types.ObjectId(ana.user.id),
      partnerB: new Types.ObjectId(ben.user.id),
      date: isoDay(10),
      roundMinutes: 50,
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    expect((await ana.client.get(`/api/partners/${ben.user.id}/ledger`)).status).toBe(404);
    await server.connection.collection('migrations').deleteOne({ _id: 'exchange-calendars' as never });

    const restarted = await startTestServer({
      MONGODB_URI: server.config.mongodbUri!,
      SESSION_SECRET: server.config.sessionSecret,
    });
    try {
      const headers = { headers: { cookie: ana.cookieHeader } };
      await eventually(async () => {
        const res = await restarted.client().get(`/api/partners/${ben.user.id}/ledger`, headers);
        expect(res.body.ledger).toMatchObject({ exchanges: 1, givenMinutes: 50, receivedMinutes: 50 });
      });
      const rhythm = await restarted.client().get('/api/rhythm', headers);
      expect(rhythm.body.rhythm.last.id).toBe(insertedId.toHexString());
    } finally {
      // stopping drops the database both servers share: this is the file's last test
      await restarted.stop();
    }
  });
});
