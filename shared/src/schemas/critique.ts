import { z } from 'zod';
import { BODY_VIEWS } from '../body/geometry.ts';
import { ANNOTATION_STATUSES, CATEGORIES, PRESSURE_VERDICTS } from '../vocabulary.ts';
import { roundSchema } from './annotation.ts';
import { objectIdSchema } from './common.ts';
import { publicUserSchema } from './user.ts';

/**
 * The critique record: one annotation of a debrief as one of its two partners finds it in Review
 * (the giver with role `given`, the receiver with `received`). The debrief's Yjs document is the
 * truth; the projector (`server/src/features/debriefs/`) writes this record into each partner's
 * Review collection, and the API hands it out as a `CritiqueView`. Both forms come from the one
 * list of fields below; they differ only in how times travel (a Date stored, an ISO string sent)
 * and in the partner (an id stored, a name sent).
 */
function critiqueFields<Time extends z.ZodType>(time: Time) {
  return {
    exchangeId: objectIdSchema,
    annotationId: z.string(),
    exchangeDate: z.string(),
    round: roundSchema,
    role: z.enum(['given', 'received']),
    authorId: objectIdSchema,
    category: z.enum(CATEGORIES),
    view: z.enum(BODY_VIEWS),
    regionId: z.string(),
    x: z.number(),
    y: z.number(),
    pressure: z.number().nullable(),
    verdict: z.enum(PRESSURE_VERDICTS).nullable(),
    wanted: z.number().nullable(),
    tags: z.array(z.string()),
    text: z.string(),
    status: z.enum(ANNOTATION_STATUSES),
    createdAt: time,
    /** Replies not deleted. */
    replyCount: z.number(),
    thread: z.array(
      z.object({
        id: z.string(),
        authorId: objectIdSchema,
        kind: z.enum(['reply', 'resolved', 'reopened']),
        text: z.string(),
        createdAt: time,
        editedAt: time.nullable(),
        deleted: z.boolean(),
      }),
    ),
  };
}

/** As stored in a partner's Review collection (`review_<userId>`). */
export const critiqueRecordSchema = z.object({
  _id: z.string(), // `${exchangeId}:${annotationId}`
  ...critiqueFields(z.date()),
  partnerId: objectIdSchema.nullable(),
});
export type CritiqueRecord = z.infer<typeof critiqueRecordSchema>;

/** As the API sends it (Review lists, carried-forward items). */
export const critiqueViewSchema = z.object({
  ...critiqueFields(z.string()),
  partner: publicUserSchema.nullable(),
});
export type CritiqueView = z.infer<typeof critiqueViewSchema>;
