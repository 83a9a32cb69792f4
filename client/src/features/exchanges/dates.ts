// Calendar days (how they read: @kneadback/shared/format/days) and instants, as the exchanges pages need them.

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
