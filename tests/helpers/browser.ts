// Headless Chromium (Debian's /usr/bin/chromium driven by playwright-core) against a real server.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { startTestServer, type TestServer, type TestServerOverrides } from './test-server.ts';
import type {} from './global-setup.ts'; // the ProvidedContext declaration

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install it with "sudo apt-get install -y chromium"`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

export interface E2EApp {
  server: TestServer;
  browser: Browser;
  /** A fresh browser context (own cookies and storage) with a page pointed at the app; `device` e.g. a tablet. */
  newPage(device?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
  stop(): Promise<void>;
}

/**
 * The built client served by a test server (SERVE_CLIENT=true), plus a browser.
 * The e2e project's global setup builds client/ when client/dist is stale.
 */
export async function startAppForE2E(overrides: TestServerOverrides = {}): Promise<E2EApp> {
  const build = inject('clientBuild');
  if (!build?.ready)
    throw new Error(`the client is not built, so e2e tests cannot run: ${build?.problem ?? 'unknown'}`);

  const server = await startTestServer({ SERVE_CLIENT: 'true', ...overrides });
  let browser: Browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await server.stop();
    throw err;
  }
  const contexts: BrowserContext[] = [];
  return {
    server,
    browser,
    async newPage(device = {}) {
      const context = await browser.newContext({ ...device, baseURL: server.url });
      context.setDefaultTimeout(15_000);
      contexts.push(context);
      return { context, page: await context.newPage() };
    },
    async stop() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await server.stop();
    },
  };
}
