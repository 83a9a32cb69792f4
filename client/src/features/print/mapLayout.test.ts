import { describe, expect, it } from 'vitest';
import { placeNumbers, spreadGlyphs } from './mapLayout.ts';

const BOX = { x: 0, y: 0, width: 400, height: 800 };

describe('placeNumbers', () => {
  it('puts a lone number at the upper right of its glyph', () => {
    const [p] = placeNumbers([{ x: 200, y: 400, r: 10 }], 8, BOX);
    expect(p!.x).toBeGreaterThan(200);
    expect(p!.y).toBeLessThan(400);
  });

  it('keeps numbers of neighbouring marks off each other and off the glyphs', () => {
    const glyphs = [
      { x: 200, y: 400, r: 10 },
      { x: 222, y: 392, r: 10 },
      { x: 210, y: 420, r: 10 },
    ];
    const placed = placeNumbers(glyphs, 8, BOX);
    for (const [i, p] of placed.entries()) {
      for (const g of glyphs) expect(Math.hypot(p.x - g.x, p.y - g.y)).toBeGreaterThanOrEqual(g.r + 8);
      for (const q of placed.slice(i + 1)) expect(Math.hypot(p.x - q.x, p.y - q.y)).toBeGreaterThanOrEqual(16);
    }
  });

  it('stays inside the drawing at the edge', () => {
    const [p] = placeNumbers([{ x: 395, y: 5, r: 10 }], 8, BOX);
    expect(p!.x).toBeLessThanOrEqual(400 - 8);
    expect(p!.y).toBeGreaterThanOrEqual(8);
  });
});

describe('spreadGlyphs', () => {
  it('leaves marks that do not touch where they are', () => {
    const points = [
      { x: 100, y: 100 },
      { x: 200, y: 300 },
    ];
    expect(spreadGlyphs(points, 30, BOX)).toEqual(points);
  });

  it('parts overlapping and identical marks to the minimum distance, near their spot', () => {
    const points = [
      { x: 170, y: 149 },
      { x: 180, y: 160 },
      { x: 160, y: 158 },
      { x: 160, y: 158 },
    ];
    const spread = spreadGlyphs(points, 30, BOX);
    for (const [i, p] of spread.entries()) {
      expect(Math.hypot(p.x - points[i]!.x, p.y - points[i]!.y)).toBeLessThan(40);
      for (const q of spread.slice(i + 1)) expect(Math.hypot(p.x - q.x, p.y - q.y)).toBeGreaterThan(29);
    }
    expect(spreadGlyphs(points, 30, BOX)).toEqual(spread);
  });
});
