// Plain geometry for the body map, in SVG viewBox units so the same numbers drive drawing and hit testing.

/** Each view is drawn in a 0..BODY_VIEW_WIDTH x 0..BODY_VIEW_HEIGHT box; the figure's midline is x = 200. */
export const BODY_VIEW_WIDTH = 400;
export const BODY_VIEW_HEIGHT = 800;

/** Anterior: the figure faces the viewer. Posterior: the viewer looks at the figure's back. */
export const BODY_VIEWS = ['anterior', 'posterior'] as const;
export type BodyView = (typeof BODY_VIEWS)[number];

/** Plain-language names for the views; the UI must always say which one a mark is on. */
export const BODY_VIEW_LABELS: Record<BodyView, string> = {
  anterior: 'Front',
  posterior: 'Back',
};

export type Point = { x: number; y: number };

/** Vertex lists arrive either as points or as compact [x, y] pairs (the form the region catalogue is written in). */
export type Polygon = readonly Point[] | readonly (readonly [number, number])[];

function toPoints(polygon: Polygon): Point[] {
  return polygon.map((v: Point | readonly [number, number]) => ('x' in v ? v : { x: v[0], y: v[1] }));
}

/** Even-odd ray casting. Points exactly on an edge shared by two polygons belong to exactly one of them. */
export function pointInPolygon(p: Point, polygon: Polygon): boolean {
  const pts = toPoints(polygon);
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const a = pts[i]!;
    const b = pts[j]!;
    if (a.y > p.y === b.y > p.y) continue;
    // Neighbouring regions walk a shared edge in opposite directions; ordering the endpoints makes both compute
    // the bit-identical crossing, which is what keeps boundary points from landing in both regions or in neither.
    const [lo, hi] = a.y < b.y ? [a, b] : [b, a];
    const crossX = lo.x + ((p.y - lo.y) * (hi.x - lo.x)) / (hi.y - lo.y);
    if (p.x < crossX) inside = !inside;
  }
  return inside;
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSq = dx * dx + dy * dy;
  const t = lengthSq === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / lengthSq));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** 0 inside the polygon, otherwise the distance to its outline. */
export function distanceToPolygon(p: Point, polygon: Polygon): number {
  if (pointInPolygon(p, polygon)) return 0;
  const pts = toPoints(polygon);
  let best = Infinity;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    best = Math.min(best, distanceToSegment(p, pts[j]!, pts[i]!));
  }
  return best;
}

function formatNumber(n: number): string {
  // Two decimals is far below a screen pixel at any sensible zoom and keeps path strings short.
  return String(Math.round(n * 100) / 100);
}

/** SVG path `d` for a closed polygon. */
export function polygonToPath(polygon: Polygon): string {
  const pts = toPoints(polygon);
  if (pts.length === 0) return '';
  return `${pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${formatNumber(p.x)} ${formatNumber(p.y)}`).join(' ')} Z`;
}

/** Area centroid (where a label or a default marker goes); falls back to the vertex mean for degenerate input. */
export function polygonCentroid(polygon: Polygon): Point {
  const pts = toPoints(polygon);
  if (pts.length === 0) return { x: 0, y: 0 };
  let twiceArea = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const a = pts[j]!;
    const b = pts[i]!;
    const cross = a.x * b.y - b.x * a.y;
    twiceArea += cross;
    cx += (a.x + b.x) * cross;
    cy += (a.y + b.y) * cross;
  }
  if (Math.abs(twiceArea) < 1e-9) {
    return {
      x: pts.reduce((sum, p) => sum + p.x, 0) / pts.length,
      y: pts.reduce((sum, p) => sum + p.y, 0) / pts.length,
    };
  }
  return { x: cx / (3 * twiceArea), y: cy / (3 * twiceArea) };
}
