// Exchange requests as tests make them: a valid body to vary, and moving a booked exchange into the past.
import { Types, type Connection } from 'mongoose';
import type { SignedUpUser } from './http-client.ts';

const DAY_MS = 24 * 3600 * 1000;

/** An instant `days` from now at 10:00 UTC, as the API takes it. */
export function daysFromNow(days: number, hour = 10): string {
  const at = new Date(Date.now() + days * DAY_MS);
  at.setUTCHours(hour, 0, 0, 0);
  return at.toISOString();
}

/** A valid request body from a profile (toUserId), with any field replaced. */
export function requestBody(to: SignedUpUser, changes: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    toUserId: to.user.id,
    startsAt: daysFromNow(3),
    place: 'mine',
    proposerGives: ['deep-tissue'],
    recipientGives: ['shiatsu'],
    roundMinutes: 60,
    message: 'Trade next week?',
    ...changes,
  };
}

/** Requests and accepts: an exchange booked between the two; returns its id. */
export async function bookExchange(
  from: SignedUpUser,
  to: SignedUpUser,
  changes: Record<string, unknown> = {},
): Promise<string> {
  const sent = await from.client.post('/api/exchange-requests', requestBody(to, changes));
  if (sent.status !== 201) throw new Error(`request failed: ${sent.status} ${sent.text}`);
  const accepted = await to.client.post(`/api/exchange-requests/${sent.body.request.id}/accept`);
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${accepted.text}`);
  return accepted.body.request.exchangeIds[0];
}

/**
 * Moves a booked exchange `days` into the past through the test's database (no clock seam: the server reads
 * the real clock), in the exchange and in both partners' calendars, as if it had taken place then.
 */
export async function moveIntoPast(connection: Connection, exchangeId: string, days: number): Promise<void> {
  const _id = new Types.ObjectId(exchangeId);
  const exchange = await connection.collection('exchanges').findOne({ _id });
  if (!exchange) throw new Error(`no exchange ${exchangeId}`);
  const startsAt = new Date(Date.now() - days * DAY_MS);
  await connection
    .collection('exchanges')
    .updateOne({ _id }, { $set: { startsAt, date: startsAt.toISOString().slice(0, 10) } });
  for (const userId of [exchange.partnerA, exchange.partnerB]) {
    const calendar = connection.collection(`exchange_calendar_${String(userId)}`);
    const entry = await calendar.findOne({ _id });
    if (!entry) throw new Error(`no calendar entry for ${exchangeId}`);
    const length = entry.endsAt.getTime() - entry.startsAt.getTime();
    await calendar.updateOne({ _id }, { $set: { startsAt, endsAt: new Date(startsAt.getTime() + length) } });
  }
}
