// Two partners with an exchange between them: the starting point of every debrief test.
import type { AnnotationInput } from '@kneadback/shared/schemas/annotation';
import { signUpUser, type SignedUpUser } from './http-client.ts';

export interface Partners {
  a: SignedUpUser;
  b: SignedUpUser;
  exchangeId: string;
}

export async function createPartners(server: { url: string }, date = '2026-11-27'): Promise<Partners> {
  const a = await signUpUser(server, 'Ana');
  const b = await signUpUser(server, 'Ben');
  return { a, b, exchangeId: await createExchange({ a, b }, date) };
}

/**
 * An exchange between the two on any day, past ones included: A creates it with an invite link and B joins
 * through it (joining is B's consent; a request by email or profile cannot book a past day).
 */
export async function createExchange(partners: Pick<Partners, 'a' | 'b'>, date: string): Promise<string> {
  const created = await partners.a.client.post('/api/exchanges', { date });
  if (created.status !== 201) throw new Error(`creating the exchange failed: ${created.status} ${created.text}`);
  const joined = await partners.b.client.post('/api/exchanges/join', {
    inviteToken: created.body.exchange.inviteToken,
  });
  if (joined.status !== 200) throw new Error(`joining the exchange failed: ${joined.status} ${joined.text}`);
  return created.body.exchange.id;
}

/** The reference critique: left upper trapezius, back view, 8/10, too deep. */
export const upperTrapeziusPressure: AnnotationInput = {
  round: 1,
  position: { view: 'posterior', x: 170, y: 149, regionId: 'posterior-upper-trapezius-left' },
  category: 'pressure',
  pressure: 8,
  verdict: 'too-deep',
  text: 'Too much on the left upper trap',
};
