// Following up on critique across exchanges, in two real browsers against the real server and database:
// the same point made at two exchanges shows up in Review and its heat map, last time's open point is
// carried into the next debrief, threads update live with "New" markers, and a partner on another page
// hears about a reply.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAppForE2E, type E2EApp } from '../helpers/browser.ts';
import { createExchange, createPartners, type Partners } from '../helpers/debrief-fixtures.ts';
import { openDebrief, pageSignedInAs, placePressureMark, switchRound } from '../helpers/e2e-debrief.ts';
import { eventually } from '../helpers/eventually.ts';

const LEFT_UPPER_TRAPEZIUS = { x: 170, y: 149 }; // back view
const REGION_ID = 'posterior-upper-trapezius-left';

let app: E2EApp;
let partners: Partners;
/** October's exchange, then November's: the same two partners. */
let first: string;
let second: string;
let ana: Page;
let ben: Page;

beforeAll(async () => {
  app = await startAppForE2E();
  partners = await createPartners(app.server, '2026-10-01');
  first = partners.exchangeId;
  second = await createExchange(partners, '2026-11-01');
  ana = (await pageSignedInAs(app, partners.a)).page;
  ben = (await pageSignedInAs(app, partners.b)).page;
});

afterAll(async () => {
  await app?.stop();
});

/** Ben's critiques as the Review API has them (the projection the Review page reads). */
async function bensGivenPressure(exchangeId: string) {
  const res = await partners.b.client.get('/api/review/critiques?role=given&category=pressure');
  expect(res.status).toBe(200);
  return (res.body.items as { exchangeId: string; regionId: string; pressure: number; verdict: string }[]).filter(
    (i) => i.exchangeId === exchangeId,
  );
}

it('in round 2 of both exchanges Ben, the giver, marks the left upper trapezius 8/10 too deep', async () => {
  for (const exchangeId of [first, second]) {
    await openDebrief(ben, exchangeId);
    // Round 2: Ben gives, Ana receives, so the map is Ana's body
    await switchRound(ben, 2);
    await ben.getByText("Ana's body (receiver)").first().waitFor();
    const editor = await placePressureMark(ben, LEFT_UPPER_TRAPEZIUS, 8, 'Too deep');
    await editor.getByText('Left upper trapezius').first().waitFor();
    const row = ben.locator('.mark-row').filter({ hasText: 'Left upper trapezius · Back' });
    await expect.poll(() => row.innerText()).toMatch(/Felt 8\/10 · Too deep/);
    // On the server before Ben leaves the page
    await eventually(
      async () =>
        expect(await bensGivenPressure(exchangeId)).toEqual([
          expect.objectContaining({ regionId: REGION_ID, pressure: 8, verdict: 'too-deep' }),
        ]),
      { timeout: 10_000 },
    );
  }
});

it('Review, filtered through its controls to what Ben gave about pressure, lists both and heats the region', async () => {
  await ben.goto('/review');
  await ben.getByRole('heading', { name: 'Review', level: 1 }).waitFor();
  await ben.getByLabel('Your role', { exact: true }).selectOption('given');
  await ben.getByLabel('Category', { exact: true }).selectOption('pressure');
  await ben.waitForURL(
    (url) => url.searchParams.get('role') === 'given' && url.searchParams.get('category') === 'pressure',
  );

  const trapezius = ben.locator('.critique').filter({ hasText: 'Left upper trapezius' });
  await expect.poll(() => trapezius.count(), { timeout: 10_000 }).toBe(2);
  await expect.poll(() => ben.locator('.critique').count()).toBe(2);
  for (const text of await trapezius.allInnerTexts()) {
    expect(text).toMatch(/Felt 8\/10 · Too deep/);
    expect(text).toMatch(/You gave/);
  }

  // The heat map's numbers, as its accessible table gives them, and the region drawn as marked
  await ben.getByRole('row', { name: 'Left upper trapezius (back) 2' }).waitFor({ state: 'attached' });
  const marked = ben.locator('path.heatmap__region--marked');
  await expect.poll(() => marked.count()).toBe(1);
  expect(await marked.locator('title').textContent()).toBe('Left upper trapezius: 2 critiques');
});

it("the second debrief carries the first one's open point, under Ben's own technique, with a link to it", async () => {
  await openDebrief(ben, second);
  const panel = ben.locator('section.carried-forward');
  await panel.getByRole('button', { name: /From your last exchange/ }).waitFor();
  const items = panel.locator('.carried-item');
  await expect.poll(() => items.count()).toBe(1);
  const item = items.first();
  const text = await item.innerText();
  expect(text).toMatch(/Pressure/);
  expect(text).toMatch(/Left upper trapezius · Back/);
  expect(text).toMatch(/Felt 8\/10 · Too deep/);
  expect(text).toMatch(/round 2/);
  expect(await item.locator('time').getAttribute('datetime')).toBe('2026-10-01');
  expect(await panel.getByRole('heading', { name: 'Your technique' }).count()).toBe(1);

  // "Open" goes to the first debrief, in round 2, with the mark selected and its editor open
  await item.getByRole('link', { name: /^Open/ }).click();
  await ben.waitForURL((url) => url.pathname === `/debriefs/${first}`);
  await ben.locator('.mark-row--selected').filter({ hasText: 'Left upper trapezius · Back' }).waitFor();
  await ben.locator('.annotation-editor').waitFor();
  expect(await ben.getByRole('radio', { name: /^Round 2:/ }).isChecked()).toBe(true);
  const backView = ben.getByRole('group', { name: 'Body view' }).getByRole('button', { name: /^Back/ });
  expect(await backView.getAttribute('aria-pressed')).toBe('true');
});

it('a reply shows live with a "New" marker, opening the thread reads it, and a resolve shows live', async () => {
  await Promise.all([openDebrief(ana, second), openDebrief(ben, second)]);
  await Promise.all([switchRound(ana, 2), switchRound(ben, 2)]);
  const anaRow = ana.locator('.mark-row').filter({ hasText: 'Left upper trapezius · Back' });
  const benRow = ben.locator('.mark-row').filter({ hasText: 'Left upper trapezius · Back' });
  await benRow.waitFor();
  expect(await benRow.innerText()).not.toMatch(/new replies/);

  // Ana, whose body it is, answers Ben's mark
  await anaRow.locator('.mark-row__summary').click();
  await ana.locator('.reply-box textarea').fill('Yes, and it lingered on the left.');
  await ana.locator('.reply-box textarea').press('Enter');
  await ana.locator('.thread-reply__text', { hasText: 'Yes, and it lingered on the left.' }).waitFor();

  // Ben sees it arrive on the closed row, marked new, then reads it
  await benRow.filter({ hasText: 'new replies' }).waitFor();
  await benRow.locator('.mark-row__summary').click();
  await ben.locator('.thread-reply__text', { hasText: 'Yes, and it lingered on the left.' }).waitFor();
  await expect.poll(() => benRow.innerText()).not.toMatch(/new replies/);
  const annotationId = await benRow.getAttribute('data-annotation-id');
  await eventually(async () => {
    const res = await partners.b.client.get(`/api/debriefs/${second}/reads`);
    expect(res.body.reads).toHaveProperty(annotationId!);
  });

  // Ben resolves; Ana sees it at once
  await ben.locator('.annotation-editor').getByRole('button', { name: 'Resolve', exact: true }).click();
  await anaRow.locator('.status-pill', { hasText: 'Resolved' }).waitFor();
  await ana.locator('.thread-event', { hasText: 'Ben resolved this' }).waitFor();
});

it('a partner on another page hears about a reply: the bell counts it and a toast says it', async () => {
  // Client-side navigation keeps Ana's app-events connection; the debrief page is gone
  await ana.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exchanges' }).click();
  await ana.waitForURL((url) => url.pathname === '/exchanges');

  await ben.locator('.reply-box textarea').fill('Thanks, I will lean in less there.');
  await ben.locator('.reply-box textarea').press('Enter');

  await ana
    .locator('.toast', { hasText: 'Ben replied to a mark' })
    .filter({ hasText: 'I will lean in less' })
    .waitFor();
  await eventually(async () => {
    const label = await ana.locator('.notif-bell').getAttribute('aria-label');
    expect(label).toMatch(/^Notifications, [1-9]\d* unread$/);
  });
});

it('"Resolved now" resolves last time\'s point in its own debrief and takes it off the list', async () => {
  const panel = ben.locator('section.carried-forward');
  const item = panel.locator('.carried-item').filter({ hasText: 'Left upper trapezius · Back' });
  await item.getByRole('button', { name: /^Resolved now/ }).click();
  await ben.locator('.toast', { hasText: 'Resolved: Left upper trapezius · Back' }).waitFor();
  await expect.poll(() => panel.locator('.carried-item').count()).toBe(0);

  await eventually(
    async () => {
      const res = await partners.b.client.get(`/api/review/critiques?role=given&status=open`);
      expect(res.body.items).toEqual([]);
    },
    { timeout: 10_000 },
  );
});
