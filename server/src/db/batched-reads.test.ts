import { describe, expect, it } from 'vitest';
import { BatchedReads } from './batched-reads.ts';

interface Row {
  _id: string;
  v: number;
}

/** A table whose reads wait until released, recording the ids each read asked for. */
function heldTable() {
  const rows = new Map<string, number>();
  const reads: string[][] = [];
  const releases: (() => void)[] = [];
  const reader = new BatchedReads<Row>(
    async (ids) => {
      reads.push(ids);
      const snapshot = ids.flatMap((id) => (rows.has(id) ? [{ _id: id, v: rows.get(id)! }] : []));
      await new Promise<void>((r) => releases.push(r));
      return snapshot;
    },
    (row) => row._id,
  );
  const release = async () => {
    while (releases.length === 0) await new Promise((r) => setTimeout(r, 1));
    releases.shift()!();
  };
  return { rows, reads, reader, release };
}

describe('BatchedReads', () => {
  it('sends ids asked for while a read is in flight together in the next read, each id once', async () => {
    const t = heldTable();
    t.rows.set('a', 1).set('b', 2);
    const first = t.reader.read('a');
    await new Promise((r) => setTimeout(r, 5));
    const later = [t.reader.read('b'), t.reader.read('b'), t.reader.read('missing'), t.reader.read('a')];
    await t.release();
    await t.release();
    expect(await first).toEqual({ _id: 'a', v: 1 });
    expect(await Promise.all(later)).toEqual([{ _id: 'b', v: 2 }, { _id: 'b', v: 2 }, null, { _id: 'a', v: 1 }]);
    expect(t.reads).toEqual([['a'], ['b', 'missing', 'a']]);
  });

  it('answers with a read that started after the request: a write finished before it is seen', async () => {
    const t = heldTable();
    t.rows.set('a', 1);
    const before = t.reader.read('a');
    await new Promise((r) => setTimeout(r, 5)); // that read is on its way, with v 1
    t.rows.set('a', 2); // a write that finished before the next request
    const after = t.reader.read('a');
    await t.release();
    await t.release();
    expect(await before).toEqual({ _id: 'a', v: 1 });
    expect(await after).toEqual({ _id: 'a', v: 2 });
  });

  it('fails every request of a failed read, and reads again for the next ones', async () => {
    let fail = true;
    const reader = new BatchedReads<Row>(
      async (ids) => {
        if (fail) throw new Error('database busy');
        return ids.map((id) => ({ _id: id, v: 0 }));
      },
      (row) => row._id,
    );
    const failed = [reader.read('a'), reader.read('b')];
    await expect(Promise.all(failed)).rejects.toThrow('database busy');
    await expect(failed[1]).rejects.toThrow('database busy');
    fail = false;
    expect(await reader.read('a')).toEqual({ _id: 'a', v: 0 });
  });
});
