// A request's time as the proposer wrote it: an instant plus the UTC offset it was written in, so the
// exchange's day and the times in notifications are the proposer's local ones (the server has no time zone).

const WEEK_MS = 7 * 24 * 3600 * 1000;

/** '2026-12-05T10:00:00+01:00' → 60; 'Z' → 0. */
export function offsetMinutesOf(iso: string): number {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(iso);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** The local calendar day (YYYY-MM-DD) of an instant at a UTC offset. */
export function localDay(at: Date, offsetMinutes: number): string {
  return new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** "Sat 5 Dec 2026, 10:00": notifications are read by people. */
export function readableStart(at: Date, offsetMinutes: number): string {
  const local = new Date(at.getTime() + offsetMinutes * 60_000);
  const day = local.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  return `${day}, ${local.toISOString().slice(11, 16)}`;
}

/** Every start of a series (one start without repeat). */
export function occurrenceStarts(start: Date, repeat: { everyWeeks: number; occurrences: number } | null): Date[] {
  const count = repeat?.occurrences ?? 1;
  return Array.from({ length: count }, (_, i) => new Date(start.getTime() + i * (repeat?.everyWeeks ?? 0) * WEEK_MS));
}
