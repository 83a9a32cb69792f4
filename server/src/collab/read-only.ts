import * as Y from 'yjs';

/**
 * Whether applying `update` would change `doc`: a new item, or a deletion of something not yet
 * deleted. A read-only connection's sync still sends an update (its state, with every deletion it
 * knows), which changes nothing; anything else from it is refused before it applies.
 */
export function wouldChange(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  for (const struct of structs) {
    // a Skip only stands for a gap in the encoding
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return true;
  }
  if (ds.clients.size === 0) return false;
  const deleted = Y.createDeleteSetFromStructStore(doc.store).clients;
  for (const [client, ranges] of ds.clients) {
    const known = deleted.get(client) ?? [];
    if (ranges.some((r) => r.len > 0 && !covered(known, r.clock, r.clock + r.len))) return true;
  }
  return false;
}

/** Whether sorted, merged ranges cover [start, end). */
function covered(ranges: readonly { clock: number; len: number }[], start: number, end: number): boolean {
  for (const r of ranges) {
    if (r.clock > start) return false;
    if (r.clock + r.len >= end) return true;
    if (r.clock + r.len > start) start = r.clock + r.len;
  }
  return false;
}
