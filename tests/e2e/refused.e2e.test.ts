// A device whose changes the server refuses must not stay stuck re-sending them; a tab refused its
// live connection says why.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import { MAX_EVENT_CONNECTIONS_PER_USER } from '@kneadback/shared/events';
import { startAppForE2E, type E2EApp } from '../helpers/browser.ts';
import { createPartners, type Partners } from '../helpers/debrief-fixtures.ts';
import { openDebrief, pageSignedInAs, tapBody } from '../helpers/e2e-debrief.ts';
import { signUpUser } from '../helpers/http-client.ts';

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

it("a tab past the account's live connections says so in words", async () => {
  const crowded = await signUpUser(app.server, 'Crowded');
  // the other tabs and devices, already connected
  const others: Socket[] = [];
  try {
    for (let i = 0; i < MAX_EVENT_CONNECTIONS_PER_USER; i++) {
      const socket = io(app.server.url, {
        transports: ['websocket'],
        extraHeaders: { cookie: crowded.cookieHeader },
        reconnection: false,
        forceNew: true,
      });
      others.push(socket);
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject));
    }
    const { page } = await pageSignedInAs(app, crowded);
    await page.goto('/home');
    await page
      .getByText(/Kneadback is open in more than 20 tabs or devices on your account/)
      .first()
      .waitFor({ timeout: 15_000 });
  } finally {
    for (const socket of others) socket.disconnect();
  }
});
