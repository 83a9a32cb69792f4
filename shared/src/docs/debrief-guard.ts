import * as Y from 'yjs';
import { CREATED_AT_KEY, IDENTITY_KEYS } from './debrief-doc.ts';

/** How far ahead of the server's clock a device's clock may run. */
const CLOCK_SKEW_MS = 60 * 60_000;
const REPLY_OWNED_KEYS = new Set(['text', 'mentions', 'deleted', 'editedAt']);

export type GuardResult = { ok: true } | { ok: false; reason: string };

/**
 * Checks an incoming debrief update before it is applied, so forged authorship never reaches
 * the document: new values of identity keys must name the person whose device wrote them
 * (`ownerOf` maps a Yjs client id to a user), a mark's author is written once, creation times
 * are not in the future, reactions are the writer's own, and only a reply's author changes its
 * text. Structs the server already has are skipped (re-sends are harmless duplicates).
 */
export function checkDebriefUpdate(
  doc: Y.Doc,
  update: Uint8Array,
  ownerOf: (clientId: number) => string | undefined,
  now = Date.now(),
): GuardResult {
  const { structs } = Y.decodeUpdate(update);
  const incoming = new Map<string, Y.Item>();
  for (const s of structs) if (s instanceof Y.Item) incoming.set(idKey(s.id), s);

  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue;
    // a value overwritten within the same update arrives already deleted: it never takes effect
    if (struct.content instanceof Y.ContentDeleted) continue;
    const place = locate(struct, doc, incoming, 0);
    if (!place || place.key === null) continue;
    const value: unknown = struct.content.getContent()[0];
    const { key } = place;
    const userId = ownerOf(struct.id.client);
    if (userId === undefined) return refuse('change from an unknown device');

    if ((IDENTITY_KEYS as readonly string[]).includes(key)) {
      if (value !== userId && !(key !== 'authorId' && value === null)) return refuse(`${key} must be the sender`);
      if (key === 'authorId' && place.existingParent?.has('authorId')) return refuse('authorship cannot change');
    }
    if (key === CREATED_AT_KEY && typeof value === 'number' && value > now + CLOCK_SKEW_MS) {
      return refuse('creation time is in the future');
    }
    if (key.includes('|') && key.split('|')[1] !== userId) return refuse('reactions are your own');
    const parent = place.existingParent;
    if (REPLY_OWNED_KEYS.has(key) && parent?.get('kind') === 'reply' && parent.get('authorId') !== userId) {
      return refuse("only a reply's author can change it");
    }
  }
  return { ok: true };
}

const refuse = (reason: string): GuardResult => ({ ok: false, reason });
const idKey = (id: Y.ID) => `${id.client}:${id.clock}`;

interface Place {
  key: string | null;
  /** The map the value is written into, when that map already exists on the server. */
  existingParent: Y.Map<unknown> | null;
}

/**
 * Finds which map key an item writes. Only the first write of a key carries its parent and key;
 * an overwrite points at the previous item (its origin), so we follow origins to find the key.
 */
function locate(item: Y.Item, doc: Y.Doc, incoming: Map<string, Y.Item>, depth: number): Place | null {
  if (depth > 64) return null;
  if (item.parentSub !== null || item.parent !== null) {
    return { key: item.parentSub, existingParent: existingMap(item.parent, doc) };
  }
  const neighbour = item.origin ?? item.rightOrigin;
  if (!neighbour) return null;
  const known = existingItem(doc, neighbour);
  if (known) {
    return { key: known.parentSub, existingParent: known.parent instanceof Y.Map ? known.parent : null };
  }
  const pending = incoming.get(idKey(neighbour));
  return pending ? locate(pending, doc, incoming, depth + 1) : null;
}

function existingMap(parent: unknown, doc: Y.Doc): Y.Map<unknown> | null {
  if (!(parent instanceof Y.ID)) return null;
  const item = existingItem(doc, parent);
  const type = item?.content instanceof Y.ContentType ? item.content.type : null;
  return type instanceof Y.Map ? type : null;
}

function existingItem(doc: Y.Doc, id: Y.ID): Y.Item | null {
  if (id.clock >= Y.getState(doc.store, id.client)) return null;
  const struct = Y.getItem(doc.store, id);
  return struct instanceof Y.Item ? struct : null;
}
