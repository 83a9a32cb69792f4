// Exchange dates are calendar days ('2026-03-14'), not instants: they are formatted in UTC so no time zone shifts them.

const longDay = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const shortDay = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

function parseDay(isoDay: string): Date | null {
  const date = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "Saturday, 14 March 2026". */
export function formatDayLong(isoDay: string): string {
  const date = parseDay(isoDay);
  return date ? longDay.format(date) : isoDay;
}

/** "Sat, 14 Mar 2026". */
export function formatDayShort(isoDay: string): string {
  const date = parseDay(isoDay);
  return date ? shortDay.format(date) : isoDay;
}

/** Today in the user's own time zone, as YYYY-MM-DD (what `<input type="date">` and the API use). */
export function todayIsoDay(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

const instantDay = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });

/** An instant ('2026-12-11T10:00:00.000Z') as its day where the user is: "11 December 2026". */
export function formatInstantDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : instantDay.format(date);
}
