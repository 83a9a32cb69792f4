// Two partners debrief together in two real browsers against the real server and database.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CritiqueView } from '@kneadback/shared/schemas/critique';
import { startAppForE2E, type E2EApp } from '../helpers/browser.ts';
import { createPartners, type Partners } from '../helpers/debrief-fixtures.ts';
import { openDebrief, pageSignedInAs, tapBody } from '../helpers/e2e-debrief.ts';
import { eventually } from '../helpers/eventually.ts';
import { signUpUser } from '../helpers/http-client.ts';

let app: E2EApp;
let partners: Partners;
let ana: Page;
let ben: Page;

beforeAll(async () => {
  app = await startAppForE2E();
  partners = await createPartners(app.server);
  ana = (await pageSignedInAs(app, partners.a)).page;
  ben = (await pageSignedInAs(app, partners.b)).page;
  await Promise.all([openDebrief(ana, partners.exchangeId), openDebrief(ben, partners.exchangeId)]);
});

afterAll(async () => {
  await app?.stop();
});

it('a pressure mark placed by one partner appears live for the other, with its region, and edits flow back', async () => {
  // Round 1: Ana gives, Ben receives; the map opens on the back view.
  await tapBody(ana, 170, 149); // the left upper trapezius on the back
  const editor = ana.locator('.annotation-editor');
  await editor.waitFor();
  await editor.getByText('Left upper trapezius').first().waitFor();
  await editor.getByRole('radio', { name: 'Pressure', exact: true }).check({ force: true });
  await editor
    .getByRole('radio', { name: /8 of 10/ })
    .first()
    .check({ force: true });
  await editor.getByRole('radio', { name: 'Too deep' }).check({ force: true });
  await editor.getByLabel(/^Note/).fill('Too much on the left upper trap');
  await editor.getByLabel(/^Note/).blur();

  // Ben sees it appear without reloading, with the region named and the critique's values.
  const row = ben.locator('.mark-row').filter({ hasText: 'Left upper trapezius' });
  await row.waitFor();
  await expect.poll(() => row.innerText()).toMatch(/Left upper trapezius · Back/);
  await expect.poll(() => row.innerText()).toMatch(/Felt 8\/10 · Too deep/);
  await expect.poll(() => row.innerText()).toMatch(/Too much on the left upper trap/);

  // Ben adds to the note; Ana sees it.
  await row.locator('.mark-row__summary').click();
  const note = ben.locator('.annotation-editor').getByLabel(/^Note/);
  await note.fill('Too much on the left upper trap. Agreed, and the thumb was stiff.');
  await note.blur();
  await eventually(
    async () => expect(await ana.locator('.mark-row').first().innerText()).toMatch(/Agreed, and the thumb was stiff/),
    { timeout: 10_000 },
  );

  // ...and so does each partner's Review, from the record on the server.
  await eventually(async () => {
    for (const partner of [partners.a, partners.b]) {
      const res = await partner.client.get('/api/review/critiques?regionId=posterior-upper-trapezius-left');
      expect(res.status).toBe(200);
      const [record] = (res.body.items as CritiqueView[]).filter((i) => i.exchangeId === partners.exchangeId);
      expect(record).toMatchObject({ category: 'pressure', pressure: 8, verdict: 'too-deep', round: 1 });
      expect(record?.text).toMatch(/Agreed, and the thumb was stiff/);
    }
  });
});

it("each partner sees the other's presence and pointer", async () => {
  await eventually(
    async () => {
      expect(await ana.locator('.presence__list').getAttribute('aria-label')).toContain('Ben');
      expect(await ben.locator('.presence__list').getAttribute('aria-label')).toContain('Ana');
    },
    { timeout: 10_000 },
  );
  // Ana moves her pointer over the map; Ben sees her named pointer.
  const box = (await ana.locator('svg.body-map__svg').boundingBox())!;
  for (let i = 0; i < 5; i++) await ana.mouse.move(box.x + box.width / 2 + i * 3, box.y + box.height / 3);
  await ben.locator('.body-map__remote-name', { hasText: 'Ana' }).waitFor({ timeout: 10_000 });
});

it('someone who is not a partner is told they cannot open the debrief', async () => {
  const eve = await signUpUser(app.server, 'Eve');
  const { page } = await pageSignedInAs(app, eve);
  await page.goto(`/debriefs/${partners.exchangeId}`);
  await page
    .getByText(/not found|does not exist|other partners|no longer/i)
    .first()
    .waitFor();
  expect(await page.locator('svg.body-map__svg').count()).toBe(0);
});

it('signing out removes the debrief copies kept on the device', async () => {
  const copies = () =>
    ana.evaluate(async () =>
      (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('kneadback-debrief-')),
    );
  expect(await copies()).toEqual([`kneadback-debrief-${partners.exchangeId}`]);
  await ana.getByRole('button', { name: 'Sign out' }).click();
  await eventually(async () => expect(await copies()).toEqual([]), { timeout: 10_000 });
});
