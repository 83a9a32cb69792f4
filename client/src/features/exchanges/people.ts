import type { Exchange } from '@kneadback/shared/schemas/exchange';
import type { PublicUser } from '@kneadback/shared/schemas/user';

/** The other therapist of an exchange, from the signed-in user's side; null while nobody has joined. */
export function partnerOf(exchange: Exchange, myId: string): PublicUser | null {
  return exchange.partnerA.id === myId ? exchange.partnerB : exchange.partnerA;
}
