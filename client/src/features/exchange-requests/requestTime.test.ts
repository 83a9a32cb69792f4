import { describe, expect, it } from 'vitest';
import { localInputValue, withLocalOffset } from './requestTime.ts';

describe('request times', () => {
  it('adds the local offset to a datetime-local value, naming the same instant', () => {
    const iso = withLocalOffset('2026-12-05T10:00');
    expect(iso).toMatch(/^2026-12-05T10:00:00[+-]\d{2}:\d{2}$/);
    expect(new Date(iso).getTime()).toBe(new Date('2026-12-05T10:00').getTime());
  });

  it('leaves anything else as typed, for the server to name the field', () => {
    expect(withLocalOffset('')).toBe('');
    expect(withLocalOffset('tomorrow')).toBe('tomorrow');
  });

  it('builds a default a few days ahead at a round hour', () => {
    expect(localInputValue(3, 9, new Date(2026, 10, 30, 18, 12))).toBe('2026-12-03T09:00');
  });
});
