// Accessible names for regions, marks and clusters. Every name says the side (the region label does) and the view,
// because left/right and front/back confusion is the main error on body maps.

import { BODY_REGIONS, BODY_VIEW_LABELS, regionWithView } from '@kneadback/shared/body/index';
import type { BodyView } from '@kneadback/shared/body/index';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import { CATEGORY_LABELS, PRESSURE_MAX, VERDICT_LABELS } from '@kneadback/shared/vocabulary';
import type { Category } from '@kneadback/shared/vocabulary';

/** "front" / "back", for use inside a sentence. */
export function viewWord(view: BodyView): string {
  return BODY_VIEW_LABELS[view].toLowerCase();
}

/** regionWithView of every region, computed once rather than per render. */
export const REGION_NAMES: ReadonlyMap<string, string> = new Map(
  BODY_REGIONS.map((r) => [r.id, regionWithView(r.id, r.view)]),
);

/** "Pressure mark on Left upper trapezius (back): 8 of 10, too deep, resolved". */
export function markLabel(mark: Pick<Annotation, 'category' | 'position' | 'pressure' | 'verdict' | 'status'>): string {
  const details: string[] = [];
  if (mark.category === 'pressure') {
    if (mark.pressure !== null) details.push(`${mark.pressure} of ${PRESSURE_MAX}`);
    if (mark.verdict !== null) details.push(VERDICT_LABELS[mark.verdict].toLowerCase());
  }
  if (mark.status === 'resolved') details.push('resolved');
  const base = `${CATEGORY_LABELS[mark.category]} mark on ${regionWithView(mark.position.regionId, mark.position.view)}`;
  return details.length > 0 ? `${base}: ${details.join(', ')}` : base;
}

/** "2 pressure, 1 praise" in vocabulary order. */
export function categorySummary(categories: readonly Category[]): string {
  const counts = new Map<Category, number>();
  for (const c of categories) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.entries()].map(([c, n]) => `${n} ${CATEGORY_LABELS[c].toLowerCase()}`).join(', ');
}

/** "5 marks near Left upper trapezius (back): 3 pressure, 2 habit. Activate to zoom in." */
export function clusterLabel(
  count: number,
  regionId: string,
  view: BodyView,
  summary: string,
  canZoom: boolean,
): string {
  const action = canZoom ? 'Activate to zoom in.' : 'Activate to select the first.';
  return `${count} marks near ${regionWithView(regionId, view)}: ${summary}. ${action}`;
}
