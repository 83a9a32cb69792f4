import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '@kneadback/shared/vocabulary';
import { regionWithView } from '@kneadback/shared/body/index';
import { markLabel } from './labels.ts';
import { MARK_STYLES, markShapePath } from './markStyles.ts';

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe('MARK_STYLES', () => {
  it('gives every category its own colour and its own shape', () => {
    const styles = CATEGORIES.map((c) => MARK_STYLES[c]);
    expect(new Set(styles.map((s) => s.color)).size).toBe(CATEGORIES.length);
    expect(new Set(styles.map((s) => s.shape)).size).toBe(CATEGORIES.length);
  });

  it('keeps the colours readable on the body fill (light and dark scheme) and on the white halo', () => {
    for (const c of CATEGORIES) {
      const { color } = MARK_STYLES[c];
      expect(contrast(color, '#ece2d6')).toBeGreaterThanOrEqual(4.5);
      expect(contrast(color, '#d6cbbd')).toBeGreaterThanOrEqual(3);
      expect(contrast(color, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('draws closed paths for every shape', () => {
    for (const c of CATEGORIES) expect(markShapePath(MARK_STYLES[c].shape, 10)).toMatch(/^M.* Z$/);
  });
});

describe('labels', () => {
  it('names side and view in every region and mark label', () => {
    expect(regionWithView('posterior-upper-trapezius-left', 'posterior')).toBe('Left upper trapezius (back)');
    const label = markLabel({
      category: 'pressure',
      position: { view: 'posterior', x: 150, y: 150, regionId: 'posterior-upper-trapezius-left' },
      pressure: 8,
      verdict: 'too-deep',
      status: 'resolved',
    });
    expect(label).toBe('Pressure mark on Left upper trapezius (back): 8 of 10, too deep, resolved');
    expect(
      markLabel({
        category: 'praise',
        position: { view: 'anterior', x: 200, y: 300, regionId: 'anterior-abdomen' },
        pressure: null,
        verdict: null,
        status: 'open',
      }),
    ).toBe('Praise mark on Abdomen (front)');
  });
});
