import { OBJECT_ID_PATTERN } from '@kneadback/shared/schemas/common';
import { notFound } from '../../http/errors.ts';
import type { CalendarEntry, ExchangeCalendar } from '../exchanges/calendar.ts';

export const DAY_MS = 24 * 3600 * 1000;

/** An exchange has taken place once it ended (a day-only invite-link exchange: once its day is over). */
export function heldAt(entry: CalendarEntry): number {
  return entry.timed ? entry.endsAt.getTime() : entry.startsAt.getTime() + DAY_MS;
}

/** The user's bookings with one person ([] for a malformed id), from the user's own calendar. */
export async function bookingsWith(calendar: ExchangeCalendar, userId: string, partnerId: string) {
  if (!OBJECT_ID_PATTERN.test(partnerId)) return [];
  return (await calendar.entries(userId)).filter((e) => e.partnerId.toHexString() === partnerId);
}

/** Ledgers and referrals are the partners' own: someone the user never booked an exchange with is "not found". */
export async function partnerBookings(
  calendar: ExchangeCalendar,
  userId: string,
  partnerId: string,
): Promise<CalendarEntry[]> {
  const entries = await bookingsWith(calendar, userId, partnerId);
  if (entries.length === 0) throw notFound('partner');
  return entries;
}
