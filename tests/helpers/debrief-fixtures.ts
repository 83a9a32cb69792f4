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
  const res = await a.client.post('/api/exchanges', { partnerEmail: b.email, date });
  if (res.status !== 201) throw new Error(`creating the exchange failed: ${res.status} ${res.text}`);
  return { a, b, exchangeId: res.body.exchange.id };
}

export async function createExchange(partners: Partners, date: string): Promise<string> {
  const res = await partners.a.client.post('/api/exchanges', { partnerEmail: partners.b.email, date });
  if (res.status !== 201) throw new Error(`creating the exchange failed: ${res.status} ${res.text}`);
  return res.body.exchange.id;
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
