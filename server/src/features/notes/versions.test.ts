import { describe, expect, it } from 'vitest';
import { NOTE_STORAGE_QUOTA_BYTES as QUOTA } from '@kneadback/shared/schemas/note';
import { autoVersionPlan } from './versions.ts';

const autos = (...sizes: number[]) => sizes.map((bytes, i) => ({ id: `a${i}`, bytes }));
const ids = (plan: { drop: { id: string }[] }) => plan.drop.map((v) => v.id);

describe('autoVersionPlan', () => {
  it('keeps a new automatic version with room to spare, dropping only past 50', () => {
    expect(autoVersionPlan(autos(10, 10), 10, 0)).toEqual({ keep: true, drop: [] });
    const full = autoVersionPlan(autos(...Array<number>(50).fill(10)), 10, 0);
    expect(full.keep).toBe(true);
    expect(ids(full)).toEqual(['a0']);
  });

  it('drops the oldest until the new one fits under the quota', () => {
    const plan = autoVersionPlan(autos(30, 30, 30), 50, QUOTA - 10);
    expect(plan.keep).toBe(true);
    expect(ids(plan)).toEqual(['a0', 'a1']);
  });

  it('takes none when it does not fit even with all gone, dropping only what the quota needs', () => {
    expect(autoVersionPlan(autos(30, 30), 100, QUOTA - 10)).toEqual({ keep: false, drop: [] });
    const over = autoVersionPlan(autos(30, 30, 30), 200, QUOTA + 40);
    expect(over.keep).toBe(false);
    expect(ids(over)).toEqual(['a0', 'a1']);
  });
});
