import { BODY_VIEW_LABELS, regionLabel, type BodyView } from '@kneadback/shared/body/index';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import { PRESSURE_MAX, VERDICT_LABELS } from '@kneadback/shared/vocabulary';

/** "Left upper trapezius · Back": the side and the view always named, left/right being the usual mix-up. */
export function markPlace(annotation: Pick<Annotation, 'position'>): string {
  return placeLabel(annotation.position.regionId, annotation.position.view);
}

export function placeLabel(regionId: string, view: BodyView): string {
  return `${regionLabel(regionId)} · ${BODY_VIEW_LABELS[view]}`;
}

/** "Felt 7/10 · Too deep · wanted 5", or null when nothing about pressure was said. */
export function pressureSummary(annotation: Pick<Annotation, 'pressure' | 'verdict' | 'wanted'>): string | null {
  const parts: string[] = [];
  if (annotation.pressure !== null) parts.push(`Felt ${annotation.pressure}/${PRESSURE_MAX}`);
  if (annotation.verdict !== null) parts.push(VERDICT_LABELS[annotation.verdict]);
  if (annotation.wanted !== null) parts.push(`wanted ${annotation.wanted}`);
  return parts.length ? parts.join(' · ') : null;
}

export function firstLine(text: string): string {
  return text.split('\n', 1)[0]?.trim() ?? '';
}

/** Free text to a stored tag: "Elbow too sharp!" -> "elbow-too-sharp". */
export function toTagSlug(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
