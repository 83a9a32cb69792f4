import type { NoteAccess } from '@kneadback/shared/schemas/note';
import type { NoteRecord } from './model.ts';

/**
 * How a person reaches a note, or null when they may not know it exists. The one place that
 * decides it: HTTP, Socket.IO notices and the Yjs endpoint all ask here.
 */
export function accessOf(
  note: Pick<NoteRecord, 'ownerId' | 'shares' | 'published'>,
  userId: string,
): NoteAccess | null {
  if (note.ownerId === userId) return 'owner';
  const share = note.shares.find((s) => s.userId === userId);
  if (share?.role === 'editor') return 'editor';
  if (share) return 'reader';
  return note.published ? 'community' : null;
}

/** Whether edits of the note are announced to this person (`note:edited`). */
export function follows(note: NoteRecord, userId: string): boolean {
  if (note.unfollowed.includes(userId)) return false;
  if (note.followers.includes(userId)) return accessOf(note, userId) !== null;
  const access = accessOf(note, userId);
  return access !== null && access !== 'community';
}

/** Everyone who follows the note. */
export function followersOf(note: NoteRecord): string[] {
  const candidates = new Set([note.ownerId, ...note.shares.map((s) => s.userId), ...note.followers]);
  return [...candidates].filter((id) => follows(note, id));
}
