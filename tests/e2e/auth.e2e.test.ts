// Sign up, sign out and sign in again through the real UI in headless Chromium.
import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, startAppForE2E, type E2EApp } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

describe('the browser harness', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('reaches a test server from headless Chromium', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${server.url}/healthz`);
    expect(res?.status()).toBe(200);
    expect(JSON.parse(await page.locator('body').innerText())).toMatchObject({ database: 'connected' });
    await page.close();
  });
});

describe('accounts in the browser', () => {
  let app: E2EApp;
  beforeAll(async () => {
    app = await startAppForE2E();
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** Signed in: the display name and a "Sign out" button are on the page (in the header). */
  async function expectSignedInAs(page: Page, displayName: string): Promise<void> {
    await page.getByText(displayName).first().waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'visible' });
  }

  it('signs up, signs out and signs in again', async () => {
    const suffix = randomBytes(4).toString('hex');
    const email = `e2e-${suffix}@test.kneadback.test`;
    const password = `e2e-pass-${suffix}-9`;
    const displayName = `Ana E2E ${suffix}`;
    const { page } = await app.newPage();

    await page.goto('/signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Display name').fill(displayName);
    await page.getByRole('button', { name: 'Create account' }).click();
    await expectSignedInAs(page, displayName);

    // the session is a cookie, not page state: it survives a reload
    await page.reload();
    await expectSignedInAs(page, displayName);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor({ state: 'detached' });
    expect((await page.request.get('/api/auth/me')).status()).toBe(401);

    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectSignedInAs(page, displayName);
    expect((await page.request.get('/api/auth/me')).status()).toBe(200);
  });
});
