const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: 'numeric',
  minute: '2-digit',
});

/** "14:03" today, "27 Nov, 14:03" otherwise: a debrief is read the same day or weeks later. */
export function formatMoment(epochMs: number, now = new Date()): string {
  const date = new Date(epochMs);
  return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dayTimeFormat.format(date);
}
