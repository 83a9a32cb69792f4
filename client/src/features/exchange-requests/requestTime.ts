// Request times: `<input type="datetime-local">` gives local wall time without a zone; the API takes an instant
// with its offset, so the exchange's day is the proposer's local day.

const pad = (n: number) => String(Math.abs(Math.trunc(n))).padStart(2, '0');

/** "2026-12-05T10:00" (local) → "2026-12-05T10:00:00+01:00"; left as typed when it is not a time. */
export function withLocalOffset(local: string): string {
  const at = new Date(local);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(local) || Number.isNaN(at.getTime())) return local;
  const offset = -at.getTimezoneOffset();
  return `${local}:00${offset < 0 ? '-' : '+'}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** A local "YYYY-MM-DDTHH:mm" `days` from now at `hour`:00, for a form's default. */
export function localInputValue(days: number, hour: number, now = new Date()): string {
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, hour, 0);
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(hour)}:00`;
}

const startFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** "Sat, 5 Dec 2026, 10:00" where the user is. */
export function formatStart(iso: string): string {
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : startFormat.format(at);
}
