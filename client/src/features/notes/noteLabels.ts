import { regionWithView } from '@kneadback/shared/body/index';
import { NOTE_KIND_LABELS, type NoteKind, type NoteSummary } from '@kneadback/shared/schemas/note';
import { MODALITY_LABELS } from '@kneadback/shared/vocabulary';

export const kindLabel = (kind: NoteKind) => NOTE_KIND_LABELS[kind];

/** How the reader reaches the note, said from their side. */
export function accessLabel(note: Pick<NoteSummary, 'access' | 'author'>): string {
  switch (note.access) {
    case 'owner':
      return 'Yours';
    case 'editor':
      return `${note.author.displayName}'s note · you can edit`;
    case 'reader':
      return `${note.author.displayName}'s note · you can read`;
    case 'community':
      return `By ${note.author.displayName} · community`;
  }
}

/** Modality and body regions, for a card's second line. */
export function noteFacts(note: Pick<NoteSummary, 'modality' | 'regions'>): string {
  const parts: string[] = [];
  if (note.modality) parts.push(MODALITY_LABELS[note.modality]);
  parts.push(...note.regions.slice(0, 3).map((id) => regionWithView(id)));
  if (note.regions.length > 3) parts.push(`+${note.regions.length - 3} more`);
  return parts.join(' · ');
}
