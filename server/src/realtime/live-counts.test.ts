import { expect, it } from 'vitest';
import { LiveCounts } from './live-counts.ts';

it('counts a connection out once, however many of its endings report it', () => {
  const counts = new LiveCounts();
  const first = counts.hold('ana');
  counts.hold('ana');
  first();
  first();
  expect(counts.count('ana')).toBe(1);
  expect(counts.count('ben')).toBe(0);
});
