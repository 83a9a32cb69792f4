// Profiles and partner discovery through the real endpoints: what each viewer may see, what
// search finds and in which order, and the refusals for bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileBody } from '@kneadback/shared/schemas/profile';
import { VISIBLE_TEXT_RULE } from '@kneadback/shared/schemas/visible-text';
import { createPartners, type Partners } from '../helpers/debrief-fixtures.ts';
import { signUpUser, type SignedUpUser } from '../helpers/http-client.ts';
import { everyone, profileBody, saveProfile } from '../helpers/profile-fixtures.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

let server: TestServer;
let partners: Partners; // Ana and Ben, who share an exchange
let carla: SignedUpUser;
let dev: SignedUpUser;

const LISBON = { lat: 38.72, lng: -9.14 };
const SINTRA = { lat: 38.8, lng: -9.38 };
const PORTO = { lat: 41.15, lng: -8.61 };

beforeAll(async () => {
  server = await startTestServer();
  partners = await createPartners(server, '2026-01-10');
  [carla, dev] = await Promise.all([signUpUser(server, 'Carla'), signUpUser(server, 'Dev')]);
});

afterAll(async () => {
  await server?.stop();
});

describe('your own profile', () => {
  it('starts empty and closed to exchanges, then saves every part and coarsens the location', async () => {
    const first = await carla.client.get('/api/profiles/me');
    expect(first.status).toBe(200);
    expect(first.body.profile).toMatchObject({ id: carla.user.id, displayName: 'Carla', openToExchanges: false });
    expect(first.body.profile.visibility).toEqual(everyone());

    const body = profileBody('Carla M.', {
      bio: 'Sports therapist, ten years in clinics.',
      modalities: [
        { modality: 'sports', years: 10 },
        { modality: 'thai', years: 2 },
      ],
      specialties: ['sports injuries'],
      certifications: [
        {
          title: 'Thai massage instructor',
          modality: 'thai',
          issuer: 'Wat Po School',
          year: 2019,
          qualifiesToTeach: true,
        },
      ],
      languages: ['pt', 'en'],
      city: 'Lisbon',
      location: { lat: 38.716921, lng: -9.139881 },
      availability: [{ day: 'tue', part: 'evening' }],
      visibility: { ...everyone(), bio: 'partners' },
    });
    const saved = await carla.client.put('/api/profiles/me', body);
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.profile).toMatchObject({ ...body, location: { lat: 38.72, lng: -9.14 } });

    const me = await carla.client.get('/api/auth/me');
    expect(me.body.user).toMatchObject({ displayName: 'Carla M.', modalities: ['sports', 'thai'], city: 'Lisbon' });
    const again = await carla.client.get('/api/profiles/me');
    expect(again.body.profile.location).toEqual({ lat: 38.72, lng: -9.14 });
  });

  it('refuses unknown modalities, languages and bad fields with 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ modalities: [{ modality: 'reiki', years: 3 }] }, 'modalities.0.modality'],
      [{ modalities: [{ modality: 'thai', years: -1 }] }, 'modalities.0.years'],
      [{ languages: ['xx'] }, 'languages.0'],
      [{ location: { lat: 123, lng: 0 } }, 'location.lat'],
      [{ availability: [{ day: 'someday', part: 'evening' }] }, 'availability.0.day'],
      [
        { certifications: [{ title: 'x', modality: 'thai', issuer: 'y', year: 3000, qualifiesToTeach: true }] },
        'certifications.0.year',
      ],
      [{ visibility: { ...everyone(), bio: 'friends' } }, 'visibility.bio'],
      [{ bio: 'x'.repeat(1001) }, 'bio'],
      [{ exactAddress: 'Rua 1' }, 'exactAddress'],
    ];
    for (const [change, field] of cases) {
      const res = await dev.client.put('/api/profiles/me', { ...profileBody('Dev'), ...change });
      expect(res.status, `${field}: ${res.text}`).toBe(400);
      expect(res.body.error.field).toBe(field);
      expect(res.body.error.message).toContain(field);
    }
  });

  it('refuses names, places and credentials that hide or reorder characters, naming the field', async () => {
    const certification = {
      title: 'Thai',
      modality: 'thai',
      issuer: 'ITM',
      year: 2020,
      qualifiesToTeach: true,
    } as const;
    const cases: [Partial<ProfileBody>, string][] = [
      [{ displayName: 'Dev\u202E' }, 'displayName'],
      [{ city: 'Lisbon\u2067' }, 'city'],
      [{ specialties: ['sports\u0000'] }, 'specialties.0'],
      [{ certifications: [{ ...certification, issuer: 'ITM\u200E' }] }, 'certifications.0.issuer'],
      [{ certifications: [{ ...certification, title: '\u202DThai' }] }, 'certifications.0.title'],
    ];
    for (const [change, field] of cases) {
      const res = await dev.client.put('/api/profiles/me', profileBody('Dev', change));
      expect(res.status, `${field}: ${res.text}`).toBe(400);
      expect(res.body.error).toMatchObject({ field, message: `${field}: ${VISIBLE_TEXT_RULE}` });
    }
  });

  it('asks who is signing in before anything', async () => {
    const anonymous = server.client();
    expect((await anonymous.get('/api/profiles/me')).status).toBe(401);
    expect((await anonymous.get(`/api/profiles/${carla.user.id}`)).status).toBe(401);
    expect((await anonymous.get('/api/partners')).status).toBe(401);
  });
});

describe("someone else's profile", () => {
  beforeAll(async () => {
    await saveProfile(partners.a, {
      bio: 'Deep tissue in Lisbon.',
      modalities: [{ modality: 'deep-tissue', years: 6 }],
      city: 'Lisbon',
      location: LISBON,
      languages: ['pt'],
      visibility: { ...everyone(), bio: 'partners', languages: 'partners', exchangeCount: 'partners' },
    });
  });

  it('shows a stranger only the parts marked everyone, and never a position', async () => {
    const res = await dev.client.get(`/api/profiles/${partners.a.user.id}`);
    expect(res.status).toBe(200);
    const profile = res.body.profile;
    expect(profile).toMatchObject({ displayName: 'Ana', relationship: 'other', city: 'Lisbon' });
    expect(profile.modalities).toEqual([{ modality: 'deep-tissue', years: 6 }]);
    expect(profile).not.toHaveProperty('bio');
    expect(profile).not.toHaveProperty('languages');
    expect(profile).not.toHaveProperty('exchangeCount');
    expect(res.text).not.toContain('38.72');
    expect(res.text).not.toContain(partners.a.email);
  });

  it('shows a partner every part, with the completed exchange counted', async () => {
    const res = await partners.b.client.get(`/api/profiles/${partners.a.user.id}`);
    expect(res.status).toBe(200);
    expect(res.body.profile).toMatchObject({
      relationship: 'partner',
      bio: 'Deep tissue in Lisbon.',
      languages: ['pt'],
      exchangeCount: 1,
    });
  });

  it('is not found for strangers while closed to exchanges, but partners still see it', async () => {
    await saveProfile(partners.a, { openToExchanges: false, city: 'Lisbon', location: LISBON });
    const stranger = await dev.client.get(`/api/profiles/${partners.a.user.id}`);
    expect(stranger.status).toBe(404);
    const partner = await partners.b.client.get(`/api/profiles/${partners.a.user.id}`);
    expect(partner.status).toBe(200);
    await saveProfile(partners.a, {
      modalities: [{ modality: 'deep-tissue', years: 6 }],
      city: 'Lisbon',
      location: LISBON,
    });
  });

  it('answers unknown and malformed ids alike with 404', async () => {
    for (const id of ['5f0000000000000000000000', 'not-an-id', '%24where']) {
      const res = await dev.client.get(`/api/profiles/${id}`);
      expect(res.status, id).toBe(404);
    }
  });
});

describe('finding partners', () => {
  let porto: SignedUpUser;
  let sintra: SignedUpUser;
  let hidden: SignedUpUser;

  beforeAll(async () => {
    [porto, sintra, hidden] = await Promise.all([
      signUpUser(server, 'Paula'),
      signUpUser(server, 'Sofia'),
      signUpUser(server, 'Hugo'),
    ]);
    // Dev practises deep tissue in Lisbon and searches
    await saveProfile(dev, { modalities: [{ modality: 'deep-tissue', years: 3 }], city: 'Lisbon', location: LISBON });
    await saveProfile(porto, {
      modalities: [{ modality: 'shiatsu', years: 8 }],
      city: 'Porto',
      location: PORTO,
      languages: ['pt', 'fr'],
      availability: [{ day: 'mon', part: 'morning' }],
    });
    await saveProfile(sintra, {
      modalities: [{ modality: 'shiatsu', years: 4 }],
      city: 'Sintra',
      location: SINTRA,
      specialties: ['Back pain', 'headaches'],
      certifications: [
        {
          title: 'Shiatsu teacher',
          modality: 'shiatsu',
          issuer: 'Shiatsu Society',
          year: 2020,
          qualifiesToTeach: true,
        },
      ],
    });
    await saveProfile(hidden, {
      modalities: [{ modality: 'shiatsu', years: 1 }],
      city: 'Lisbon',
      location: LISBON,
      visibility: { ...everyone(), modalities: 'partners', location: 'partners' },
    });
  });

  const names = (res: { body: { results: { displayName: string }[] } }) => res.body.results.map((r) => r.displayName);

  it('finds by modality, complementary and nearest first, with distance bands and no positions', async () => {
    const res = await dev.client.get('/api/partners?modality=shiatsu');
    expect(res.status, res.text).toBe(200);
    expect(names(res)).toEqual(['Sofia', 'Paula']);
    expect(res.body.results[0]).toMatchObject({
      city: 'Sintra',
      distanceBand: 'under-50',
      complementary: ['shiatsu'],
      teaches: ['shiatsu'],
    });
    expect(res.body.results[1]).toMatchObject({ city: 'Porto', distanceBand: 'far' });
    expect(res.body).toMatchObject({ total: 2, page: 1, near: true });
    expect(res.text).not.toMatch(/"lat"|"lng"/);
  });

  it('ranks a complementary therapist before a same-style one at the same distance', async () => {
    const res = await dev.client.get('/api/partners?city=lisbon');
    expect(names(res)).toEqual(['Carla M.', 'Ana']); // Carla: sports and thai; Ana: deep tissue, as Dev
  });

  it('filters by city, language, availability, specialty, teaching and distance from a place', async () => {
    expect(names(await dev.client.get('/api/partners?modality=shiatsu&city=Porto'))).toEqual(['Paula']);
    expect(names(await dev.client.get('/api/partners?language=fr'))).toEqual(['Paula']);
    expect(names(await dev.client.get('/api/partners?day=mon&part=morning'))).toEqual(['Paula']);
    expect(names(await dev.client.get('/api/partners?day=mon'))).toEqual(['Paula']);
    expect(names(await dev.client.get('/api/partners?specialty=back'))).toEqual(['Sofia']);
    expect(names(await dev.client.get('/api/partners?teaches=shiatsu'))).toEqual(['Sofia']);
    expect(
      names(await dev.client.get(`/api/partners?modality=shiatsu&lat=${PORTO.lat}&lng=${PORTO.lng}&maxKm=20`)),
    ).toEqual(['Paula']);
  });

  it('never matches or shows parts kept for partners', async () => {
    const bySearch = await dev.client.get('/api/partners?modality=shiatsu&city=Lisbon');
    expect(names(bySearch)).toEqual([]);
    const all = await dev.client.get('/api/partners');
    const hugo = all.body.results.find((r: { id: string }) => r.id === hidden.user.id);
    expect(hugo).toMatchObject({ modalities: [], city: null, distanceBand: null });
  });

  it('leaves out therapists closed to exchanges and the searcher', async () => {
    const res = await dev.client.get('/api/partners');
    const ids = res.body.results.map((r: { id: string }) => r.id);
    expect(ids).not.toContain(dev.user.id);
    await saveProfile(porto, { openToExchanges: false });
    expect(names(await dev.client.get('/api/partners?modality=shiatsu'))).toEqual(['Sofia']);
  });

  it('pages through results', async () => {
    const first = await dev.client.get('/api/partners');
    expect(first.body.pageSize).toBe(20);
    const beyond = await dev.client.get(`/api/partners?page=2`);
    expect(beyond.status).toBe(200);
    expect(beyond.body.results).toEqual([]);
    expect(beyond.body.total).toBe(first.body.total);
  });

  it('refuses bad filters with 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['modality=reiki', 'modality'],
      ['language=klingon', 'language'],
      ['day=funday', 'day'],
      ['lat=91&lng=0', 'lat'],
      ['lat=38', 'lng'],
      ['page=0', 'page'],
      ['maxKm=abc', 'maxKm'],
      ['modality=thai&modality=swedish', 'modality'],
      ['colour=blue', 'colour'],
    ];
    for (const [query, field] of cases) {
      const res = await dev.client.get(`/api/partners?${query}`);
      expect(res.status, `${query}: ${res.text}`).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });
});

describe('search spam', () => {
  it('allows 120 searches a minute per user, then 429 with Retry-After', async () => {
    const limited = await startTestServer({ RATE_LIMITS: 'on' });
    try {
      const searcher = await signUpUser(limited, 'Scraper');
      for (let i = 0; i < 120; i++) {
        const res = await searcher.client.get(`/api/partners?page=${1 + (i % 50)}`);
        expect(res.status).toBe(200);
      }
      const refused = await searcher.client.get('/api/partners?page=51');
      expect(refused.status).toBe(429);
      expect(refused.body.error.code).toBe('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});

describe('photos', () => {
  const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
  const dataUrl = `data:image/png;base64,${PNG.toString('base64')}`;

  it('stores a small image and serves it, typed and sandboxed, to those who may see it', async () => {
    const put = await carla.client.put('/api/profiles/me/photo', { dataUrl });
    expect(put.status, put.text).toBe(200);
    const version = put.body.photoVersion;
    expect(version).toMatch(/^[a-f0-9]{16}$/);
    const view = await dev.client.get(`/api/profiles/${carla.user.id}`);
    expect(view.body.profile.photoVersion).toBe(version);
    const card = (await dev.client.get('/api/partners?city=Lisbon')).body.results.find(
      (r: { id: string }) => r.id === carla.user.id,
    );
    expect(card.photoVersion).toBe(version);

    const res = await fetch(`${server.url}/api/profiles/${carla.user.id}/photo?v=${version}`, {
      headers: { Cookie: dev.client.cookieHeader },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('hides a partners-only photo from strangers, and every photo from the blocked', async () => {
    await saveProfile(carla, { city: 'Lisbon', visibility: { ...everyone(), photo: 'partners' } });
    expect((await dev.client.get(`/api/profiles/${carla.user.id}`)).body.profile).not.toHaveProperty('photoVersion');
    expect((await dev.client.get(`/api/profiles/${carla.user.id}/photo`)).status).toBe(404);
    await saveProfile(carla, { city: 'Lisbon' });
    expect((await dev.client.get(`/api/profiles/${carla.user.id}/photo`)).status).toBe(200);
    await carla.client.post('/api/blocks', { userId: dev.user.id });
    expect((await dev.client.get(`/api/profiles/${carla.user.id}/photo`)).status).toBe(404);
    await carla.client.delete(`/api/blocks/${dev.user.id}`);
  });

  it('shows a partners-only photo to a partner, asking about partnership only then', async () => {
    await saveProfile(partners.a, { city: 'Lisbon', visibility: { ...everyone(), photo: 'partners' } });
    expect((await partners.a.client.put('/api/profiles/me/photo', { dataUrl })).status).toBe(200);
    expect((await partners.b.client.get(`/api/profiles/${partners.a.user.id}/photo`)).status).toBe(200);
    expect((await dev.client.get(`/api/profiles/${partners.a.user.id}/photo`)).status).toBe(404);
    await saveProfile(partners.a, { openToExchanges: false, visibility: { ...everyone(), photo: 'everyone' } });
    expect((await partners.b.client.get(`/api/profiles/${partners.a.user.id}/photo`)).status).toBe(200);
    expect((await dev.client.get(`/api/profiles/${partners.a.user.id}/photo`)).status).toBe(404);
  });

  it('refuses what is not a small JPEG, PNG or WebP, naming the field', async () => {
    const svg = `data:image/svg+xml;base64,${Buffer.from('<svg onload="alert(1)"/>').toString('base64')}`;
    const fake = `data:image/png;base64,${Buffer.from('<html><script>alert(1)</script>').toString('base64')}`;
    const huge = `data:image/png;base64,${Buffer.concat([PNG, Buffer.alloc(45_000)]).toString('base64')}`;
    for (const bad of [svg, fake, huge, 'not a data url']) {
      const res = await dev.client.put('/api/profiles/me/photo', { dataUrl: bad });
      expect(res.status, bad.slice(0, 30)).toBe(400);
      expect(res.body.error.field).toBe('dataUrl');
    }
  });

  it('takes a photo from someone who has not saved a profile yet', async () => {
    const newcomer = await signUpUser(server, 'Newcomer');
    const put = await newcomer.client.put('/api/profiles/me/photo', { dataUrl });
    expect(put.status, put.text).toBe(200);
    const own = await newcomer.client.get('/api/profiles/me');
    expect(own.body.profile).toMatchObject({ photoVersion: put.body.photoVersion, openToExchanges: false, bio: '' });
  });

  it('removes the photo', async () => {
    expect((await carla.client.delete('/api/profiles/me/photo')).status).toBe(204);
    expect((await dev.client.get(`/api/profiles/${carla.user.id}`)).body.profile.photoVersion).toBeNull();
    expect((await dev.client.get(`/api/profiles/${carla.user.id}/photo`)).status).toBe(404);
  });
});
