import { z } from 'zod';
import { bodyViewSchema, roundSchema } from '../schemas/annotation.ts';
import { objectIdSchema } from '../schemas/common.ts';
import { NOTE_BODY_FIELD } from './note-doc.ts';

/** Upper bound for one person's awareness state on the wire. */
export const MAX_PRESENCE_BYTES = 4 * 1024;

/**
 * What each partner shares live through Yjs awareness: who they are, where their pointer is,
 * which round/view they look at, what they have open, and their zoom/pan (for "follow me").
 */
const presenceUserSchema = z.object({
  id: objectIdSchema,
  name: z.string().max(60),
  color: z.string().regex(/^#[0-9a-f]{6}$/i),
});
export type PresenceUser = z.infer<typeof presenceUserSchema>;

export const presenceSchema = z.object({
  user: presenceUserSchema,
  round: roundSchema.nullable().default(null),
  view: bodyViewSchema.nullable().default(null),
  pointer: z.object({ view: bodyViewSchema, x: z.number().finite(), y: z.number().finite() }).nullable().default(null),
  selectedAnnotationId: z.string().max(64).nullable().default(null),
  viewport: z
    .object({ scale: z.number().finite().positive().max(20), x: z.number().finite(), y: z.number().finite() })
    .nullable()
    .default(null),
});
export type Presence = z.infer<typeof presenceSchema>;

export function parsePresence(state: unknown): Presence | null {
  const result = presenceSchema.safeParse(state);
  return result.success ? result.data : null;
}

const PALETTE = ['#1f7a6d', '#b5523b', '#5b5fc7', '#a4621b', '#8a3f8f', '#2f6f9f'];

/** A stable colour per user, so a partner keeps the same colour on every device. */
export function presenceColor(userId: string): string {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

/** Who a device's user is: their account id and display name. */
export interface PresencePerson {
  id: string;
  name: string;
}

/**
 * How a person appears live to the others: their display name and their colour. The server
 * writes this into every presence it relays (a device's own claim is never shown), and the app
 * uses the same for its own device, so both always agree.
 */
export function presenceUser(person: PresencePerson): PresenceUser {
  return { id: person.id, name: person.name.slice(0, 60), color: presenceColor(person.id) };
}

/** A Yjs item or type id, as `JSON.stringify` writes one. */
const yIdSchema = z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() });

/**
 * A Yjs relative position as JSON (`Y.relativePositionToJSON`, or a RelativePosition stringified):
 * an item, a nested type, or the note's body by name. Every other viewer's editor feeds it to
 * `Y.createRelativePositionFromJSON` and resolves it while drawing carets, which throws on
 * anything else (a null anchor stopped the editors of everyone with the note open) and would
 * create a root type in their document for an unknown name.
 */
const relativePositionSchema = z
  .object({
    type: yIdSchema.nullable().optional(),
    tname: z.literal(NOTE_BODY_FIELD).nullable().optional(),
    item: yIdSchema.nullable().optional(),
    assoc: z.number().int().nullable().optional(),
  })
  .refine((p) => p.item != null || p.type != null || p.tname != null, 'a position names an item or a type');

/**
 * Presence in a note: who (as above) and, from Tiptap's collaboration caret (y-prosemirror),
 * where their cursor is (`cursor: {anchor, head}`), or null while the editor is not focused.
 */
export const notePresenceSchema = z.object({
  user: presenceUserSchema,
  cursor: z.object({ anchor: relativePositionSchema, head: relativePositionSchema }).nullable().optional(),
});
export type NotePresence = z.infer<typeof notePresenceSchema>;

export function parseNotePresence(state: unknown): NotePresence | null {
  const result = notePresenceSchema.safeParse(state);
  return result.success ? result.data : null;
}
