import { z } from 'zod';
import { exchangeDaySchema } from './calendar-day.ts';
import { isoDateSchema, objectIdSchema } from './common.ts';
import { publicUserSchema } from './user.ts';

/**
 * An exchange created by its creator alone gets an invite link: the invitee joining is their consent. With a
 * known partner (a profile or an email) it is an exchange request instead (`exchange-request.ts`).
 */
export const createExchangeBodySchema = z.strictObject({
  date: exchangeDaySchema,
  roundMinutes: z.number().int().min(10).max(180).default(60),
});
export type CreateExchangeBody = z.input<typeof createExchangeBodySchema>;

export const joinExchangeBodySchema = z.strictObject({
  inviteToken: z.string().min(16).max(100),
});

export const exchangeSchema = z.object({
  id: objectIdSchema,
  date: z.string(),
  roundMinutes: z.number(),
  /** Partner A created the exchange and gives round 1; partner B gives round 2. */
  partnerA: publicUserSchema,
  partnerB: publicUserSchema.nullable(),
  /** Only shown to partner A while B has not joined and A has not withdrawn it. */
  inviteToken: z.string().nullable(),
  /** When the invite link stops working (with inviteToken; null when there is none). */
  inviteExpiresAt: isoDateSchema.nullable(),
  /** Set when booked through an accepted request: when it starts. */
  startsAt: isoDateSchema.nullable(),
  /** The accepted request that booked it (null for invite-link exchanges). */
  requestId: objectIdSchema.nullable(),
  cancelledAt: isoDateSchema.nullable(),
  cancelReason: z.string().nullable(),
  createdAt: isoDateSchema,
});
export type Exchange = z.infer<typeof exchangeSchema>;

export const exchangeResponseSchema = z.object({ exchange: exchangeSchema });
export const exchangeListResponseSchema = z.object({ exchanges: z.array(exchangeSchema) });
