import { z } from 'zod';

/** MongoDB ObjectId as a 24-hex string: the only id shape the API accepts. */
export const OBJECT_ID_PATTERN = /^[a-f0-9]{24}$/;
export const objectIdSchema = z.string().regex(OBJECT_ID_PATTERN, 'must be a valid id');
export type ObjectIdString = z.infer<typeof objectIdSchema>;

/** When an ObjectId was made (its first four bytes are the creating clock's second), or null for another string. */
export function objectIdTime(id: string): number | null {
  return OBJECT_ID_PATTERN.test(id) ? parseInt(id.slice(0, 8), 16) * 1000 : null;
}

/** The one JSON error shape every HTTP error and socket acknowledgement uses. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const isoDateSchema = z.iso.datetime({ offset: true });
