import { z } from 'zod';
import { bodyViewSchema, roundSchema } from '../schemas/annotation.ts';
import { objectIdSchema } from '../schemas/common.ts';

/** Upper bound for one person's awareness state on the wire. */
export const MAX_PRESENCE_BYTES = 4 * 1024;

/**
 * What each partner shares live through Yjs awareness: who they are, where their pointer is,
 * which round/view they look at, what they have open, and their zoom/pan (for "follow me").
 */
export const presenceSchema = z.object({
  user: z.object({
    id: objectIdSchema,
    name: z.string().max(60),
    color: z.string().regex(/^#[0-9a-f]{6}$/i),
  }),
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

/**
 * Presence in a note: who (as above) and, from Tiptap's collaboration caret (y-prosemirror),
 * where their cursor is (`cursor: {anchor, head}`, relative positions as y-prosemirror writes them).
 */
export const notePresenceSchema = z.object({
  user: presenceSchema.shape.user,
  cursor: z.object({ anchor: z.unknown(), head: z.unknown() }).nullable().optional(),
});
export type NotePresence = z.infer<typeof notePresenceSchema>;

export function parseNotePresence(state: unknown): NotePresence | null {
  const result = notePresenceSchema.safeParse(state);
  return result.success ? result.data : null;
}
