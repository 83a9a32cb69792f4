import { formatDay } from '@kneadback/shared/format/days';

/** The server's texts (notifications, refusals) are written in British English. */
const TEXT_LOCALE = 'en-GB';

/** "2026-11-21" or a Date → "21 Nov 2026": notification texts and refusals are read by people. */
export function readableDate(day: string | Date): string {
  return formatDay(day, 'medium', TEXT_LOCALE);
}
