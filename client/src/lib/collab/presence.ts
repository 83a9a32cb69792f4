import type { Awareness } from 'y-protocols/awareness';
import {
  parsePresence,
  presenceSchema,
  presenceUser,
  type Presence,
  type PresencePerson,
} from '@kneadback/shared/docs/presence';

/** Someone else's presence, one per device (a partner may have the debrief open on two). */
export type PeerPresence = Presence & { clientId: number };

/** Everything a screen may change about its own presence; who you are comes from the session. */
export type PresencePatch = Partial<Omit<Presence, 'user'>>;

export function readPeers(awareness: Awareness): PeerPresence[] {
  const peers: PeerPresence[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    // A device that has not announced itself yet, or speaks an older shape: not shown
    const presence = parsePresence(state);
    if (presence) peers.push({ ...presence, clientId });
  }
  return peers.sort((a, b) => a.clientId - b.clientId);
}

export function initialPresence(user: PresencePerson): Presence {
  return presenceSchema.parse({ user: presenceUser(user) });
}

/**
 * The next local state, or null when the patch would break the schema: the server closes the
 * socket on an invalid state, so a bad value (say, a zoom beyond the limit) is dropped instead.
 */
export function nextPresence(current: Presence, patch: PresencePatch): Presence | null {
  const result = presenceSchema.safeParse({ ...current, ...patch });
  if (result.success) return result.data;
  console.warn('presence not sent:', result.error.issues[0]?.message);
  return null;
}
