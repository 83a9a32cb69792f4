import { z } from 'zod';

/**
 * The window exchanges are recorded in. Before it, a date is a slip or a probe (year 0000 once
 * counted as an exchange held, which unlocks referrals and endorsements); past it, one (year
 * 9999) sorts above every real booking and stays "next" for good. Two years ahead leaves room for
 * a series booked far out.
 */
export const EARLIEST_DAY = '2000-01-01';
export const MAX_YEARS_AHEAD = 2;
const DAY_MS = 24 * 3600 * 1000;

/** The last day (YYYY-MM-DD, UTC) an exchange may be booked for, seen from `now`. */
export function latestBookableDay(now = new Date()): string {
  const day = new Date(now);
  day.setUTCFullYear(day.getUTCFullYear() + MAX_YEARS_AHEAD);
  return day.toISOString().slice(0, 10);
}

const OUTSIDE_WINDOW = `pick a day from ${EARLIEST_DAY} up to ${MAX_YEARS_AHEAD} years from today`;
const yyyyMmDd = z.iso.date('date must be YYYY-MM-DD');

/** The day of an exchange. */
export const exchangeDaySchema = yyyyMmDd.refine(
  (day) => day >= EARLIEST_DAY && day <= latestBookableDay(),
  OUTSIDE_WINDOW,
);

/** A day something already happened on; whether it is in the future is the service's to refuse, with its own words. */
export const pastDaySchema = yyyyMmDd.refine((day) => day >= EARLIEST_DAY, `pick a day from ${EARLIEST_DAY} on`);

/** When a proposed exchange starts; whether it is still ahead is the service's to refuse. */
export const exchangeStartSchema = z.iso
  .datetime({ offset: true, message: 'startsAt must be a date and time (ISO 8601)' })
  .refine((at) => Date.parse(at) < Date.parse(latestBookableDay()) + DAY_MS, OUTSIDE_WINDOW);
