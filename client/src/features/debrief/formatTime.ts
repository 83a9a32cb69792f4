const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: 'numeric',
  minute: '2-digit',
});
const exchangeDateFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "14:03" today, "27 Nov, 14:03" otherwise: a debrief is read the same day or weeks later. */
export function formatMoment(epochMs: number, now = new Date()): string {
  const date = new Date(epochMs);
  return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dayTimeFormat.format(date);
}

/** An exchange date is a calendar day ("2026-11-27"), not an instant: format it without a time zone shift. */
export function formatExchangeDate(isoDay: string): string {
  const date = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDay : exchangeDateFormat.format(date);
}

const exchangeDayShortFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "27 Nov 2026": an exchange date where space is short. */
export function formatExchangeDayShort(isoDay: string): string {
  const date = new Date(`${isoDay.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? isoDay : exchangeDayShortFormat.format(date);
}
