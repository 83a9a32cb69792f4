import { describe, expect, it } from 'vitest';
import type { ThreadEntry } from '@kneadback/shared/schemas/annotation';
import { newestOtherEntryAt, unreadThreads } from './threadReads.ts';

const me = 'a'.repeat(24);
const partner = 'b'.repeat(24);

function entry(annotationId: string, authorId: string, createdAt: number, deleted = false): ThreadEntry {
  return {
    id: `${annotationId}-${createdAt}`,
    annotationId,
    authorId,
    kind: 'reply',
    text: deleted ? '' : 'hi',
    mentions: [],
    reactions: {},
    createdAt,
    editedAt: null,
    deleted,
  };
}

describe('unread threads', () => {
  const threads = new Map<string, ThreadEntry[]>([
    ['never-read', [entry('never-read', partner, 100)]],
    ['read-since', [entry('read-since', partner, 100)]],
    ['newer-reply', [entry('newer-reply', partner, 100), entry('newer-reply', partner, 300)]],
    ['only-mine', [entry('only-mine', me, 500)]],
    ['deleted', [entry('deleted', partner, 500, true)]],
    ['empty', []],
  ]);
  const threadFor = (id: string) => threads.get(id) ?? [];
  const ids = [...threads.keys()];

  it("are those with a partner's entry after the last read, or never read", () => {
    const reads = new Map([
      ['read-since', 200],
      ['newer-reply', 200],
    ]);
    expect([...unreadThreads(ids, threadFor, reads, me)].sort()).toEqual(['never-read', 'newer-reply']);
  });

  it('are none until it is known what was read', () => {
    expect(unreadThreads(ids, threadFor, null, me).size).toBe(0);
  });

  it("date a thread by the partner's newest entry", () => {
    expect(newestOtherEntryAt(threadFor('newer-reply'), me)).toBe(300);
    expect(newestOtherEntryAt(threadFor('only-mine'), me)).toBe(-1);
  });
});
