import type * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { deviceOwner } from '@kneadback/shared/docs/devices';

/** One entry of a y-protocols awareness update; `json` is the state as sent ('null': gone). */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  json: string;
}

export function readAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const entries: AwarenessEntry[] = [];
  for (let count = decoding.readVarUint(decoder); count > 0; count--) {
    entries.push({
      clientId: decoding.readVarUint(decoder),
      clock: decoding.readVarUint(decoder),
      json: decoding.readVarString(decoder),
    });
  }
  return entries;
}

export function encodeAwarenessEntries(entries: readonly AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, json } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, json);
  }
  return encoding.toUint8Array(encoder);
}

/**
 * Whose presence may appear under each awareness client id of one document, the same rule on
 * every server process: the person whose device wrote under that id (the document's `devices`
 * map: stored, and identical on every process), else the first person seen using it in this
 * room, from a local connection or from another process (which says who sent each state).
 * Anyone else's state under that id is dropped, so nobody can hide, move or dress up a partner's
 * pointer, whether her connection is on this process, another one, or gone for a moment.
 *
 * Two processes could only disagree on "first" if someone used an id before its owner's presence
 * reached them; ids are random and learned only from that presence (which carries its owner) or
 * from `devices` (which wins over any first use), so a squatter cannot get there first.
 */
export class PresenceOwners {
  /** Who published the state last accepted under each client id (kept after it is removed). */
  private readonly publishers = new Map<number, string>();

  constructor(private readonly doc: Y.Doc) {}

  mayUse(clientId: number, userId: string): boolean {
    const owner = deviceOwner(this.doc, clientId) ?? this.publishers.get(clientId);
    return owner === undefined || owner === userId;
  }

  /** Who the state held under `clientId` belongs to, for the other processes ('' if none). */
  publisherOf(clientId: number): string {
    return this.publishers.get(clientId) ?? '';
  }

  /** A state `userId` may publish under `clientId` was accepted. */
  published(clientId: number, userId: string): void {
    this.publishers.set(clientId, userId);
  }

  /** What another process relayed, each entry with who sent it: those the sender may publish. */
  admitRelayed(entries: readonly AwarenessEntry[], senders: readonly string[]): AwarenessEntry[] {
    return entries.filter(({ clientId, json }, i) => {
      const sender = senders[i];
      if (!sender || !this.mayUse(clientId, sender)) return false;
      if (json !== 'null') this.published(clientId, sender);
      return true;
    });
  }
}
