// Two therapists debrief on tablets, one held sideways and one upright, driven by touch only: finger taps and
// gestures, nothing hovered, no mouse. Real browsers against the real server and database.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { regionAt, regionWithView } from '@kneadback/shared/body/index';
import { startAppForE2E, type E2EApp } from '../helpers/browser.ts';
import { createExchange, createPartners, type Partners } from '../helpers/debrief-fixtures.ts';
import { openDebrief, pageSignedInAs } from '../helpers/e2e-debrief.ts';
import { requestBody } from '../helpers/exchange-requests.ts';
import { fingerTapBody, offScreen, TABLET_LANDSCAPE, TABLET_PORTRAIT, touchGesture } from '../helpers/touch.ts';

/** Ben's left calf, seen from the back: low on the body, the last part of the map to fit on a sideways tablet. */
const LEFT_CALF = { x: 170, y: 700 };
const CALF = 'Left gastrocnemius / soleus';

let app: E2EApp;
let partners: Partners;
/** Last week's exchange, debriefed here; next week's, whose Home panel carries last week's open points. */
let lastWeek: string;
let ana: Page;
let ben: Page;

function daysFromToday(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  app = await startAppForE2E();
  partners = await createPartners(app.server, daysFromToday(-7));
  lastWeek = partners.exchangeId;
  await createExchange(partners, daysFromToday(7));
  ana = (await pageSignedInAs(app, partners.a, TABLET_LANDSCAPE)).page;
  ben = (await pageSignedInAs(app, partners.b, TABLET_PORTRAIT)).page;
  await Promise.all([openDebrief(ana, lastWeek), openDebrief(ben, lastWeek)]);
});

afterAll(async () => {
  await app?.stop();
});

it('the debrief fits a tablet held either way: the whole body, its zoom buttons and the marks panel, no page scroll', async () => {
  // A swipe on the map pans the map, so anything below the screen's edge could only be reached by finding a strip
  // of page that is not map
  for (const page of [ana, ben]) {
    expect(await offScreen(page, '.body-map__stage')).toEqual({ below: 0, pageScroll: 0 });
    expect((await offScreen(page, '.debrief-side')).below).toBe(0);
  }

  // Round 1: Ana gives, so her map is Ben's body; she marks his left calf with a finger
  await fingerTapBody(ana, LEFT_CALF.x, LEFT_CALF.y);
  await ana.locator('.annotation-editor').getByText(CALF).first().waitFor();
  await ben
    .locator('.mark-row')
    .filter({ hasText: `${CALF} · Back` })
    .waitFor();

  // She pinches in for a closer look: the map zooms, the page does not
  const box = (await ana.locator('svg.body-map__svg').boundingBox())!;
  const mid = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await touchGesture(ana, [
    { from: { x: mid.x - 20, y: mid.y }, to: { x: mid.x - 100, y: mid.y } },
    { from: { x: mid.x + 20, y: mid.y }, to: { x: mid.x + 100, y: mid.y } },
  ]);
  const zoom = ana.locator('.body-map__zoom-level');
  await expect.poll(() => zoom.innerText()).not.toBe('1×');
  expect(await ana.evaluate(() => window.visualViewport?.scale)).toBe(1);

  // ...and "Show the whole body", at the map's foot, is on screen to tap
  expect((await offScreen(ana, '.body-map__zoom')).below).toBe(0);
  await ana.getByRole('button', { name: 'Show the whole body' }).tap();
  await expect.poll(() => zoom.innerText()).toBe('1×');
});

it('on a tablet, Return in a reply starts a new line and Send sends it: the partner reads both lines', async () => {
  const row = ben.locator('.mark-row').filter({ hasText: `${CALF} · Back` });
  await row.locator('.mark-row__summary').tap();
  const reply = ben.getByLabel('Reply', { exact: true });
  await reply.tap();
  // A touchscreen's keyboard has a Return key and no Shift+Enter
  await ben.keyboard.type('Felt fine on the calf.');
  await ben.keyboard.press('Enter');
  await ben.keyboard.type('A little fast though.');
  expect(await reply.inputValue()).toBe('Felt fine on the calf.\nA little fast though.');

  await ben.getByRole('button', { name: 'Send', exact: true }).tap();
  // Ana still has the mark she placed open, so its thread is on her screen
  await expect
    .poll(() => ana.locator('.thread-reply__text').allInnerTexts())
    .toEqual(['Felt fine on the calf.\nA little fast though.']);
});

it("Ben's Home carries last week's open point with full-size controls, and resolving it there shows in Ana's debrief", async () => {
  await ben.goto('/home');
  const panel = ben.locator('section.carried-forward');
  const toggle = panel.getByRole('button', { name: /From your last exchange/ });
  await toggle.waitFor();
  // Home loads none of the debrief's own styles: the panel must bring its own, or it shows as bare text and a
  // 31-pixel toggle
  expect((await toggle.boundingBox())!.height).toBeGreaterThanOrEqual(44);

  const item = panel.locator('.carried-item').filter({ hasText: CALF });
  await item.getByRole('button', { name: /^Resolved now/ }).tap();
  await expect.poll(() => panel.locator('.carried-item').filter({ hasText: CALF }).count()).toBe(0);

  const anasRow = ana.locator('.mark-row').filter({ hasText: CALF });
  await expect.poll(() => anasRow.innerText()).toMatch(/Resolved/);
});

it('a file that is not a picture, chosen as a profile photo, is refused in words', async () => {
  const file = path.join(os.tmpdir(), `not-a-photo-${process.pid}.jpg`);
  writeFileSync(file, 'these are not the bytes of a JPEG');
  await ben.goto('/profile');
  await ben.getByLabel('Choose a photo').setInputFiles(file);
  await expect
    .poll(() => ben.locator('.photo-field .field__error').innerText())
    .toBe('This file is not a picture this device can open; choose a JPEG, PNG or WebP photo');
});

it("with Ben gone from the debrief, Ana's Follow button says in words why it is off", async () => {
  // Ben left the debrief for his Home and his profile. The reason was only a tooltip, which no touchscreen shows.
  const follow = ana.getByRole('button', { name: 'Follow Ben' });
  const reason = ana.locator('.debrief-toolbar').getByText('Ben is not here', { exact: true });
  await reason.waitFor();
  expect(await follow.isDisabled()).toBe(true);
  // ...and a screen reader hears it as the button's description
  expect(await follow.getAttribute('aria-describedby')).toBe(await reason.getAttribute('id'));
});

it('a finger tap on a region of the Review heat map names the region it chose, and "Show every region" undoes it', async () => {
  const calf = regionAt('posterior', LEFT_CALF)!;
  await ana.goto('/review');
  // Ana's calf mark is the only critique here: the one region drawn as marked
  const marked = ana.locator('.heatmap__region--marked');
  await marked.scrollIntoViewIfNeeded();
  const box = (await marked.boundingBox())!;
  await ana.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await ana.waitForURL((url) => url.searchParams.get('regionId') === calf.id);
  // The map names its regions only in hover tooltips: the choice must be said under it
  expect(await ana.locator('.patterns__chosen p').innerText()).toBe(`Showing only ${regionWithView(calf.id)}`);

  await ana.getByRole('button', { name: 'Show every region' }).tap();
  await ana.waitForURL((url) => !url.searchParams.has('regionId'));
  expect(await ana.locator('.patterns__chosen').count()).toBe(0);
});

it("the note editor's heading buttons say what they do in words, not a letter explained by a tooltip", async () => {
  const created = await partners.b.client.post('/api/notes', { kind: 'technique', title: 'Calf work' });
  expect(created.status).toBe(201);
  await ben.goto(`/notes/${created.body.note.id}`);
  const toolbar = ben.getByRole('toolbar', { name: 'Formatting' });
  for (const name of ['Heading', 'Subheading']) {
    expect(await toolbar.getByRole('button', { name, exact: true }).innerText()).toBe(name);
  }
});

it('links standing on their own are finger-sized on a tablet, and with a mouse stay as tall as their words', async () => {
  // Ana asks Ben for an exchange, so his requests show "Ledger and referrals" beside her name
  const asked = await partners.a.client.post('/api/exchange-requests', requestBody(partners.b));
  expect(asked.status).toBe(201);
  const notesBack = (p: Page) => p.getByRole('link', { name: '← Notes' });
  const links = [
    { at: '/home', link: ben.locator('.home__ledgers').getByRole('link', { name: 'Ana', exact: true }) },
    { at: '/exchanges', link: ben.locator('.exchange-card__partner').getByRole('link', { name: 'Ana' }).first() },
    { at: '/exchanges/requests', link: ben.getByRole('link', { name: 'Ledger and referrals with Ana' }) },
    { at: '/notes/new', link: notesBack(ben) },
  ];
  for (const { at, link } of links) {
    await ben.goto(at);
    expect((await link.boundingBox())!.height, at).toBeGreaterThanOrEqual(44);
  }
  // The whole target follows the link, not only its words: a tap near its top edge goes back to the notes
  const back = (await notesBack(ben).boundingBox())!;
  await ben.touchscreen.tap(back.x + back.width / 2, back.y + 3);
  await ben.waitForURL((url) => url.pathname === '/notes');

  const desktop = (await pageSignedInAs(app, partners.b)).page;
  await desktop.goto('/notes/new');
  expect((await notesBack(desktop).boundingBox())!.height).toBeLessThan(30);
});
