/** "2026-11-21" or a Date → "21 Nov 2026": notification texts and refusals are read by people. */
export function readableDate(day: string | Date): string {
  const date = typeof day === 'string' ? new Date(`${day}T12:00:00Z`) : day;
  return date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}
