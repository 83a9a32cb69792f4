import { z } from 'zod';
import { BODY_VIEWS } from '../body/geometry.ts';
import { isKnownRegionId } from '../body/lookup.ts';
import { ANNOTATION_STATUSES, CATEGORIES, PRESSURE_VERDICTS } from '../vocabulary.ts';
import { objectIdSchema } from './common.ts';
import { publicUserSchema } from './user.ts';
import { roundSchema, tagSchema } from './annotation.ts';

const day = z.iso.date('use YYYY-MM-DD');

/** Review filters arrive as query-string values; every field is optional. */
const filterShape = {
  partnerId: objectIdSchema.optional(),
  role: z.enum(['given', 'received']).optional(),
  category: z.enum(CATEGORIES).optional(),
  regionId: z.string().refine(isKnownRegionId, 'unknown body region').optional(),
  tag: tagSchema.optional(),
  verdict: z.enum(PRESSURE_VERDICTS).optional(),
  status: z.enum(ANNOTATION_STATUSES).optional(),
  from: day.optional(),
  to: day.optional(),
};
const datesInOrder = [
  (f: { from?: string; to?: string }) => !f.from || !f.to || f.from <= f.to,
  { message: '"from" must not be after "to"', path: ['from'] as PropertyKey[] },
] as const;

export const reviewFilterSchema = z.strictObject(filterShape).refine(...datesInOrder);
export type ReviewFilter = z.infer<typeof reviewFilterSchema>;

export const reviewListQuerySchema = z
  .strictObject({
    ...filterShape,
    sort: z.enum(['newest', 'oldest']).default('newest'),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine(...datesInOrder);
export type ReviewListQuery = z.infer<typeof reviewListQuerySchema>;

export const threadEntryViewSchema = z.object({
  id: z.string(),
  authorId: objectIdSchema,
  kind: z.enum(['reply', 'resolved', 'reopened']),
  text: z.string(),
  createdAt: z.string(),
  editedAt: z.string().nullable(),
  deleted: z.boolean(),
});

export const critiqueViewSchema = z.object({
  debriefId: objectIdSchema,
  annotationId: z.string(),
  exchangeDate: z.string(),
  round: roundSchema,
  role: z.enum(['given', 'received']),
  partner: publicUserSchema.nullable(),
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
  createdAt: z.string(),
  replyCount: z.number(),
  thread: z.array(threadEntryViewSchema),
});
export type CritiqueView = z.infer<typeof critiqueViewSchema>;

export const reviewListResponseSchema = z.object({
  items: z.array(critiqueViewSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type ReviewListResponse = z.infer<typeof reviewListResponseSchema>;

export const reviewPatternsResponseSchema = z.object({
  /** Critique count per body region for the current filter. */
  regions: z.array(z.object({ regionId: z.string(), count: z.number().int() })),
  /** Counts per tag per month (YYYY-MM), for the most frequent tags. */
  tagsByMonth: z.array(z.object({ tag: z.string(), month: z.string(), count: z.number().int() })),
  total: z.number().int(),
});
export type ReviewPatternsResponse = z.infer<typeof reviewPatternsResponseSchema>;

/** Everyone the user's critiques were given to or received from, once each, by name: the Partner filter's choices. */
export const reviewPartnersResponseSchema = z.object({ partners: z.array(publicUserSchema) });
export type ReviewPartnersResponse = z.infer<typeof reviewPartnersResponseSchema>;

export const carriedForwardResponseSchema = z.object({
  /** Unresolved critiques from earlier debriefs between the same partners, newest debrief first. */
  items: z.array(critiqueViewSchema),
});
