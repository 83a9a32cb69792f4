import { describe, expect, it } from 'vitest';
import { localDay, occurrenceStarts, offsetMinutesOf, readableStart } from './when.ts';

describe('request times', () => {
  it('reads the offset a time was written in', () => {
    expect(offsetMinutesOf('2026-12-05T10:00:00+01:00')).toBe(60);
    expect(offsetMinutesOf('2026-12-05T10:00:00-03:30')).toBe(-210);
    expect(offsetMinutesOf('2026-12-05T10:00:00Z')).toBe(0);
  });

  it('gives the proposer’s local day, not the UTC one', () => {
    const lateEvening = new Date('2026-12-05T23:30:00-05:00');
    expect(lateEvening.toISOString().slice(0, 10)).toBe('2026-12-06');
    expect(localDay(lateEvening, -300)).toBe('2026-12-05');
    expect(readableStart(lateEvening, -300)).toBe('Sat, 5 Dec 2026, 23:30');
  });

  it('spaces a series every N weeks, and a single request is one start', () => {
    const start = new Date('2026-12-05T10:00:00Z');
    expect(occurrenceStarts(start, null)).toEqual([start]);
    expect(occurrenceStarts(start, { everyWeeks: 2, occurrences: 3 }).map((d) => d.toISOString())).toEqual([
      '2026-12-05T10:00:00.000Z',
      '2026-12-19T10:00:00.000Z',
      '2027-01-02T10:00:00.000Z',
    ]);
  });
});
