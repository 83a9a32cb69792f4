import { z } from 'zod';
import { ANNOTATION_STATUSES } from '../vocabulary.ts';

export const setStatusBodySchema = z.strictObject({ status: z.enum(ANNOTATION_STATUSES) });

export const markThreadReadBodySchema = z.strictObject({
  annotationId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a mark id'),
});

/** annotationId -> ISO time the user last read that thread. */
export const threadReadsResponseSchema = z.object({ reads: z.record(z.string(), z.string()) });
