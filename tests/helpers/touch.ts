// A tablet in a real browser: a touchscreen and no mouse, so nothing can be hovered. Taps and gestures go through
// Chromium's touch input (CDP Input.dispatchTouchEvent), which raises the same pointer events a finger does.
import type { BrowserContextOptions, Page } from 'playwright-core';
import { bodyPointOnScreen } from './e2e-debrief.ts';

const TABLET: BrowserContextOptions = { hasTouch: true, isMobile: true, deviceScaleFactor: 1 };
/** An iPad-sized tablet held sideways, and upright. */
export const TABLET_LANDSCAPE: BrowserContextOptions = { ...TABLET, viewport: { width: 1024, height: 768 } };
export const TABLET_PORTRAIT: BrowserContextOptions = { ...TABLET, viewport: { width: 768, height: 1024 } };

interface Point {
  x: number;
  y: number;
}

/** A finger tap on the body map at a point in view units (the shared body geometry's 400×800 box). */
export async function fingerTapBody(page: Page, x: number, y: number): Promise<void> {
  const point = await bodyPointOnScreen(page, x, y);
  await page.touchscreen.tap(point.x, point.y);
}

/** Fingers on the screen moving together in straight lines, `from` to `to` (one finger: a drag; two: a pinch). */
export async function touchGesture(page: Page, fingers: readonly { from: Point; to: Point }[], steps = 10) {
  const cdp = await page.context().newCDPSession(page);
  const at = (t: number) =>
    fingers.map(({ from, to }, id) => ({ id, x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t }));
  try {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0) });
    for (let i = 1; i <= steps; i++) {
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(i / steps) });
    }
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  } finally {
    await cdp.detach();
  }
}

/** What of `selector` lies outside the viewport (0 when all of it is on screen), and how far the page scrolls. */
export async function offScreen(page: Page, selector: string): Promise<{ below: number; pageScroll: number }> {
  return page.locator(selector).evaluate((el) => {
    const box = el.getBoundingClientRect();
    return {
      below: Math.max(0, Math.round(box.bottom - window.innerHeight)),
      pageScroll: document.documentElement.scrollHeight - window.innerHeight,
    };
  });
}
