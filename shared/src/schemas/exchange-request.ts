import { z } from 'zod';
import { MODALITIES } from '../vocabulary.ts';
import { exchangeStartSchema } from './calendar-day.ts';
import { isoDateSchema, objectIdSchema } from './common.ts';
import { emailSchema } from './user.ts';
import { visibleTextSchema } from './visible-text.ts';

/** Where the exchange happens: the proposer's practice, the recipient's, or somewhere named. */
export const EXCHANGE_PLACES = ['mine', 'yours', 'elsewhere'] as const;
export type ExchangePlace = (typeof EXCHANGE_PLACES)[number];

export const REQUEST_STATUSES = ['pending', 'countered', 'accepted', 'declined', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** A series repeats every N weeks; accepting it books every occurrence at once. */
export const MAX_OCCURRENCES = 12;

const givesSchema = z
  .array(z.enum(MODALITIES, 'unknown modality'))
  .max(3, 'pick at most 3 modalities')
  .refine((list) => new Set(list).size === list.length, 'each modality once');

const placeFields = {
  place: z.enum(EXCHANGE_PLACES, 'place must be mine, yours or elsewhere'),
  /** Required for "elsewhere": a neighbourhood or venue, never a client's address. */
  placeNote: visibleTextSchema().max(120, 'placeNote must be at most 120 characters').default(''),
};

const needsPlaceNote = (b: { place: ExchangePlace; placeNote: string }) =>
  b.place !== 'elsewhere' || b.placeNote !== '';
const PLACE_NOTE_MISSING = { message: 'say where for "elsewhere"', path: ['placeNote'] };

export const createExchangeRequestBodySchema = z
  .strictObject({
    /** Exactly one of toUserId (from a profile) or toEmail. */
    toUserId: objectIdSchema.optional(),
    toEmail: emailSchema.optional(),
    startsAt: exchangeStartSchema,
    ...placeFields,
    /** What the proposer gives (empty: the proposer only receives). */
    proposerGives: givesSchema,
    /** What the proposer asks the recipient to give (empty: the recipient only receives). */
    recipientGives: givesSchema,
    roundMinutes: z
      .number()
      .int()
      .min(10, 'roundMinutes: at least 10')
      .max(180, 'roundMinutes: at most 180')
      .default(60),
    message: z.string().trim().max(1000, 'message must be at most 1000 characters').default(''),
    repeat: z
      .strictObject({
        everyWeeks: z.number().int().min(1).max(8),
        occurrences: z.number().int().min(2).max(MAX_OCCURRENCES),
      })
      .nullable()
      .default(null),
  })
  .refine((b) => (b.toUserId === undefined) !== (b.toEmail === undefined), {
    message: 'name the partner with toUserId or toEmail (one of them)',
    path: ['toUserId'],
  })
  .refine((b) => b.proposerGives.length + b.recipientGives.length > 0, {
    message: 'at least one of you gives a round',
    path: ['proposerGives'],
  })
  .refine(needsPlaceNote, PLACE_NOTE_MISSING);
export type CreateExchangeRequestBody = z.input<typeof createExchangeRequestBodySchema>;

export const counterRequestBodySchema = z
  .strictObject({ startsAt: exchangeStartSchema, ...placeFields })
  .refine(needsPlaceNote, PLACE_NOTE_MISSING);
export type CounterRequestBody = z.input<typeof counterRequestBodySchema>;

export const cancelRequestBodySchema = z.strictObject({
  reason: z.string().trim().min(1, 'give a reason').max(300, 'reason must be at most 300 characters'),
  /** One occurrence of an accepted series; without it the whole request (every upcoming one). */
  exchangeId: objectIdSchema.optional(),
});
export type CancelRequestBody = z.input<typeof cancelRequestBodySchema>;

/** The other person as the viewer may know them: an email request shows only the address typed until answered. */
export const requestCounterpartSchema = z.union([
  z.object({ kind: z.literal('user'), id: objectIdSchema, displayName: z.string() }),
  z.object({ kind: z.literal('email'), email: z.string() }),
]);

export const exchangeRequestSchema = z.object({
  id: objectIdSchema,
  /** sent: the viewer proposed it; received: the viewer was asked. */
  role: z.enum(['sent', 'received']),
  other: requestCounterpartSchema,
  status: z.enum(REQUEST_STATUSES),
  /** Whether the viewer is the one to answer now (accept, decline or propose another time). */
  myTurn: z.boolean(),
  startsAt: isoDateSchema,
  place: z.enum(EXCHANGE_PLACES),
  placeNote: z.string(),
  /** Modalities each side gives, from the viewer's side. */
  iGive: z.array(z.enum(MODALITIES)),
  theyGive: z.array(z.enum(MODALITIES)),
  roundMinutes: z.number(),
  message: z.string(),
  repeat: z.object({ everyWeeks: z.number(), occurrences: z.number() }).nullable(),
  /** Set on a counter-proposal: when the request first asked for. */
  originalStartsAt: isoDateSchema.nullable(),
  /** The booked exchanges once accepted (one per occurrence), with the ones since cancelled. */
  exchangeIds: z.array(objectIdSchema),
  cancelledExchangeIds: z.array(objectIdSchema),
  cancelReason: z.string().nullable(),
  cancelledByMe: z.boolean().nullable(),
  createdAt: isoDateSchema,
  updatedAt: isoDateSchema,
});
export type ExchangeRequest = z.infer<typeof exchangeRequestSchema>;

export const exchangeRequestResponseSchema = z.object({ request: exchangeRequestSchema });
export const exchangeRequestListResponseSchema = z.object({ requests: z.array(exchangeRequestSchema) });
