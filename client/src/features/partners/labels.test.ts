import { describe, expect, it } from 'vitest';
import { initialsOf } from './Avatar.tsx';
import { availabilityText, distanceLabel, yearsText } from './labels.ts';

describe('partner labels', () => {
  it('takes initials from the first and last name', () => {
    expect(initialsOf('Ana Demo')).toBe('AD');
    expect(initialsOf('Inês Maria Duarte')).toBe('ID');
    expect(initialsOf('  bo ')).toBe('B');
  });

  it('says availability by weekday, in week order', () => {
    expect(
      availabilityText([
        { day: 'thu', part: 'morning' },
        { day: 'mon', part: 'evening' },
        { day: 'thu', part: 'afternoon' },
      ]),
    ).toBe('Monday evening, Thursday morning and afternoon');
  });

  it('names distance bands and years', () => {
    expect(distanceLabel('under-15')).toBe('5–15 km');
    expect(distanceLabel(null)).toBeNull();
    expect(yearsText(1)).toBe('1 year');
    expect(yearsText(0)).toBe('less than a year');
  });
});
