// Driving a debrief in the browser: sign people in, open the debrief, tap the body map.
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import type { E2EApp } from './browser.ts';
import type { SignedUpUser } from './http-client.ts';

/** A browser context already signed in as `user` (the session cookie from the API sign-up), on `device` if given. */
export async function pageSignedInAs(
  app: E2EApp,
  user: SignedUpUser,
  device?: BrowserContextOptions,
): Promise<{ context: BrowserContext; page: Page }> {
  const { context, page } = await app.newPage(device);
  const [name, value] = user.cookieHeader.split('=') as [string, string];
  await context.addCookies([{ name, value, url: app.server.url, httpOnly: true, sameSite: 'Lax' }]);
  return { context, page };
}

export async function openDebrief(page: Page, exchangeId: string): Promise<void> {
  await page.goto(`/debriefs/${exchangeId}`);
  await page.getByRole('status').filter({ hasText: 'Live' }).first().waitFor();
}

/** Where a point given in view units (the shared body geometry's 400×800 box) is on the screen. */
export async function bodyPointOnScreen(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  return page.locator('svg.body-map__svg').evaluate(
    (svg, [vx, vy]) => {
      const el = svg as SVGSVGElement;
      const p = el.createSVGPoint();
      p.x = vx!;
      p.y = vy!;
      const s = p.matrixTransform(el.getScreenCTM()!);
      return { x: s.x, y: s.y };
    },
    [x, y],
  );
}

/** Taps the body map at a point given in view units (the shared body geometry's 400×800 box). */
export async function tapBody(page: Page, x: number, y: number): Promise<void> {
  const point = await bodyPointOnScreen(page, x, y);
  await page.mouse.click(point.x, point.y);
}

/** Switches the debrief to a round with the round switch (round 1: A gives to B; round 2: B gives to A). */
export async function switchRound(page: Page, round: 1 | 2): Promise<void> {
  const option = page.getByRole('radio', { name: new RegExp(`^Round ${round}:`) });
  await option.check({ force: true });
  await option.and(page.locator(':checked')).waitFor({ state: 'attached' });
}

/**
 * Taps the body at a view point and fills the new mark in as a pressure critique through the editor:
 * `felt` out of 10 and a verdict as the buttons name it ('Too light', 'Just right', 'Too deep').
 */
export async function placePressureMark(page: Page, at: { x: number; y: number }, felt: number, verdict: string) {
  await tapBody(page, at.x, at.y);
  const editor = page.locator('.annotation-editor');
  await editor.waitFor();
  await editor.getByRole('radio', { name: 'Pressure', exact: true }).check({ force: true });
  await editor.getByRole('radio', { name: `Felt ${felt} of 10`, exact: true }).check({ force: true });
  await editor.getByRole('radio', { name: verdict, exact: true }).check({ force: true });
  return editor;
}
