import { describe, expect, it } from 'vitest';
import { BatchedReads, type IdFilter } from './batched-reads.ts';

interface Row {
  _id: string;
  v: number;
}

const idsOf = (filter: IdFilter) => (typeof filter._id === 'string' ? [filter._id] : filter._id.$in);

/** A table whose reads wait until released, recording the filter each read sent. */
function heldTable() {
  const rows = new Map<string, number>();
  const reads: IdFilter[] = [];
  const releases: (() => void)[] = [];
  const reader = new BatchedReads<Row>(
    async (filter) => {
      reads.push(filter);
      const ids = idsOf(filter);
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
    for (let i = 0; i < 4; i++) await t.release();
    expect(await first).toEqual({ _id: 'a', v: 1 });
    expect(await Promise.all(later)).toEqual([{ _id: 'b', v: 2 }, { _id: 'b', v: 2 }, null, { _id: 'a', v: 1 }]);
    // a few ids: one equality read each (FerretDB filters those in SQLite, an `$in` in its own code)
    expect(t.reads).toEqual([{ _id: 'a' }, { _id: 'b' }, { _id: 'missing' }, { _id: 'a' }]);
  });

  it('asks for many ids in one `$in` read', async () => {
    const t = heldTable();
    const ids = Array.from({ length: 20 }, (_, i) => `id${i}`);
    for (const id of ids) t.rows.set(id, 1);
    const first = t.reader.read('first');
    await new Promise((r) => setTimeout(r, 5));
    const later = ids.map((id) => t.reader.read(id));
    await t.release();
    await t.release();
    expect(await first).toBeNull();
    expect(await Promise.all(later)).toEqual(ids.map((id) => ({ _id: id, v: 1 })));
    expect(t.reads).toEqual([{ _id: 'first' }, { _id: { $in: ids } }]);
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
      async (filter) => {
        if (fail) throw new Error('database busy');
        return idsOf(filter).map((id) => ({ _id: id, v: 0 }));
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
