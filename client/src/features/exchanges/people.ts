import type { Exchange } from '@kneadback/shared/schemas/exchange';
import type { PublicUser } from '@kneadback/shared/schemas/user';

/** The other therapist of an exchange, from the signed-in user's side; null while nobody has joined. */
export function partnerOf(exchange: Exchange, myId: string): PublicUser | null {
  return exchange.partnerA.id === myId ? exchange.partnerB : exchange.partnerA;
}

/** Everyone the user has exchanged with, once each, by name. */
export function partnersOf(exchanges: readonly Exchange[], myId: string): PublicUser[] {
  const byId = new Map<string, PublicUser>();
  for (const exchange of exchanges) {
    const partner = partnerOf(exchange, myId);
    if (partner && !byId.has(partner.id)) byId.set(partner.id, partner);
  }
  return [...byId.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

export function inviteUrl(inviteToken: string): string {
  return `${window.location.origin}/join/${encodeURIComponent(inviteToken)}`;
}

export function debriefPath(exchangeId: string): string {
  return `/debriefs/${encodeURIComponent(exchangeId)}`;
}
