import { describe, expect, it } from 'vitest';
import { MemoryReturn } from './memory-return.ts';

/** Runs one check per room count; returns the checks (1-based) that collected. */
function collectionsOver(roomCounts: number[]): number[] {
  let rooms = 0;
  const collectedAt: number[] = [];
  let check = 0;
  const watcher = new MemoryReturn(
    () => rooms,
    () => collectedAt.push(check),
  );
  for (const count of roomCounts) {
    rooms = count;
    check++;
    watcher.check();
  }
  return collectedAt;
}

describe('MemoryReturn', () => {
  it('collects twice, one check apart, once most rooms have unloaded and the count holds still', () => {
    expect(collectionsOver([0, 500, 500, 260, 0, 0, 0, 0, 0])).toEqual([6, 7]);
  });

  it('does not collect while rooms are still unloading, nor after a small or partial drop', () => {
    expect(collectionsOver([500, 400, 300, 200, 100])).toEqual([]);
    expect(collectionsOver([500, 300, 300, 300])).toEqual([]);
    expect(collectionsOver([40, 0, 0, 0])).toEqual([]);
  });

  it('measures the next drop from where it collected, not from the old peak', () => {
    expect(collectionsOver([500, 100, 100, 100, 90, 90, 90])).toEqual([3, 4]);
  });
});
