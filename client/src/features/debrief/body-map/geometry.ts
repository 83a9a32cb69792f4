// Pure geometry for the body map: screen <-> view coordinates under zoom/pan, gesture maths and mark clustering.
// No DOM, no React: everything here is unit-tested in node.
//
// Two coordinate systems:
//   - view units: the 400 x 800 box of one body view (BODY_VIEW_WIDTH x BODY_VIEW_HEIGHT), what marks store;
//   - screen pixels: CSS pixels relative to the top-left corner of the map's drawing area (the "stage").
// At scale 1 the whole view fits the stage ("contain"); a Viewport says how far we zoomed in and which point of the
// view sits at the centre of the stage. Because the viewport is expressed in view units and relative zoom, it means
// the same thing on two tablets of different sizes, which is what "follow my partner" needs.

import { BODY_VIEW_HEIGHT, BODY_VIEW_WIDTH } from '@kneadback/shared/body/index';
import type { Point } from '@kneadback/shared/body/index';

export type { Point };

/** Controlled zoom/pan state of a BodyMap. */
export interface Viewport {
  /** Zoom relative to "whole view fits": 1 (MIN_SCALE) .. 8 (MAX_SCALE). */
  scale: number;
  /** View-unit x (0..400) of the point shown at the centre of the map. */
  x: number;
  /** View-unit y (0..800) of the point shown at the centre of the map. */
  y: number;
}

/** Size of the drawing area in CSS pixels. */
export interface Size {
  width: number;
  height: number;
}

/** A view-unit rectangle (what an SVG viewBox takes). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const MIN_SCALE = 1;
export const MAX_SCALE = 8;
/** Whole view, centred. */
export const DEFAULT_VIEWPORT: Viewport = Object.freeze({
  scale: 1,
  x: BODY_VIEW_WIDTH / 2,
  y: BODY_VIEW_HEIGHT / 2,
});
/** A pointer that travels less than this (CSS px) between down and up is a tap; more is a drag or pan. */
export const TAP_THRESHOLD_PX = 8;
/** Marks closer than this on screen are grouped into one cluster bubble. */
export const CLUSTER_DISTANCE_PX = 24;

/** Used before the stage has been measured; any positive size works, the real one arrives on the next frame. */
const FALLBACK_SIZE: Size = { width: BODY_VIEW_WIDTH, height: BODY_VIEW_HEIGHT };

function usableSize(size: Size): Size {
  return size.width > 0 && size.height > 0 ? size : FALLBACK_SIZE;
}

export function clampScale(scale: number): number {
  if (!Number.isFinite(scale)) return MIN_SCALE;
  return Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale));
}

/** CSS pixels per view unit at scale 1: the whole 400 x 800 view fits the stage. */
export function fitScale(size: Size): number {
  const s = usableSize(size);
  return Math.min(s.width / BODY_VIEW_WIDTH, s.height / BODY_VIEW_HEIGHT);
}

/** CSS pixels per view unit at the viewport's zoom. Divide a screen length by this to get view units. */
export function pixelsPerUnit(viewport: Viewport, size: Size): number {
  return fitScale(size) * clampScale(viewport.scale);
}

function clampAxis(centre: number, visible: number, extent: number): number {
  if (!Number.isFinite(centre)) return extent / 2;
  // Zoomed out further than the view on this axis: keep it centred.
  if (visible >= extent) return extent / 2;
  return Math.min(extent - visible / 2, Math.max(visible / 2, centre));
}

/**
 * The viewport as it can actually be shown on a stage of this size: scale within 1..8 and the centre moved so the
 * map never pans past the edge of the view. Apply it to anything that comes from outside (a partner's viewport).
 */
export function clampViewport(viewport: Viewport, size: Size): Viewport {
  const s = usableSize(size);
  const scale = clampScale(viewport.scale);
  const ppu = fitScale(s) * scale;
  return {
    scale,
    x: clampAxis(viewport.x, s.width / ppu, BODY_VIEW_WIDTH),
    y: clampAxis(viewport.y, s.height / ppu, BODY_VIEW_HEIGHT),
  };
}

/** The part of the view visible on the stage, in view units (use it as the SVG viewBox). */
export function visibleRect(viewport: Viewport, size: Size): Rect {
  const s = usableSize(size);
  const ppu = pixelsPerUnit(viewport, s);
  const width = s.width / ppu;
  const height = s.height / ppu;
  return { x: viewport.x - width / 2, y: viewport.y - height / 2, width, height };
}

/** Stage pixel -> view units. */
export function screenToView(screen: Point, viewport: Viewport, size: Size): Point {
  const s = usableSize(size);
  const ppu = pixelsPerUnit(viewport, s);
  return {
    x: viewport.x + (screen.x - s.width / 2) / ppu,
    y: viewport.y + (screen.y - s.height / 2) / ppu,
  };
}

/** View units -> stage pixel. */
export function viewToScreen(point: Point, viewport: Viewport, size: Size): Point {
  const s = usableSize(size);
  const ppu = pixelsPerUnit(viewport, s);
  return {
    x: s.width / 2 + (point.x - viewport.x) * ppu,
    y: s.height / 2 + (point.y - viewport.y) * ppu,
  };
}

/** True when the point lies inside the 400 x 800 view box. */
export function isInsideView(point: Point): boolean {
  return point.x >= 0 && point.x <= BODY_VIEW_WIDTH && point.y >= 0 && point.y <= BODY_VIEW_HEIGHT;
}

/**
 * Zoom to `scale`, keeping the view point under `anchor` (a stage pixel) where it is: wheel zoom towards the cursor,
 * buttons and keys zoom around the stage centre. The result is clamped.
 */
export function zoomAround(viewport: Viewport, size: Size, anchor: Point, scale: number): Viewport {
  const s = usableSize(size);
  const current = clampViewport(viewport, s);
  const under = screenToView(anchor, current, s);
  const nextScale = clampScale(scale);
  const ppu = fitScale(s) * nextScale;
  return clampViewport(
    {
      scale: nextScale,
      x: under.x - (anchor.x - s.width / 2) / ppu,
      y: under.y - (anchor.y - s.height / 2) / ppu,
    },
    s,
  );
}

/** Zoom by a factor (>1 zooms in) around the stage centre. */
export function zoomBy(viewport: Viewport, size: Size, factor: number): Viewport {
  const s = usableSize(size);
  return zoomAround(viewport, s, { x: s.width / 2, y: s.height / 2 }, clampScale(viewport.scale) * factor);
}

/** Move the content by (dx, dy) screen pixels, as a finger or mouse drag does (content follows the pointer). */
export function panByScreen(viewport: Viewport, size: Size, dx: number, dy: number): Viewport {
  const s = usableSize(size);
  const current = clampViewport(viewport, s);
  const ppu = pixelsPerUnit(current, s);
  return clampViewport({ scale: current.scale, x: current.x - dx / ppu, y: current.y - dy / ppu }, s);
}

/** A two-finger gesture: where the fingers' midpoint was and how far apart they were (stage pixels). */
export interface PinchFrame {
  mid: Point;
  distance: number;
}

/**
 * Pinch-zoom and two-finger pan in one: the view point that was under the fingers' midpoint at the start stays
 * under the current midpoint, and the scale follows the change in finger distance. Computed from the gesture's start
 * each time, so rounding never accumulates.
 */
export function pinchViewport(start: Viewport, size: Size, from: PinchFrame, to: PinchFrame): Viewport {
  const s = usableSize(size);
  const initial = clampViewport(start, s);
  const anchor = screenToView(from.mid, initial, s);
  const ratio = from.distance > 0 && to.distance > 0 ? to.distance / from.distance : 1;
  const scale = clampScale(initial.scale * ratio);
  const ppu = fitScale(s) * scale;
  return clampViewport(
    {
      scale,
      x: anchor.x - (to.mid.x - s.width / 2) / ppu,
      y: anchor.y - (to.mid.y - s.height / 2) / ppu,
    },
    s,
  );
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

/** Whether a pointer that went down at `start` and is now at `end` has become a drag (screen pixels). */
export function exceedsTapThreshold(start: Point, end: Point, threshold = TAP_THRESHOLD_PX): boolean {
  return distance(start, end) > threshold;
}

// ---------------------------------------------------------------------------------------------------------------
// Clustering

export interface ClusterablePoint {
  id: string;
  x: number;
  y: number;
}

export interface Cluster<T extends ClusterablePoint> {
  /** Id of the first member: stable while the cluster keeps its first member, so it makes a good React key. */
  id: string;
  /** Mean position of the members (view units). */
  x: number;
  y: number;
  members: T[];
}

/**
 * Groups points that lie closer than `radius` (same units as the points) to a cluster's seed. Grid bucketing keeps it
 * O(n): seeds live in cells of size `radius`, so a point only looks at the 3 x 3 cells around it. The first point of
 * a cluster (in input order) is its seed; a point joins the nearest seed within `radius`, else seeds a new cluster.
 * Every point lands in exactly one cluster; single points come back as clusters of one.
 */
export function clusterPoints<T extends ClusterablePoint>(points: readonly T[], radius: number): Cluster<T>[] {
  if (!(radius > 0)) return points.map((p) => ({ id: p.id, x: p.x, y: p.y, members: [p] }));
  type Bucket = { seed: T; members: T[] };
  const grid = new Map<string, Bucket[]>();
  const buckets: Bucket[] = [];
  const radiusSq = radius * radius;
  for (const p of points) {
    const cx = Math.floor(p.x / radius);
    const cy = Math.floor(p.y / radius);
    let best: Bucket | null = null;
    let bestSq = radiusSq;
    for (let gx = cx - 1; gx <= cx + 1; gx++) {
      for (let gy = cy - 1; gy <= cy + 1; gy++) {
        const cell = grid.get(`${gx},${gy}`);
        if (!cell) continue;
        for (const bucket of cell) {
          const dx = bucket.seed.x - p.x;
          const dy = bucket.seed.y - p.y;
          const dSq = dx * dx + dy * dy;
          if (dSq < bestSq) {
            best = bucket;
            bestSq = dSq;
          }
        }
      }
    }
    if (best) {
      best.members.push(p);
      continue;
    }
    const bucket: Bucket = { seed: p, members: [p] };
    buckets.push(bucket);
    const key = `${cx},${cy}`;
    const cell = grid.get(key);
    if (cell) cell.push(bucket);
    else grid.set(key, [bucket]);
  }
  return buckets.map(({ members }) => {
    let sx = 0;
    let sy = 0;
    for (const m of members) {
      sx += m.x;
      sy += m.y;
    }
    return { id: members[0]!.id, x: sx / members.length, y: sy / members.length, members };
  });
}

/** Clusters for what is on screen: points closer than `thresholdPx` screen pixels at this zoom are grouped. */
export function clusterForViewport<T extends ClusterablePoint>(
  points: readonly T[],
  viewport: Viewport,
  size: Size,
  thresholdPx = CLUSTER_DISTANCE_PX,
): Cluster<T>[] {
  return clusterPoints(points, thresholdPx / pixelsPerUnit(viewport, size));
}

/**
 * The viewport that opens a cluster up: centred on it and zoomed in far enough that its members would sit about
 * 1.5 cluster distances apart (at least doubling the zoom). Returns null when already at the maximum zoom, where the
 * caller should select a member instead.
 */
export function zoomToCluster(
  viewport: Viewport,
  size: Size,
  cluster: { x: number; y: number; members: readonly Point[] },
  thresholdPx = CLUSTER_DISTANCE_PX,
): Viewport | null {
  const s = usableSize(size);
  const current = clampViewport(viewport, s);
  if (current.scale >= MAX_SCALE) return null;
  let spread = 0;
  for (const m of cluster.members) spread = Math.max(spread, distance(m, cluster));
  const needed = spread > 0 ? (thresholdPx * 1.5) / (fitScale(s) * spread) : MAX_SCALE;
  const scale = clampScale(Math.max(current.scale * 2, needed));
  return clampViewport({ scale, x: cluster.x, y: cluster.y }, s);
}

/** Rounds a view coordinate to 0.1 units (far below a pixel) and keeps it inside the view box. */
export function roundViewPoint(point: Point): Point {
  const round = (n: number, max: number) => Math.min(max, Math.max(0, Math.round(n * 10) / 10));
  return { x: round(point.x, BODY_VIEW_WIDTH), y: round(point.y, BODY_VIEW_HEIGHT) };
}

/** Two viewports equal to within a rounding error (avoids echoing a partner's viewport back as a change). */
export function sameViewport(a: Viewport, b: Viewport, epsilon = 1e-6): boolean {
  return Math.abs(a.scale - b.scale) < epsilon && Math.abs(a.x - b.x) < epsilon && Math.abs(a.y - b.y) < epsilon;
}
