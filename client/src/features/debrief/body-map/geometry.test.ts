import { describe, expect, it } from 'vitest';
import {
  CLUSTER_DISTANCE_PX,
  clampScale,
  clampViewport,
  clusterForViewport,
  clusterPoints,
  DEFAULT_VIEWPORT,
  exceedsTapThreshold,
  fitScale,
  isInsideView,
  MAX_SCALE,
  panByScreen,
  pinchViewport,
  pixelsPerUnit,
  roundViewPoint,
  sameViewport,
  screenToView,
  viewToScreen,
  visibleRect,
  zoomAround,
  zoomBy,
  zoomToCluster,
} from './geometry.ts';
import type { Viewport } from './geometry.ts';

// A tablet in portrait: 600 x 1000 CSS px. The 400 x 800 view fits by height: 1.25 px per unit.
const TABLET = { width: 600, height: 1000 };
// A phone-ish wide stage: 800 x 400. Fits by height: 0.5 px per unit.
const WIDE = { width: 800, height: 400 };

function close(a: { x: number; y: number }, b: { x: number; y: number }, digits = 6) {
  expect(a.x).toBeCloseTo(b.x, digits);
  expect(a.y).toBeCloseTo(b.y, digits);
}

describe('fit and scale', () => {
  it('fits the whole view at scale 1 ("contain")', () => {
    expect(fitScale(TABLET)).toBe(1.25);
    expect(fitScale(WIDE)).toBe(0.5);
    expect(fitScale({ width: 400, height: 800 })).toBe(1);
  });

  it('falls back to a sane size before the stage is measured', () => {
    expect(fitScale({ width: 0, height: 0 })).toBe(1);
    expect(screenToView({ x: 200, y: 400 }, DEFAULT_VIEWPORT, { width: 0, height: 0 })).toEqual({ x: 200, y: 400 });
  });

  it('clamps the zoom to 1..8', () => {
    expect(clampScale(0.2)).toBe(1);
    expect(clampScale(3)).toBe(3);
    expect(clampScale(20)).toBe(8);
    expect(clampScale(Number.NaN)).toBe(1);
    expect(pixelsPerUnit({ scale: 20, x: 200, y: 400 }, TABLET)).toBe(1.25 * 8);
  });
});

describe('screen <-> view conversion', () => {
  it('maps the stage centre to the viewport centre at any zoom', () => {
    const vp: Viewport = { scale: 3, x: 150, y: 200 };
    close(screenToView({ x: 300, y: 500 }, vp, TABLET), { x: 150, y: 200 });
    close(viewToScreen({ x: 150, y: 200 }, vp, TABLET), { x: 300, y: 500 });
  });

  it('at scale 1 on a wider stage, the view is centred with margins left and right', () => {
    // 600 px wide stage, view is 400 * 1.25 = 500 px wide: 50 px margin each side.
    close(viewToScreen({ x: 0, y: 0 }, DEFAULT_VIEWPORT, TABLET), { x: 50, y: 0 });
    close(viewToScreen({ x: 400, y: 800 }, DEFAULT_VIEWPORT, TABLET), { x: 550, y: 1000 });
    close(screenToView({ x: 50, y: 1000 }, DEFAULT_VIEWPORT, TABLET), { x: 0, y: 800 });
  });

  it('distances scale with zoom', () => {
    const vp: Viewport = { scale: 4, x: 200, y: 300 };
    const a = viewToScreen({ x: 200, y: 300 }, vp, TABLET);
    const b = viewToScreen({ x: 210, y: 300 }, vp, TABLET);
    expect(b.x - a.x).toBeCloseTo(10 * 1.25 * 4);
  });

  it('round-trips', () => {
    const vp: Viewport = { scale: 2.5, x: 123, y: 456 };
    for (const p of [
      { x: 0, y: 0 },
      { x: 17.5, y: 999 },
      { x: 600, y: 1000 },
    ]) {
      close(viewToScreen(screenToView(p, vp, TABLET), vp, TABLET), p);
    }
  });

  it('visibleRect is the viewBox around the centre', () => {
    const r = visibleRect({ scale: 2, x: 200, y: 400 }, TABLET);
    expect(r.width).toBeCloseTo(600 / 2.5);
    expect(r.height).toBeCloseTo(1000 / 2.5);
    expect(r.x).toBeCloseTo(200 - r.width / 2);
    expect(r.y).toBeCloseTo(400 - r.height / 2);
  });

  it('knows the inside of the view box', () => {
    expect(isInsideView({ x: 0, y: 800 })).toBe(true);
    expect(isInsideView({ x: -0.1, y: 10 })).toBe(false);
    expect(isInsideView({ x: 10, y: 800.1 })).toBe(false);
  });
});

describe('clampViewport', () => {
  it('keeps the view centred when everything fits', () => {
    expect(clampViewport({ scale: 1, x: 10, y: 700 }, TABLET)).toEqual({ scale: 1, x: 200, y: 400 });
  });

  it('stops panning at the edge of the view', () => {
    // scale 2 on the tablet: visible 240 x 400 units, so x in [120, 280], y in [200, 600]
    expect(clampViewport({ scale: 2, x: 0, y: 0 }, TABLET)).toEqual({ scale: 2, x: 120, y: 200 });
    expect(clampViewport({ scale: 2, x: 999, y: 999 }, TABLET)).toEqual({ scale: 2, x: 280, y: 600 });
    expect(clampViewport({ scale: 2, x: 150, y: 300 }, TABLET)).toEqual({ scale: 2, x: 150, y: 300 });
  });

  it('clamps a partner viewport to this screen (same centre where possible)', () => {
    // The wide stage shows 1600 x 800 units at scale 1 and 400 x 200 at scale 4.
    expect(clampViewport({ scale: 4, x: 100, y: 150 }, WIDE)).toEqual({ scale: 4, x: 200, y: 150 });
  });

  it('repairs junk', () => {
    expect(clampViewport({ scale: Number.NaN, x: Number.NaN, y: Infinity }, TABLET)).toEqual(DEFAULT_VIEWPORT);
  });
});

describe('zoom and pan', () => {
  it('zoomAround keeps the point under the cursor fixed', () => {
    const anchor = { x: 420, y: 260 };
    const before = screenToView(anchor, DEFAULT_VIEWPORT, TABLET);
    const next = zoomAround(DEFAULT_VIEWPORT, TABLET, anchor, 3);
    expect(next.scale).toBe(3);
    close(screenToView(anchor, next, TABLET), before);
  });

  it('zoomAround clamps scale and position', () => {
    const next = zoomAround(DEFAULT_VIEWPORT, TABLET, { x: 0, y: 0 }, 100);
    expect(next.scale).toBe(MAX_SCALE);
    expect(next).toEqual(clampViewport(next, TABLET));
    expect(zoomAround({ scale: 3, x: 100, y: 100 }, TABLET, { x: 10, y: 10 }, 0.1)).toEqual(DEFAULT_VIEWPORT);
  });

  it('zoomBy zooms around the centre', () => {
    const next = zoomBy({ scale: 2, x: 150, y: 300 }, TABLET, 1.5);
    expect(next).toEqual({ scale: 3, x: 150, y: 300 });
  });

  it('panByScreen moves the content with the finger', () => {
    const vp: Viewport = { scale: 4, x: 200, y: 400 };
    const next = panByScreen(vp, TABLET, 50, -100);
    // 5 px per unit: the finger moved 10 units right and 20 up, so the centre moves 10 left and 20 down.
    expect(next).toEqual({ scale: 4, x: 190, y: 420 });
    // The point that was under the finger is still under it.
    const start = { x: 300, y: 500 };
    close(viewToScreen(screenToView(start, vp, TABLET), next, TABLET), { x: 350, y: 400 });
  });

  it('does not pan at scale 1', () => {
    expect(panByScreen(DEFAULT_VIEWPORT, TABLET, 200, 200)).toEqual(DEFAULT_VIEWPORT);
  });

  it('pinch zooms by the finger distance ratio and pans with the midpoint', () => {
    const start: Viewport = { scale: 2, x: 200, y: 400 };
    const from = { mid: { x: 300, y: 500 }, distance: 100 };
    const to = { mid: { x: 320, y: 480 }, distance: 150 };
    const next = pinchViewport(start, TABLET, from, to);
    expect(next.scale).toBeCloseTo(3);
    // The body point under the starting midpoint is under the current midpoint.
    close(viewToScreen(screenToView(from.mid, start, TABLET), next, TABLET), to.mid);
  });

  it('pinch clamps and ignores degenerate distances', () => {
    const start: Viewport = { scale: 2, x: 200, y: 400 };
    const mid = { x: 300, y: 500 };
    expect(pinchViewport(start, TABLET, { mid, distance: 10 }, { mid, distance: 1000 }).scale).toBe(MAX_SCALE);
    expect(pinchViewport(start, TABLET, { mid, distance: 0 }, { mid, distance: 50 })).toEqual(start);
  });

  it('tells taps from drags with an 8px threshold', () => {
    expect(exceedsTapThreshold({ x: 0, y: 0 }, { x: 5, y: 6 })).toBe(false); // 7.8 px
    expect(exceedsTapThreshold({ x: 0, y: 0 }, { x: 6, y: 6 })).toBe(true); // 8.5 px
  });

  it('compares viewports within epsilon', () => {
    expect(sameViewport({ scale: 2, x: 1, y: 2 }, { scale: 2 + 1e-9, x: 1, y: 2 })).toBe(true);
    expect(sameViewport({ scale: 2, x: 1, y: 2 }, { scale: 2, x: 1.1, y: 2 })).toBe(false);
  });

  it('rounds view points to a tenth and into the box', () => {
    expect(roundViewPoint({ x: 12.345, y: -3 })).toEqual({ x: 12.3, y: 0 });
    expect(roundViewPoint({ x: 401, y: 799.96 })).toEqual({ x: 400, y: 800 });
  });
});

describe('clustering', () => {
  const p = (id: string, x: number, y: number) => ({ id, x, y });

  it('keeps distant points apart and groups close ones', () => {
    const clusters = clusterPoints([p('a', 10, 10), p('b', 12, 11), p('c', 100, 100), p('d', 13, 9)], 5);
    expect(clusters.map((c) => c.members.map((m) => m.id))).toEqual([['a', 'b', 'd'], ['c']]);
    const first = clusters[0]!;
    expect(first.id).toBe('a');
    expect(first.x).toBeCloseTo(35 / 3);
    expect(first.y).toBeCloseTo(10);
  });

  it('groups neighbours across grid cell boundaries', () => {
    // 9.9 and 10.1 fall in different cells of size 10 but are 0.2 apart.
    const clusters = clusterPoints([p('a', 9.9, 5), p('b', 10.1, 5)], 10);
    expect(clusters).toHaveLength(1);
  });

  it('does not chain: a point joins only a seed within the radius', () => {
    const clusters = clusterPoints([p('a', 0, 0), p('b', 8, 0), p('c', 16, 0)], 10);
    expect(clusters.map((c) => c.members.map((m) => m.id))).toEqual([['a', 'b'], ['c']]);
  });

  it('puts every point in exactly one cluster', () => {
    const points = Array.from({ length: 500 }, (_, i) => p(`m${i}`, (i * 37) % 400, (i * 91) % 800));
    const clusters = clusterPoints(points, 24);
    const ids = clusters.flatMap((c) => c.members.map((m) => m.id));
    expect(ids).toHaveLength(500);
    expect(new Set(ids).size).toBe(500);
  });

  it('handles a zero radius and empty input', () => {
    expect(clusterPoints([p('a', 1, 1), p('b', 1, 1)], 0)).toHaveLength(2);
    expect(clusterPoints([], 10)).toEqual([]);
  });

  it('clusters by screen distance, so zooming in splits clusters', () => {
    // Two marks 10 view units apart on the tablet: 12.5 px at scale 1 (< 24 px), 25 px at scale 2.
    const points = [p('a', 200, 300), p('b', 210, 300)];
    expect(clusterForViewport(points, DEFAULT_VIEWPORT, TABLET)).toHaveLength(1);
    expect(clusterForViewport(points, { scale: 2, x: 200, y: 300 }, TABLET)).toHaveLength(2);
    expect(CLUSTER_DISTANCE_PX).toBe(24);
  });
});

describe('zoomToCluster', () => {
  it('centres on the cluster and zooms in enough to split it', () => {
    const members = [
      { x: 200, y: 300 },
      { x: 210, y: 300 },
    ];
    const next = zoomToCluster(DEFAULT_VIEWPORT, TABLET, { x: 205, y: 300, members })!;
    expect(next.x).toBeCloseTo(205);
    expect(next.y).toBeCloseTo(300);
    // Members 5 units from the centre need 36 px / (1.25 * 5) = 5.76x to sit 1.5 cluster distances from it.
    expect(next.scale).toBeCloseTo(5.76);
    const ids = [
      { id: 'a', ...members[0]! },
      { id: 'b', ...members[1]! },
    ];
    expect(clusterForViewport(ids, next, TABLET)).toHaveLength(2);
  });

  it('at least doubles the zoom and goes to the maximum for coincident marks', () => {
    const spread = [
      { x: 100, y: 100 },
      { x: 140, y: 100 },
    ];
    expect(zoomToCluster(DEFAULT_VIEWPORT, TABLET, { x: 120, y: 100, members: spread })!.scale).toBe(2);
    const same = [
      { x: 100, y: 100 },
      { x: 100, y: 100 },
    ];
    expect(zoomToCluster(DEFAULT_VIEWPORT, TABLET, { x: 100, y: 100, members: same })!.scale).toBe(MAX_SCALE);
  });

  it('returns null at the maximum zoom (the caller selects instead)', () => {
    const members = [
      { x: 100, y: 100 },
      { x: 100, y: 100 },
    ];
    expect(zoomToCluster({ scale: MAX_SCALE, x: 100, y: 100 }, TABLET, { x: 100, y: 100, members })).toBeNull();
  });

  it('keeps the result inside the view', () => {
    const members = [
      { x: 2, y: 2 },
      { x: 4, y: 4 },
    ];
    const next = zoomToCluster(DEFAULT_VIEWPORT, TABLET, { x: 3, y: 3, members })!;
    expect(next).toEqual(clampViewport(next, TABLET));
  });
});
