// How each annotation category looks, declared once for the body map, its legend, the list panel and the print view.
// Category is carried by colour AND shape, so colour-blind users (and grey-scale printouts) can tell marks apart.

import { CATEGORIES, CATEGORY_LABELS } from '@kneadback/shared/vocabulary';
import type { Category } from '@kneadback/shared/vocabulary';

export type MarkShape = 'circle' | 'diamond' | 'square' | 'star' | 'triangle';

export interface MarkStyle {
  /**
   * Fill colour. Every colour has at least 4.5:1 contrast against the light body fill (#ece2d6) and 3.9:1 against the
   * dark-scheme body fill (#d6cbbd), and at least 6:1 against white, which is the halo drawn round every glyph.
   */
  color: string;
  shape: MarkShape;
  /** Plain-language category name (CATEGORY_LABELS). */
  label: string;
  /** How the shape is described to people who cannot see it ("circle"), e.g. in a legend read aloud. */
  shapeName: string;
}

export const MARK_STYLES: Readonly<Record<Category, MarkStyle>> = {
  pressure: { color: '#b3261e', shape: 'circle', label: CATEGORY_LABELS.pressure, shapeName: 'circle' },
  'thumb-technique': {
    color: '#6b3fa0',
    shape: 'diamond',
    label: CATEGORY_LABELS['thumb-technique'],
    shapeName: 'diamond',
  },
  habit: { color: '#9a4a00', shape: 'square', label: CATEGORY_LABELS.habit, shapeName: 'square' },
  praise: { color: '#1d6a3b', shape: 'star', label: CATEGORY_LABELS.praise, shapeName: 'star' },
  question: { color: '#1f57a6', shape: 'triangle', label: CATEGORY_LABELS.question, shapeName: 'triangle' },
};

/** Categories in legend order (the vocabulary's order). */
export const MARK_CATEGORIES: readonly Category[] = CATEGORIES;

/** Halo and text colour drawn on top of the category colours. */
export const MARK_HALO_COLOR = '#ffffff';

function fmt(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function polygonPath(points: readonly (readonly [number, number])[]): string {
  return `${points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${fmt(x)} ${fmt(y)}`).join(' ')} Z`;
}

function regularPoints(count: number, radius: number, rotation: number): [number, number][] {
  return Array.from({ length: count }, (_, i) => {
    const a = rotation + (i * 2 * Math.PI) / count;
    return [radius * Math.cos(a), radius * Math.sin(a)];
  });
}

function starPoints(outer: number, inner: number): [number, number][] {
  return Array.from({ length: 10 }, (_, i) => {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const r = i % 2 === 0 ? outer : inner;
    return [r * Math.cos(a), r * Math.sin(a)];
  });
}

/**
 * SVG path `d` of a shape centred on (0, 0). `r` is the nominal radius; the shapes are sized to look equally heavy
 * (a square of the circle's radius looks bigger, a triangle smaller).
 */
export function markShapePath(shape: MarkShape, r: number): string {
  switch (shape) {
    case 'circle':
      return `M${fmt(-r)} 0 A${fmt(r)} ${fmt(r)} 0 1 0 ${fmt(r)} 0 A${fmt(r)} ${fmt(r)} 0 1 0 ${fmt(-r)} 0 Z`;
    case 'square': {
      const h = r * 0.86;
      return polygonPath([
        [-h, -h],
        [h, -h],
        [h, h],
        [-h, h],
      ]);
    }
    case 'diamond': {
      const h = r * 1.2;
      return polygonPath([
        [0, -h],
        [h, 0],
        [0, h],
        [-h, 0],
      ]);
    }
    case 'triangle': {
      // Nudged down so its visual centre sits on the point.
      const pts = regularPoints(3, r * 1.3, -Math.PI / 2).map(([x, y]) => [x, y + r * 0.18] as const);
      return polygonPath(pts);
    }
    case 'star':
      return polygonPath(starPoints(r * 1.35, r * 0.6));
  }
}

/** Shape paths for the sizes the map and legend use, computed once. */
const SHAPE_CACHE = new Map<string, string>();

/** Memoized markShapePath: the same few (shape, size) pairs are drawn hundreds of times. */
export function cachedShapePath(shape: MarkShape, r: number): string {
  const key = `${shape}:${r}`;
  let d = SHAPE_CACHE.get(key);
  if (d === undefined) {
    d = markShapePath(shape, r);
    SHAPE_CACHE.set(key, d);
  }
  return d;
}
