// The invite link on the exchanges page: when it stops working, withdrawing it, and what the
// partner then sees when they open it.
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAppForE2E, type E2EApp } from '../helpers/browser.ts';

let app: E2EApp;

beforeAll(async () => {
  app = await startAppForE2E();
});

afterAll(async () => {
  await app?.stop();
});

/** Signs the context in as a new user through the API (the cookie lands in the context). */
async function signUp(context: BrowserContext, name: string): Promise<void> {
  const email = `${name.toLowerCase()}-${randomBytes(4).toString('hex')}@test.kneadback.test`;
  const res = await context.request.post('/api/auth/signup', {
    data: { email, password: 'invite-e2e-password-1', displayName: name },
  });
  expect(res.status()).toBe(201);
}

it('shows until when the link works, lets its creator withdraw it, and tells the partner', async () => {
  const ana = await app.newPage();
  await signUp(ana.context, 'Ana');
  const created = await ana.context.request.post('/api/exchanges', { data: { date: '2026-12-20' } });
  const { id, inviteToken } = (await created.json()).exchange as { id: string; inviteToken: string };

  await ana.page.goto('/');
  await ana.page.getByText(/^The link works until .*\d{4}\.$/).waitFor();
  await ana.page.getByRole('button', { name: 'Withdraw link' }).click();
  await ana.page.getByText('Invite link withdrawn').waitFor();
  expect(await ana.page.getByRole('button', { name: 'Copy invite link' }).count()).toBe(0);

  const ben = await app.newPage();
  await signUp(ben.context, 'Ben');
  await ben.page.goto(`/join/${inviteToken}`);
  // opening the link joins nothing until the invitee says yes
  await ben.page.getByRole('button', { name: 'Join this exchange' }).click();
  await ben.page.getByText('Your partner withdrew this invite link; ask them for a new one').waitFor();

  // an expired link says so to its creator, and offers no copy button
  const second = await ana.context.request.post('/api/exchanges', { data: { date: '2026-12-21' } });
  const expiredId = (await second.json()).exchange.id as string;
  await app.server.connection
    .collection('exchanges')
    .updateOne({ _id: new Types.ObjectId(expiredId) }, { $set: { inviteExpiresAt: new Date('2026-01-05T12:00:00Z') } });
  await ana.page.reload();
  await ana.page.getByText(/^This invite link expired on .*January.*2026; it no longer lets anyone join\.$/).waitFor();
  expect(id).not.toBe(expiredId);
});

it('joins nobody by opening the link: the invitee joins by saying yes', async () => {
  const ana = await app.newPage();
  await signUp(ana.context, 'Ana');
  const created = await ana.context.request.post('/api/exchanges', { data: { date: '2026-12-22' } });
  const { id, inviteToken } = (await created.json()).exchange as { id: string; inviteToken: string };

  const ben = await app.newPage();
  await signUp(ben.context, 'Ben');
  await ben.page.goto(`/join/${inviteToken}`);
  const join = ben.page.getByRole('button', { name: 'Join this exchange' });
  await join.waitFor();
  const before = await (await ana.context.request.get(`/api/exchanges/${id}`)).json();
  expect(before.exchange.partnerB).toBeNull();

  await join.click();
  await ben.page.waitForURL(`**/debriefs/${id}`);
  const after = await (await ana.context.request.get(`/api/exchanges/${id}`)).json();
  expect(after.exchange.partnerB.displayName).toBe('Ben');
});
