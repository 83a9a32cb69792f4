import { z } from 'zod';
import {
  DAY_PARTS,
  DISTANCE_BANDS,
  LANGUAGES,
  PROFILE_PARTS,
  VISIBILITIES,
  WEEKDAYS,
  type ProfilePart,
  type Visibility,
} from '../profile-vocabulary.ts';
import { objectIdSchema } from './common.ts';
import { displayNameSchema, modalitySchema } from './user.ts';
import { visibleTextSchema } from './visible-text.ts';

const unique = <T>(key: (item: T) => string, what: string) =>
  [(items: T[]) => new Set(items.map(key)).size === items.length, `${what} must not repeat`] as const;

export const modalityYearsSchema = z.strictObject({
  modality: modalitySchema,
  years: z.number().int('years must be a whole number').min(0).max(70),
});
export type ModalityYears = z.infer<typeof modalityYearsSchema>;

const THIS_YEAR = new Date().getUTCFullYear();

export const certificationSchema = z.strictObject({
  title: visibleTextSchema().min(1, 'title is required').max(100),
  modality: modalitySchema,
  issuer: visibleTextSchema().min(1, 'issuer is required').max(100),
  year: z
    .number()
    .int()
    .min(1950, 'year must be 1950 or later')
    .max(THIS_YEAR + 1, 'year is in the future'),
  /** An instructor certification: qualifies them to teach this modality. */
  qualifiesToTeach: z.boolean(),
});
export type Certification = z.infer<typeof certificationSchema>;

export const availabilitySlotSchema = z.strictObject({ day: z.enum(WEEKDAYS), part: z.enum(DAY_PARTS) });
export type AvailabilitySlot = z.infer<typeof availabilitySlotSchema>;

/**
 * An approximate position. The server rounds it to a coarse grid before storing it and never
 * shows it to anyone else: others only see a distance band.
 */
export const approximateLocationSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
});
export type ApproximateLocation = z.infer<typeof approximateLocationSchema>;

export const profileVisibilitySchema = z.strictObject(
  Object.fromEntries(PROFILE_PARTS.map((part) => [part, z.enum(VISIBILITIES)])) as Record<
    ProfilePart,
    z.ZodEnum<{ [V in Visibility]: V }>
  >,
);
export type ProfileVisibility = z.infer<typeof profileVisibilitySchema>;

/** Everything a therapist edits about their own profile (PUT /api/profiles/me, whole). */
export const profileBodySchema = z.strictObject({
  displayName: displayNameSchema,
  bio: z.string().trim().max(1000, 'bio must be at most 1,000 characters'),
  modalities: z
    .array(modalityYearsSchema)
    .max(20)
    .refine(...unique((m: ModalityYears) => m.modality, 'modalities')),
  specialties: z
    .array(visibleTextSchema().min(1, 'a specialty cannot be empty').max(40, 'a specialty is at most 40 characters'))
    .max(10, 'at most 10 specialties')
    .refine(...unique((s: string) => s.toLowerCase(), 'specialties')),
  certifications: z.array(certificationSchema).max(20, 'at most 20 certifications'),
  languages: z
    .array(z.enum(LANGUAGES))
    .max(10)
    .refine(...unique((l: string) => l, 'languages')),
  city: visibleTextSchema().max(80, 'city must be at most 80 characters'),
  location: approximateLocationSchema.nullable(),
  availability: z
    .array(availabilitySlotSchema)
    .max(21)
    .refine(...unique((s: AvailabilitySlot) => `${s.day}-${s.part}`, 'availability slots')),
  openToExchanges: z.boolean(),
  visibility: profileVisibilitySchema,
});
export type ProfileBody = z.infer<typeof profileBodySchema>;

/**
 * Changes whenever the photo does (null: no photo). Photo URLs carry it, so a new photo is never
 * hidden behind an old one in a cache.
 */
const photoVersionSchema = z
  .string()
  .regex(/^[a-f0-9]{16}$/)
  .nullable();

/** Texts as stored, without the rules for new input (see publicUserSchema). */
const storedCertificationSchema = certificationSchema.extend({ title: z.string(), issuer: z.string() });

/** Your own profile as you edit it: what you saved, with the location as the server stored it. */
export const ownProfileSchema = profileBodySchema.extend({
  id: objectIdSchema,
  photoVersion: photoVersionSchema,
  displayName: z.string(),
  city: z.string(),
  specialties: z.array(z.string()),
  certifications: z.array(storedCertificationSchema),
});
export type OwnProfile = z.infer<typeof ownProfileSchema>;
export const ownProfileResponseSchema = z.object({ profile: ownProfileSchema });

export const distanceBandSchema = z.enum(DISTANCE_BANDS.map((b) => b.id) as [string, ...string[]]);

/**
 * A profile as someone else sees it: each part is present only when its visibility lets this
 * viewer see it. Never an email, never a position (only a distance band from the viewer's own).
 */
export const profileViewSchema = z.object({
  id: objectIdSchema,
  displayName: z.string(),
  openToExchanges: z.boolean(),
  relationship: z.enum(['self', 'partner', 'other']),
  photoVersion: photoVersionSchema.optional(),
  bio: z.string().optional(),
  modalities: z.array(modalityYearsSchema).optional(),
  specialties: z.array(z.string()).optional(),
  certifications: z.array(storedCertificationSchema).optional(),
  languages: z.array(z.enum(LANGUAGES)).optional(),
  city: z.string().optional(),
  /** With `city`: how far from the viewer's own approximate location, when both have one. */
  distanceBand: distanceBandSchema.nullable().optional(),
  availability: z.array(availabilitySlotSchema).optional(),
  exchangeCount: z.number().int().optional(),
});
export type ProfileView = z.infer<typeof profileViewSchema>;
export const profileViewResponseSchema = z.object({ profile: profileViewSchema });

export const SEARCH_PAGE_SIZE = 20;

const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();
const queryNumber = z.coerce.number<string>();

/** GET /api/partners?… (every value a single query-string value). */
export const partnerSearchQuerySchema = z
  .strictObject({
    modality: modalitySchema.optional(),
    /** Holds a certification that qualifies them to teach this modality. */
    teaches: modalitySchema.optional(),
    specialty: optionalText(40),
    language: z.enum(LANGUAGES).optional(),
    day: z.enum(WEEKDAYS).optional(),
    part: z.enum(DAY_PARTS).optional(),
    city: optionalText(80),
    /** Search near this point; without it, near the searcher's own approximate location. */
    lat: queryNumber.pipe(z.number().min(-90).max(90)).optional(),
    lng: queryNumber.pipe(z.number().min(-180).max(180)).optional(),
    maxKm: queryNumber.pipe(z.number().int().min(1).max(20_000)).optional(),
    page: queryNumber.pipe(z.number().int().min(1).max(1000)).default(1),
  })
  .refine((q) => (q.lat === undefined) === (q.lng === undefined), {
    message: 'give both lat and lng, or neither',
    path: ['lng'],
  });
export type PartnerSearchQuery = z.infer<typeof partnerSearchQuerySchema>;

export const partnerCardSchema = z.object({
  id: objectIdSchema,
  displayName: z.string(),
  photoVersion: photoVersionSchema,
  /** Only what the therapist shows everyone. */
  modalities: z.array(modalitySchema),
  /** Their modalities the searcher does not practise: what an exchange would teach. */
  complementary: z.array(modalitySchema),
  teaches: z.array(modalitySchema),
  city: z.string().nullable(),
  distanceBand: distanceBandSchema.nullable(),
  languages: z.array(z.enum(LANGUAGES)),
  specialties: z.array(z.string()),
});
export type PartnerCard = z.infer<typeof partnerCardSchema>;

export const partnerSearchResponseSchema = z.object({
  results: z.array(partnerCardSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Whether nearness could be judged: a place was given or the searcher has a location. */
  near: z.boolean(),
});
export type PartnerSearchResponse = z.infer<typeof partnerSearchResponseSchema>;

/**
 * A profile photo: small enough to send as JSON and to keep beside the profile (the client
 * shrinks a picture to 256 px before sending it), and only in formats browsers show as images.
 */
export const PHOTO_MAX_BYTES = 40_000;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** PUT /api/profiles/me/photo: the picture as a data URL (`data:image/jpeg;base64,...`). */
export const photoBodySchema = z.strictObject({
  dataUrl: z.string().max(Math.ceil((PHOTO_MAX_BYTES * 4) / 3) + 100, 'the photo must be at most 40 kB'),
});
export const photoResponseSchema = z.object({ photoVersion: photoVersionSchema });
