// Exchange dates are calendar days ('2026-03-14'), not instants: they are formatted in UTC, so no time zone moves
// them to the day before or after. The one home of how a day reads, for the client (in the reader's locale) and
// the server (in the locale of the texts it writes).

export type DayStyle = 'long' | 'short' | 'medium';

const OPTIONS: Record<DayStyle, Intl.DateTimeFormatOptions> = {
  /** "Saturday, 14 March 2026" */
  long: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' },
  /** "Sat, 14 Mar 2026" */
  short: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
  /** "14 Mar 2026": where space is short, and in sentences */
  medium: { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
};

const formats = new Map<string, Intl.DateTimeFormat>();

/**
 * A day ('2026-03-14', or a Date read as its UTC day) in words; `locale` defaults to the reader's. A string that is
 * not a day comes back as it is.
 */
export function formatDay(day: string | Date, style: DayStyle, locale?: string): string {
  const date = typeof day === 'string' ? new Date(`${day.slice(0, 10)}T00:00:00Z`) : day;
  if (Number.isNaN(date.getTime())) return typeof day === 'string' ? day : '';
  const key = `${locale ?? ''}|${style}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.DateTimeFormat(locale, OPTIONS[style])));
  return format.format(date);
}
