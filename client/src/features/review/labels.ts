import { BODY_VIEW_LABELS, regionById, type BodyView } from '@kneadback/shared/body/index';
import type { CritiqueView } from '@kneadback/shared/schemas/review';
import { PRESSURE_MAX, VERDICT_LABELS } from '@kneadback/shared/vocabulary';

export function regionLabel(regionId: string): string {
  return regionById(regionId)?.label ?? 'Unknown area';
}

/** "Left upper trapezius (back)": the side and the view, because left/right and front/back are the usual mix-ups. */
export function regionWithView(regionId: string, view?: BodyView): string {
  const region = regionById(regionId);
  const shownView = view ?? region?.view;
  const label = region?.label ?? 'Unknown area';
  return shownView ? `${label} (${BODY_VIEW_LABELS[shownView].toLowerCase()})` : label;
}

/** "Felt 7/10 · Too deep · wanted 5", or null when nothing about pressure was said. */
export function pressureSummary(critique: Pick<CritiqueView, 'pressure' | 'verdict' | 'wanted'>): string | null {
  const parts: string[] = [];
  if (critique.pressure !== null) parts.push(`Felt ${critique.pressure}/${PRESSURE_MAX}`);
  if (critique.verdict !== null) parts.push(VERDICT_LABELS[critique.verdict]);
  if (critique.wanted !== null) parts.push(`wanted ${critique.wanted}`);
  return parts.length ? parts.join(' · ') : null;
}

/** Where "Open in debrief" goes: the debrief, at the mark, in the round it was made in. */
export function critiqueHref(critique: Pick<CritiqueView, 'debriefId' | 'annotationId' | 'round'>): string {
  const query = new URLSearchParams({ annotation: critique.annotationId, round: String(critique.round) });
  return `/debriefs/${encodeURIComponent(critique.debriefId)}?${query.toString()}`;
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const monthShortFormat = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });

/** "2026-03" -> "Mar 2026". */
export function monthLabel(month: string, withYear = true): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return (withYear ? monthFormat : monthShortFormat).format(date);
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}
