import { describe, expect, it } from 'vitest';
import { formatDay } from './days.ts';

describe('formatDay', () => {
  it('reads a calendar day in each style, never shifted by a time zone', () => {
    expect(formatDay('2026-03-14', 'long', 'en-GB')).toBe('Saturday, 14 March 2026');
    expect(formatDay('2026-03-14', 'short', 'en-GB')).toBe('Sat, 14 Mar 2026');
    expect(formatDay('2026-03-14', 'medium', 'en-GB')).toBe('14 Mar 2026');
    expect(formatDay('2026-03-14T23:30:00.000Z', 'medium', 'en-GB')).toBe('14 Mar 2026');
  });

  it('reads a Date as its UTC day', () => {
    expect(formatDay(new Date('2026-11-27T23:59:00Z'), 'medium', 'en-GB')).toBe('27 Nov 2026');
  });

  it('gives back what is not a day', () => {
    expect(formatDay('someday', 'long')).toBe('someday');
    expect(formatDay(new Date(Number.NaN), 'long')).toBe('');
  });
});
