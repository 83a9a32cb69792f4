import { z } from 'zod';
import { MODALITIES } from '../vocabulary.ts';
import { pastDaySchema } from './calendar-day.ts';
import { isoDateSchema, objectIdSchema } from './common.ts';
import { exchangeSchema } from './exchange.ts';
import { visibleTextSchema } from './visible-text.ts';

/** Given vs received minutes with one partner, from completed exchanges and the rounds each gave. */
export const ledgerSchema = z.object({
  partner: z.object({ id: objectIdSchema, displayName: z.string() }),
  exchanges: z.number().int().nonnegative(),
  givenMinutes: z.number().int().nonnegative(),
  receivedMinutes: z.number().int().nonnegative(),
  lastExchangeAt: isoDateSchema.nullable(),
});
export type Ledger = z.infer<typeof ledgerSchema>;
export const ledgerResponseSchema = z.object({ ledger: ledgerSchema });

export const REMINDER_DAYS_DEFAULT = 7;
export const rhythmSettingsSchema = z.strictObject({
  reminderDays: z.number().int().min(1, 'reminderDays: at least 1').max(90, 'reminderDays: at most 90'),
});
export type RhythmSettings = z.infer<typeof rhythmSettingsSchema>;

/** The home view: what is next, when the user last received a massage, and how even each partnership is. */
export const rhythmSchema = z.object({
  next: exchangeSchema.nullable(),
  /** The newest exchange already held: its debrief holds the open points to carry forward. */
  last: exchangeSchema.nullable(),
  daysSinceReceived: z.number().int().nonnegative().nullable(),
  reminderDays: z.number().int(),
  /** No massage received for reminderDays (or never): the home view says so and a notification is sent once. */
  due: z.boolean(),
  ledgers: z.array(ledgerSchema),
});
export type Rhythm = z.infer<typeof rhythmSchema>;

const NOT_CLIENT_DATA = 'describe the need, not the client: no names, phone numbers, emails, addresses or birth dates';

/** Refuses text that looks like a client's contact data (emails, links, phone numbers, titled names). */
const withoutClientData = (text: z.ZodString) =>
  text
    .refine((s) => !/@|https?:|www\./i.test(s), NOT_CLIENT_DATA)
    .refine((s) => !/(\d[\s.\-/()]*){6,}/.test(s), NOT_CLIENT_DATA)
    .refine((s) => !/\b(?:[Mm]rs?|[Mm]s|[Mm]iss|[Dd]r)\.?\s+[A-Z]/.test(s), NOT_CLIENT_DATA);

/** What a referral was for. Referrals never identify the client: short, and refused when it looks like contact data. */
export const referralForSchema = withoutClientData(
  visibleTextSchema()
    .min(3, 'say what the referral was for (e.g. "sports injury, knee")')
    .max(140, 'forWhat must be at most 140 characters'),
);
export const REFERRAL_HINT = NOT_CLIENT_DATA;

export const createReferralBodySchema = z.strictObject({
  forWhat: referralForSchema,
  /** The day of the referral (YYYY-MM-DD), today or earlier. */
  date: pastDaySchema,
});
export type CreateReferralBody = z.infer<typeof createReferralBodySchema>;

export const referralSchema = z.object({
  id: objectIdSchema,
  /** given: the viewer sent a client to the partner; received: the partner sent one to the viewer. */
  direction: z.enum(['given', 'received']),
  forWhat: z.string(),
  date: z.string(),
  createdAt: isoDateSchema,
});
export type Referral = z.infer<typeof referralSchema>;
export const referralListResponseSchema = z.object({ referrals: z.array(referralSchema) });
export const referralResponseSchema = z.object({ referral: referralSchema });

export const createEndorsementBodySchema = z.strictObject({
  modality: z.enum(MODALITIES, 'unknown modality'),
  /** e.g. "I refer clients with sports injuries to her". */
  /** Shown on the profile to everyone signed in: like a referral, it never identifies a client. */
  note: withoutClientData(visibleTextSchema().max(200, 'note must be at most 200 characters')).default(''),
});
export type CreateEndorsementBody = z.input<typeof createEndorsementBodySchema>;

export const endorsementSchema = z.object({
  modality: z.enum(MODALITIES),
  note: z.string(),
  by: z.object({ id: objectIdSchema, displayName: z.string() }),
  createdAt: isoDateSchema,
});
export type Endorsement = z.infer<typeof endorsementSchema>;
export const endorsementListResponseSchema = z.object({ endorsements: z.array(endorsementSchema) });
export const endorsementResponseSchema = z.object({ endorsement: endorsementSchema });
