// Finding an exchange partner, in two real browsers against the real server and database: Ana makes
// her profile findable through the editor, Ben finds her by modality and city and opens her profile.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAppForE2E, type E2EApp } from '../helpers/browser.ts';
import { pageSignedInAs } from '../helpers/e2e-debrief.ts';
import { signUpUser, type SignedUpUser } from '../helpers/http-client.ts';
import { everyone, saveProfile } from '../helpers/profile-fixtures.ts';

const ONE_PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

let app: E2EApp;
let ana: SignedUpUser;
let ben: SignedUpUser;
let anaPage: Page;
let benPage: Page;

beforeAll(async () => {
  app = await startAppForE2E();
  [ana, ben] = await Promise.all([signUpUser(app.server, 'Ana Sousa'), signUpUser(app.server, 'Ben Carter')]);
  // two more shiatsu therapists: one in another city, one in Lisbon who keeps her city for partners
  const [carla, dora] = await Promise.all([
    signUpUser(app.server, 'Carla Porto'),
    signUpUser(app.server, 'Dora Hidden'),
  ]);
  await saveProfile(carla, { modalities: [{ modality: 'shiatsu', years: 3 }], city: 'Porto' });
  await saveProfile(dora, {
    modalities: [{ modality: 'shiatsu', years: 2 }],
    city: 'Lisbon',
    visibility: { ...everyone(), location: 'partners' },
  });
  anaPage = (await pageSignedInAs(app, ana)).page;
  benPage = (await pageSignedInAs(app, ben)).page;
});

afterAll(async () => {
  await app?.stop();
});

it('Ana opens her profile to exchanges: shiatsu for 6 years, in Lisbon, an instructor', async () => {
  await anaPage.goto('/profile');
  await anaPage.getByRole('heading', { name: 'Your profile', level: 1 }).waitFor();
  await anaPage.getByLabel('Open to exchanges', { exact: false }).check();
  await anaPage.getByLabel('A few words for future partners').fill('Shiatsu on the floor, happy to trade weekly.');
  await anaPage.getByRole('checkbox', { name: 'Shiatsu', exact: true }).check();
  await anaPage.getByLabel('Years practising Shiatsu').fill('6');
  await anaPage.getByRole('button', { name: 'Add a certificate' }).click();
  await anaPage.getByLabel('Certificate', { exact: true }).fill('Shiatsu instructor');
  await anaPage.locator('.certification').getByLabel('Modality', { exact: true }).selectOption('shiatsu');
  await anaPage.getByLabel('Issued by').fill('European Shiatsu Federation');
  await anaPage.getByLabel('Year', { exact: true }).fill('2018');
  await anaPage.getByLabel('Qualifies me to teach this modality').check();
  await anaPage.getByLabel('City or area').fill('Lisbon');
  await anaPage.getByLabel('Approximate location, for distances').selectOption('lisbon');
  await anaPage.getByLabel('Tuesday evening').check();
  // a photo: picked on the device, shrunk there, saved at once
  await anaPage
    .getByLabel('Choose a photo')
    .setInputFiles({ name: 'me.png', mimeType: 'image/png', buffer: ONE_PIXEL_PNG });
  await anaPage.locator('.photo-field img.avatar').waitFor();
  await anaPage.getByRole('button', { name: 'Save profile' }).click();
  await anaPage.getByRole('status').filter({ hasText: 'Profile saved' }).waitFor();

  const saved = await ana.client.get('/api/profiles/me');
  expect(saved.body.profile).toMatchObject({
    openToExchanges: true,
    city: 'Lisbon',
    modalities: [{ modality: 'shiatsu', years: 6 }],
    certifications: [{ modality: 'shiatsu', qualifiesToTeach: true, year: 2018 }],
    availability: [{ day: 'tue', part: 'evening' }],
  });
});

it('Ben finds Ana by modality and city, and opens her profile', async () => {
  await benPage.goto('/partners');
  await benPage.getByRole('heading', { name: 'Find partners', level: 1 }).waitFor();
  await benPage.getByLabel('Modality').selectOption('shiatsu');
  await benPage.getByLabel('City').fill('Lisbon');
  await benPage.getByRole('button', { name: 'Search' }).click();
  await benPage.waitForURL(
    (url) => url.searchParams.get('modality') === 'shiatsu' && url.searchParams.get('city') === 'Lisbon',
  );

  const cards = benPage.locator('.partner-card');
  await expect
    .poll(() => benPage.getByRole('heading', { name: /therapists? found/ }).innerText())
    .toBe('1 therapist found');
  await expect.poll(() => cards.count()).toBe(1);
  const card = cards.first();
  const text = await card.innerText();
  expect(text).toContain('Ana Sousa');
  expect(text).toContain('Lisbon');
  expect(text).toContain('Certified to teach Shiatsu');
  expect(text).not.toContain('38.72');
  // her photo, through the photo endpoint, as the 256 px square her device made of it
  const photo = card.locator('img.avatar');
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(256);

  await card.getByRole('link', { name: 'Ana Sousa' }).click();
  await benPage.waitForURL(`**/therapists/${ana.user.id}`);
  await benPage.getByRole('heading', { name: 'Ana Sousa', level: 1 }).waitFor();
  const profile = await benPage.locator('.therapist').innerText();
  expect(profile).toContain('Open to exchanges');
  expect(profile).toContain('Shiatsu, 6 years');
  expect(profile).toContain('Shiatsu on the floor, happy to trade weekly.');
  expect(profile).toContain('Certified instructor: Shiatsu');
  expect(profile).toContain('Tuesday evening');
  const request = benPage.getByRole('link', { name: 'Request an exchange' });
  expect(await request.getAttribute('href')).toBe(`/exchanges/request?with=${ana.user.id}`);
});

it('Ben blocks Ana from her profile: she can no longer open his, and he can unblock her in Settings', async () => {
  await saveProfile(ben, { modalities: [{ modality: 'thai', years: 2 }], city: 'Lisbon' });
  await benPage.getByRole('button', { name: 'Block Ana Sousa' }).click();
  await benPage.getByText('Ana Sousa is not told.', { exact: false }).waitFor();
  await benPage.getByRole('button', { name: 'Block', exact: true }).click();
  await benPage.waitForURL('**/partners');

  await anaPage.goto(`/therapists/${ben.user.id}`);
  await anaPage.getByRole('heading', { name: 'Therapist not found', level: 1 }).waitFor();
  await anaPage.goto('/partners?city=Lisbon');
  await anaPage.getByRole('heading', { name: /therapists? found/ }).waitFor();
  expect(await anaPage.locator('.partner-card').allInnerTexts()).not.toContainEqual(
    expect.stringContaining('Ben Carter'),
  );

  await benPage.goto('/settings');
  const blocked = benPage.locator('.settings__blocked li');
  await expect.poll(() => blocked.allInnerTexts()).toEqual([expect.stringContaining('Ana Sousa')]);
  await benPage.getByRole('button', { name: 'Unblock Ana Sousa' }).click();
  await benPage.getByText('You have not blocked anyone.').waitFor();
  await anaPage.goto(`/therapists/${ben.user.id}`);
  await anaPage.getByRole('heading', { name: 'Ben Carter', level: 1 }).waitFor();
});

it('Ana deletes her account after confirming with her password, and can no longer sign in', async () => {
  await anaPage.goto('/settings');
  await anaPage.getByRole('button', { name: 'Delete my account…' }).click();
  expect(await anaPage.locator('.settings__danger').innerText()).toContain('Partners keep the debriefs you shared');
  await anaPage.getByLabel('Your password, to confirm').fill('not-my-password-1');
  await anaPage.getByRole('button', { name: 'Delete my account for good' }).click();
  await anaPage.getByText('That password is not right').waitFor();
  await anaPage.getByLabel('Your password, to confirm').fill(ana.password);
  await anaPage.getByRole('button', { name: 'Delete my account for good' }).click();
  await anaPage.waitForURL('**/login');
  expect((await ana.client.get('/api/auth/me')).status).toBe(401);
  const login = await app.server.client().post('/api/auth/login', { email: ana.email, password: ana.password });
  expect(login.status).toBe(401);
});
