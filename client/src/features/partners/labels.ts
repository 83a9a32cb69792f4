import {
  DAY_PART_LABELS,
  DISTANCE_BANDS,
  LANGUAGE_LABELS,
  WEEKDAY_LABELS,
  WEEKDAYS,
  type DayPart,
  type Language,
  type Weekday,
} from '@kneadback/shared/profile-vocabulary';
import { MODALITY_LABELS, type Modality } from '@kneadback/shared/vocabulary';

export const modalityList = (modalities: readonly Modality[]) => modalities.map((m) => MODALITY_LABELS[m]).join(', ');
export const languageList = (languages: readonly Language[]) => languages.map((l) => LANGUAGE_LABELS[l]).join(', ');

export function distanceLabel(band: string | null | undefined): string | null {
  return DISTANCE_BANDS.find((b) => b.id === band)?.label ?? null;
}

/** "Monday evening, Thursday morning and afternoon" */
export function availabilityText(slots: readonly { day: Weekday; part: DayPart }[]): string {
  return WEEKDAYS.flatMap((day) => {
    const parts = slots.filter((s) => s.day === day).map((s) => DAY_PART_LABELS[s.part].toLowerCase());
    if (parts.length === 0) return [];
    const joined = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
    return [`${WEEKDAY_LABELS[day]} ${joined}`];
  }).join(', ');
}

/** "3 years", "1 year", "less than a year" */
export function yearsText(years: number): string {
  if (years === 0) return 'less than a year';
  return `${years} year${years === 1 ? '' : 's'}`;
}
