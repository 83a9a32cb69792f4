import { BODY_VIEW_LABELS, regionById } from '@kneadback/shared/body/index';
import { NOTE_KIND_LABELS, type NoteKind, type NoteSummary } from '@kneadback/shared/schemas/note';
import { MODALITY_LABELS } from '@kneadback/shared/vocabulary';

/** "Left upper trapezius (back)": the side and the view, because those are the usual mix-ups. */
export function regionName(regionId: string): string {
  const region = regionById(regionId);
  if (!region) return 'Unknown area';
  return `${region.label} (${BODY_VIEW_LABELS[region.view].toLowerCase()})`;
}

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
  parts.push(...note.regions.slice(0, 3).map(regionName));
  if (note.regions.length > 3) parts.push(`+${note.regions.length - 3} more`);
  return parts.join(' · ');
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

export function formatMoment(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}
