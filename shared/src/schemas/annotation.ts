import { z } from 'zod';
import { BODY_VIEW_HEIGHT, BODY_VIEW_WIDTH, BODY_VIEWS } from '../body/geometry.ts';
import { isKnownRegionId } from '../body/lookup.ts';
import { ANNOTATION_STATUSES, CATEGORIES, PRESSURE_MAX, PRESSURE_MIN, PRESSURE_VERDICTS } from '../vocabulary.ts';
import { objectIdSchema } from './common.ts';

export const ROUNDS = [1, 2] as const;
/** Round 1: partner A gives to partner B. Round 2: B gives to A. The map shows the receiver. */
export const roundSchema = z.union([z.literal(1), z.literal(2)]);
export type Round = z.infer<typeof roundSchema>;

export const MAX_ANNOTATION_TEXT = 2_000;
export const MAX_TAGS = 12;

export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(40, 'tags are at most 40 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'tags are words joined by hyphens');

export const bodyViewSchema = z.enum(BODY_VIEWS);

export const markPositionSchema = z.object({
  view: bodyViewSchema,
  x: z.number().finite().min(0).max(BODY_VIEW_WIDTH),
  y: z.number().finite().min(0).max(BODY_VIEW_HEIGHT),
  regionId: z.string().refine(isKnownRegionId, 'unknown body region'),
});
export type MarkPosition = z.infer<typeof markPositionSchema>;

export const pressureFeltSchema = z.number().int().min(PRESSURE_MIN).max(PRESSURE_MAX);

/** What a person fills in; everything else (ids, author, times) the document module stamps. */
export const annotationInputSchema = z
  .object({
    round: roundSchema,
    position: markPositionSchema,
    category: z.enum(CATEGORIES),
    pressure: pressureFeltSchema.nullable().default(null),
    verdict: z.enum(PRESSURE_VERDICTS).nullable().default(null),
    wanted: pressureFeltSchema.nullable().default(null),
    tags: z.array(tagSchema).max(MAX_TAGS).default([]),
    text: z.string().max(MAX_ANNOTATION_TEXT, `text is at most ${MAX_ANNOTATION_TEXT} characters`).default(''),
  })
  .superRefine((a, ctx) => {
    if (a.category !== 'pressure' && (a.pressure !== null || a.verdict !== null || a.wanted !== null)) {
      ctx.addIssue({ code: 'custom', path: ['pressure'], message: 'pressure values belong to pressure marks only' });
    }
  });
export type AnnotationInput = z.input<typeof annotationInputSchema>;

export const annotationPatchSchema = z
  .object({
    category: z.enum(CATEGORIES),
    pressure: pressureFeltSchema.nullable(),
    verdict: z.enum(PRESSURE_VERDICTS).nullable(),
    wanted: pressureFeltSchema.nullable(),
    tags: z.array(tagSchema).max(MAX_TAGS),
    text: z.string().max(MAX_ANNOTATION_TEXT),
  })
  .partial()
  .strict();
export type AnnotationPatch = z.infer<typeof annotationPatchSchema>;

const epochMs = z.number().int().nonnegative();

export const annotationSchema = z.object({
  id: z.string().min(1).max(64),
  authorId: objectIdSchema,
  round: roundSchema,
  position: markPositionSchema,
  category: z.enum(CATEGORIES),
  pressure: pressureFeltSchema.nullable(),
  verdict: z.enum(PRESSURE_VERDICTS).nullable(),
  wanted: pressureFeltSchema.nullable(),
  tags: z.array(tagSchema).max(MAX_TAGS),
  text: z.string().max(MAX_ANNOTATION_TEXT),
  status: z.enum(ANNOTATION_STATUSES),
  statusChangedBy: objectIdSchema.nullable(),
  statusChangedAt: epochMs.nullable(),
  createdAt: epochMs,
  updatedAt: epochMs,
});
export type Annotation = z.infer<typeof annotationSchema>;

export const MAX_REPLY_TEXT = 4_000;
export const REACTIONS = ['👍', '🙏', '💡', '❤️', '😅'] as const;

export const replyInputSchema = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'a reply needs some text')
    .max(MAX_REPLY_TEXT, `a reply is at most ${MAX_REPLY_TEXT} characters`),
  mentions: z.array(objectIdSchema).max(4).default([]),
});
export type ReplyInput = z.input<typeof replyInputSchema>;

/**
 * A thread entry: a reply, or a status change kept in the thread so "who resolved it and when"
 * reads in place. Deleted replies stay as tombstones so the thread keeps its shape.
 */
export const threadEntrySchema = z.object({
  id: z.string().min(1).max(64),
  annotationId: z.string().min(1).max(64),
  authorId: objectIdSchema,
  kind: z.enum(['reply', 'resolved', 'reopened']),
  text: z.string().max(MAX_REPLY_TEXT),
  mentions: z.array(objectIdSchema).max(4),
  reactions: z.record(z.string(), z.array(objectIdSchema)),
  createdAt: epochMs,
  editedAt: epochMs.nullable(),
  deleted: z.boolean(),
});
export type ThreadEntry = z.infer<typeof threadEntrySchema>;
