import type { ThreadEntry } from '@kneadback/shared/schemas/annotation';

/** annotationId -> when this person last read that thread (epoch ms). */
export type ThreadReads = ReadonlyMap<string, number>;

/**
 * Threads with an entry the partner (anyone but `meId`) wrote after this person last read them, or
 * never read. Deleted replies do not count: there is nothing left to read.
 */
export function unreadThreads(
  annotationIds: readonly string[],
  threadFor: (annotationId: string) => readonly ThreadEntry[],
  reads: ThreadReads | null,
  meId: string,
): Set<string> {
  const unread = new Set<string>();
  if (!reads) return unread;
  for (const id of annotationIds) {
    if (newestOtherEntryAt(threadFor(id), meId) > (reads.get(id) ?? -1)) unread.add(id);
  }
  return unread;
}

/** Creation time of the newest entry by someone else, or -1 when there is none. */
export function newestOtherEntryAt(entries: readonly ThreadEntry[], meId: string): number {
  let newest = -1;
  for (const e of entries) if (e.authorId !== meId && !e.deleted && e.createdAt > newest) newest = e.createdAt;
  return newest;
}
