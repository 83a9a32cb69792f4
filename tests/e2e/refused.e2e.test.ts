// A device whose changes the server refuses must not stay stuck re-sending them.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAppForE2E, type E2EApp } from '../helpers/browser.ts';
import { createPartners, type Partners } from '../helpers/debrief-fixtures.ts';
import { openDebrief, pageSignedInAs, tapBody } from '../helpers/e2e-debrief.ts';

let app: E2EApp;
let partners: Partners;

beforeAll(async () => {
  app = await startAppForE2E();
  partners = await createPartners(app.server);
});

afterAll(async () => {
  await app?.stop();
});

it('a tablet whose clock runs hours ahead has its refused marks discarded, says so, and is live again', async () => {
  const { page } = await pageSignedInAs(app, partners.a);
  await openDebrief(page, partners.exchangeId);
  // Marks from this device now carry creation times three hours in the future: the server refuses them.
  await page.clock.setSystemTime(Date.now() + 3 * 3_600_000);
  await tapBody(page, 170, 149);
  await page
    .getByText(/refused by the server and have been discarded/)
    .first()
    .waitFor({ timeout: 20_000 });
  await page.clock.setSystemTime(Date.now());
  await page.getByRole('status').filter({ hasText: 'Live' }).first().waitFor({ timeout: 20_000 });
  expect(await page.locator('.mark-row').count()).toBe(0);
  for (const partner of [partners.a, partners.b]) {
    expect((await partner.client.get('/api/review/critiques')).body.total).toBe(0);
  }
});
