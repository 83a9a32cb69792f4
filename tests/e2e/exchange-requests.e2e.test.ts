// Exchange requests in two real browsers: a request from a profile link, a counter-proposal seen live,
// acceptance, the debrief after the date, an endorsement and a referral; and a request by email from a stranger.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startAppForE2E, type E2EApp } from '../helpers/browser.ts';
import { openDebrief, pageSignedInAs } from '../helpers/e2e-debrief.ts';
import { moveIntoPast } from '../helpers/exchange-requests.ts';
import { signUpUser } from '../helpers/http-client.ts';

let app: E2EApp;

beforeAll(async () => {
  app = await startAppForE2E();
});

afterAll(async () => {
  await app?.stop();
});

/** A local datetime-local value `days` ahead at `hour`:00 (the browser runs in this process's time zone). */
function localInput(days: number, hour: number): string {
  const at = new Date();
  at.setDate(at.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(hour)}:00`;
}

function section(page: Page, name: string) {
  return page.getByRole('region', { name });
}

it('B requests from A’s profile link, A proposes another time live, B accepts; after the date the debrief opens; B vouches and refers', async () => {
  const anaUser = await signUpUser(app.server, 'Ana');
  const benUser = await signUpUser(app.server, 'Ben');
  const ana = await pageSignedInAs(app, anaUser);
  const ben = await pageSignedInAs(app, benUser);
  await ana.page.goto('/exchanges/requests');
  await ana.page.getByText('No requests yet').waitFor();

  await ben.page.goto(`/exchanges/request?with=${anaUser.user.id}`);
  await ben.page.getByLabel('When').fill(localInput(3, 10));
  await ben.page.getByRole('group', { name: 'You give' }).getByLabel('Shiatsu').check();
  await ben.page.getByRole('group', { name: 'You would like to receive' }).getByLabel('Deep tissue').check();
  await ben.page.getByLabel('Message (optional)').fill('Trade on Thursday?');
  await ben.page.getByRole('button', { name: 'Send request' }).click();
  await section(ben.page, 'Waiting for your partner').getByText('To Ana').waitFor();

  // live: a toast, and the request in Ana's open inbox without a reload
  await ana.page.getByRole('status').getByText('Ben asks for an exchange').waitFor();
  const inbox = section(ana.page, 'Waiting for your answer');
  await inbox.getByText('Trade on Thursday?').waitFor();
  await inbox.getByRole('button', { name: 'Propose another time' }).click();
  await inbox.getByLabel('Another time').fill(localInput(4, 15));
  await inbox.getByRole('button', { name: 'Send this time' }).click();
  await section(ana.page, 'Waiting for your partner').getByText('From Ben').waitFor();

  const benInbox = section(ben.page, 'Waiting for your answer');
  await benInbox.getByText(/First asked for/).waitFor();
  await benInbox.getByRole('button', { name: 'Accept' }).click();
  await section(ben.page, 'Accepted').getByText('To Ana').waitFor();
  await section(ana.page, 'Accepted').getByText('From Ben').waitFor();

  for (const { page, partner } of [
    { page: ana.page, partner: 'Ben' },
    { page: ben.page, partner: 'Ana' },
  ]) {
    await page.goto('/exchanges');
    await section(page, 'Coming up').getByText(`With ${partner}`, { exact: true }).waitFor();
  }

  // after the date: moved three days into the past through the test's database (the server reads the real clock)
  const list = await ben.context.request.get('/api/exchanges');
  const [booked] = ((await list.json()) as { exchanges: { id: string }[] }).exchanges;
  await moveIntoPast(app.server.connection, booked!.id, 3);
  await ana.page.reload();
  await section(ana.page, 'Earlier').getByText('With Ben', { exact: true }).waitFor();
  await section(ana.page, 'Earlier')
    .getByRole('link', { name: /Open debrief/ })
    .click();
  await ana.page.waitForURL(`**/debriefs/${booked!.id}`);
  await ana.page.getByRole('status').filter({ hasText: 'Live' }).first().waitFor();
  await openDebrief(ben.page, booked!.id);

  await ben.page.goto(`/partners/${anaUser.user.id}`);
  await ben.page.getByText('Given').waitFor();
  await ben.page.getByLabel('Skill').selectOption('deep-tissue');
  await ben.page.getByLabel('A word about it (optional)').fill('Precise and patient');
  await ben.page.getByRole('button', { name: 'Endorse', exact: true }).click();
  await ben.page.getByText('Endorsement saved.').waitFor();
  await ben.page.getByLabel('What for').fill('sports injury, knee');
  await ben.page.getByRole('button', { name: 'Record referral' }).click();
  await ben.page.getByText('You referred a client to Ana').waitFor();

  await ana.page.goto('/home');
  const endorsements = section(ana.page, 'Your endorsements');
  await endorsements.getByText('vouched for by Ben').waitFor();
  expect(await endorsements.textContent()).toContain('Deep tissue');
  expect(await endorsements.textContent()).toContain('Precise and patient');
  await ana.page.goto(`/partners/${benUser.user.id}`);
  await ana.page.getByText('Ben referred a client to you').waitFor();
});

it('a request by email from a stranger makes nobody a partner until accepted; declining shows the sender only "declined"', async () => {
  const anaUser = await signUpUser(app.server, 'Ana');
  const strangerUser = await signUpUser(app.server, 'Stranger');
  const ana = await pageSignedInAs(app, anaUser);
  const stranger = await pageSignedInAs(app, strangerUser);

  await stranger.page.goto('/exchanges/request');
  await stranger.page.getByLabel("Your partner's email").fill(anaUser.email);
  await stranger.page.getByLabel('When').fill(localInput(5, 11));
  await stranger.page.getByRole('group', { name: 'You give' }).getByLabel('Thai').check();
  await stranger.page.getByRole('button', { name: 'Send request' }).click();
  await section(stranger.page, 'Waiting for your partner').getByText(`To ${anaUser.email}`).waitFor();

  await ana.page.goto('/exchanges');
  await ana.page.getByRole('link', { name: 'Requests' }).click();
  const inbox = section(ana.page, 'Waiting for your answer');
  await inbox.getByText('From Stranger').waitFor();
  for (const context of [ana.context, stranger.context]) {
    const res = await context.request.get('/api/exchanges');
    expect((await res.json()).exchanges).toEqual([]);
  }
  await inbox.getByRole('button', { name: 'Decline' }).click();
  await section(ana.page, 'Declined or cancelled').getByText('From Stranger').waitFor();

  await stranger.page.reload();
  const declined = section(stranger.page, 'Declined or cancelled');
  await declined.getByText(`To ${anaUser.email}`).waitFor();
  await declined.getByText('Declined', { exact: true }).waitFor();
  expect(await stranger.page.locator('main').textContent()).not.toContain('Ana');
  const res = await stranger.context.request.get('/api/exchanges');
  expect((await res.json()).exchanges).toEqual([]);
});
