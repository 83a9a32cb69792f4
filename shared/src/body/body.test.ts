import { describe, expect, it } from 'vitest';
import {
  BODY_REGIONS,
  BODY_SILHOUETTE,
  BODY_VIEW_HEIGHT,
  BODY_VIEW_WIDTH,
  BODY_VIEWS,
  distanceToPolygon,
  isKnownRegionId,
  pointInPolygon,
  polygonCentroid,
  polygonToPath,
  regionAt,
  regionById,
  regionsOfView,
  sideLabel,
} from './index.ts';
import type { BodyRegion, Point } from './index.ts';

const MIDLINE_X = BODY_VIEW_WIDTH / 2;
const sided = BODY_REGIONS.filter((r) => r.side !== 'midline');

/** Off-integer offsets so samples do not sit exactly on the integer-vertex outlines. */
function grid(step: number): Point[] {
  const points: Point[] = [];
  for (let x = 0.37; x < BODY_VIEW_WIDTH; x += step) {
    for (let y = 0.61; y < BODY_VIEW_HEIGHT; y += step) points.push({ x, y });
  }
  return points;
}

describe('geometry', () => {
  const square: [number, number][] = [
    [0, 0],
    [10, 0],
    [10, 10],
    [0, 10],
  ];

  it('tests containment for pairs and points alike', () => {
    expect(pointInPolygon({ x: 5, y: 5 }, square)).toBe(true);
    expect(pointInPolygon({ x: 15, y: 5 }, square)).toBe(false);
    expect(
      pointInPolygon({ x: 5, y: 5 }, [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 5, y: 10 },
      ]),
    ).toBe(true);
  });

  it('puts a point on an edge shared by two polygons in exactly one of them', () => {
    const right: [number, number][] = [
      [10, 0],
      [20, 0],
      [20, 10],
      [10, 10],
    ];
    const onEdge = { x: 10, y: 5 };
    expect(Number(pointInPolygon(onEdge, square)) + Number(pointInPolygon(onEdge, right))).toBe(1);
  });

  it('computes centroid, path and distance', () => {
    expect(polygonCentroid(square)).toEqual({ x: 5, y: 5 });
    expect(polygonToPath(square)).toBe('M0 0 L10 0 L10 10 L0 10 Z');
    expect(distanceToPolygon({ x: 13, y: 14 }, square)).toBeCloseTo(5);
    expect(distanceToPolygon({ x: 3, y: 3 }, square)).toBe(0);
  });
});

describe('region catalogue', () => {
  it('has unique, kebab-case ids made of view, muscle and side', () => {
    const ids = BODY_REGIONS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of BODY_REGIONS) {
      expect(r.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(r.id.startsWith(`${r.view}-`)).toBe(true);
      if (r.side === 'midline') expect(r.id).not.toMatch(/-(left|right)$/);
      else expect(r.id.endsWith(`-${r.side}`)).toBe(true);
    }
  });

  it('has at least 40 sided regions', () => {
    expect(sided.length).toBeGreaterThanOrEqual(40);
  });

  it('gives every sided region an exactly mirrored twin on the other side of the same view', () => {
    for (const r of sided) {
      const otherSide = r.side === 'left' ? 'right' : 'left';
      const twin = BODY_REGIONS.find(
        (t) => t.view === r.view && t.side === otherSide && t.id === r.id.replace(/-(left|right)$/, `-${otherSide}`),
      );
      expect(twin, r.id).toBeDefined();
      expect(twin!.muscle).toBe(r.muscle);
      const mirrored = r.outline.map(([x, y]) => `${BODY_VIEW_WIDTH - x},${y}`).sort();
      expect(twin!.outline.map(([x, y]) => `${x},${y}`).sort()).toEqual(mirrored);
    }
  });

  it('names the side in every sided label, and only the right one', () => {
    for (const r of sided) {
      const side = r.side === 'left' ? 'Left' : 'Right';
      expect(r.label.startsWith(`${side} `), r.label).toBe(true);
      expect(r.label).not.toMatch(r.side === 'left' ? /right/i : /left/i);
    }
  });

  it("places the receiver's left on the viewer's left only on the back view", () => {
    for (const r of sided) {
      const onScreenLeft = (r.view === 'posterior') === (r.side === 'left');
      for (const [x] of r.outline) {
        if (onScreenLeft) expect(x, r.id).toBeLessThanOrEqual(MIDLINE_X);
        else expect(x, r.id).toBeGreaterThanOrEqual(MIDLINE_X);
      }
    }
    expect(polygonCentroid(regionById('posterior-upper-trapezius-left')!.outline).x).toBeLessThan(MIDLINE_X);
    expect(polygonCentroid(regionById('anterior-pectoralis-left')!.outline).x).toBeGreaterThan(MIDLINE_X);
    expect(regionAt('posterior', { x: 150, y: 155 })?.id).toBe('posterior-upper-trapezius-left');
    expect(regionAt('anterior', { x: 250, y: 200 })?.id).toBe('anterior-pectoralis-left');
    expect(sideLabel('posterior')).toEqual({ screenLeft: "Receiver's left", screenRight: "Receiver's right" });
    expect(sideLabel('anterior')).toEqual({ screenLeft: "Receiver's right", screenRight: "Receiver's left" });
  });

  it('keeps midline regions symmetric around the midline', () => {
    for (const r of BODY_REGIONS.filter((m) => m.side === 'midline')) {
      const points = r.outline.map(([x, y]) => `${x},${y}`).sort();
      expect(r.outline.map(([x, y]) => `${BODY_VIEW_WIDTH - x},${y}`).sort(), r.id).toEqual(points);
    }
  });

  it('covers every catalogue muscle group on at least one view', () => {
    const keys = new Set(
      BODY_REGIONS.map((r) => r.id.replace(/^(anterior|posterior)-/, '').replace(/-(left|right)$/, '')),
    );
    for (const key of [
      'scalp',
      'masseter',
      'temporalis',
      'scm',
      'scalenes',
      'suboccipitals',
      'upper-trapezius',
      'levator-scapulae',
      'middle-trapezius',
      'lower-trapezius',
      'rhomboids',
      'infraspinatus-teres',
      'latissimus-dorsi',
      'thoracic-erector-spinae',
      'lumbar-erector-spinae',
      'quadratus-lumborum',
      'gluteus-maximus',
      'gluteus-medius',
      'piriformis',
      'hamstrings',
      'adductors',
      'quadriceps',
      'it-band-tfl',
      'gastrocnemius-soleus',
      'tibialis-anterior',
      'plantar-foot',
      'dorsal-foot',
      'pectoralis',
      'anterior-deltoid',
      'medial-deltoid',
      'posterior-deltoid',
      'biceps',
      'triceps',
      'forearm-flexors',
      'forearm-extensors',
      'hand',
      'abdomen',
      'intercostals',
    ]) {
      expect(keys.has(key), key).toBe(true);
    }
  });
});

describe('region outlines', () => {
  it('resolves the centroid of each region to that region', () => {
    for (const r of BODY_REGIONS) {
      expect(regionAt(r.view, polygonCentroid(r.outline))?.id).toBe(r.id);
    }
  });

  it('never puts a point in two regions of one view', () => {
    const points = grid(2);
    for (const view of BODY_VIEWS) {
      const regions = regionsOfView(view);
      for (const p of points) {
        const hits = regions.filter((r) => pointInPolygon(p, r.outline));
        if (hits.length > 1) expect.fail(`${view} (${p.x}, ${p.y}) is in ${hits.map((h) => h.id).join(' and ')}`);
      }
    }
  });

  it('tiles the silhouette: every point inside the figure is in some region, none outside it', () => {
    const points = grid(2);
    for (const view of BODY_VIEWS) {
      const regions = regionsOfView(view);
      for (const p of points) {
        const inFigure = pointInPolygon(p, BODY_SILHOUETTE[view]);
        const inRegion = regions.some((r) => pointInPolygon(p, r.outline));
        if (inFigure !== inRegion) expect.fail(`${view} (${p.x}, ${p.y}): figure ${inFigure}, region ${inRegion}`);
      }
    }
  });

  it('keeps outlines simple (no self-intersections) and inside the view box', () => {
    const cross = (o: Point, a: Point, b: Point) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
    const properlyIntersect = (a: Point, b: Point, c: Point, d: Point) =>
      cross(a, b, c) * cross(a, b, d) < 0 && cross(c, d, a) * cross(c, d, b) < 0;
    const check = (id: string, outline: readonly [number, number][]) => {
      const p = outline.map(([x, y]) => ({ x, y }));
      expect(new Set(outline.map(([x, y]) => `${x},${y}`)).size, id).toBe(outline.length);
      for (const { x, y } of p) {
        expect(x >= 0 && x <= BODY_VIEW_WIDTH && y >= 0 && y <= BODY_VIEW_HEIGHT, id).toBe(true);
      }
      for (let i = 0; i < p.length; i++) {
        for (let j = i + 2; j < p.length; j++) {
          if (i === 0 && j === p.length - 1) continue;
          const hit = properlyIntersect(p[i]!, p[(i + 1) % p.length]!, p[j]!, p[(j + 1) % p.length]!);
          expect(hit, `${id} edges ${i} and ${j} cross`).toBe(false);
        }
      }
    };
    for (const r of BODY_REGIONS) check(r.id, r.outline);
    for (const view of BODY_VIEWS) check(`${view} silhouette`, BODY_SILHOUETTE[view]);
  });
});

describe('lookup', () => {
  it('finds regions by id', () => {
    const r: BodyRegion | undefined = regionById('posterior-upper-trapezius-left');
    expect(r?.label).toBe('Left upper trapezius');
    expect(regionById('anterior-abdomen')?.side).toBe('midline');
    expect(regionById('nope')).toBeUndefined();
    expect(isKnownRegionId('anterior-pectoralis-right')).toBe(true);
    expect(isKnownRegionId('posterior-pectoralis-right')).toBe(false);
  });

  it('lists the regions of one view', () => {
    for (const view of BODY_VIEWS) {
      const regions = regionsOfView(view);
      expect(regions.length).toBeGreaterThan(0);
      expect(regions.every((r) => r.view === view)).toBe(true);
    }
    expect(regionsOfView('anterior').length + regionsOfView('posterior').length).toBe(BODY_REGIONS.length);
  });

  it('snaps a near miss to the nearest region and ignores far misses', () => {
    // Just outside the outer edge of the receiver's left upper arm on the back view (viewer's left).
    expect(regionAt('posterior', { x: 90, y: 250 })?.id).toBe('posterior-triceps-left');
    expect(regionAt('anterior', { x: 310, y: 250 })?.id).toBe('anterior-biceps-left');
    expect(regionAt('posterior', { x: 5, y: 5 })).toBeNull();
    expect(regionAt('anterior', { x: 5, y: 5 })).toBeNull();
    expect(regionAt('anterior', { x: 200, y: 795 + 20 })).toBeNull();
  });
});
