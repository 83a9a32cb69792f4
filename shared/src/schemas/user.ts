import { z } from 'zod';
import { MODALITIES } from '../vocabulary.ts';
import { objectIdSchema } from './common.ts';
import { visibleTextSchema } from './visible-text.ts';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_RULE = `at least ${PASSWORD_MIN_LENGTH} characters, with at least one letter and one digit`;

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'email is too long')
  .pipe(z.email('enter a valid email address'));

export const passwordSchema = z
  .string()
  .max(200, 'password is too long')
  .refine(
    (p) => p.length >= PASSWORD_MIN_LENGTH && /[A-Za-z]/.test(p) && /\d/.test(p),
    `password must be ${PASSWORD_RULE}`,
  );

export const displayNameSchema = visibleTextSchema()
  .min(1, 'display name is required')
  .max(60, 'display name must be at most 60 characters');

export const modalitySchema = z.enum(MODALITIES);

export const signupBodySchema = z.strictObject({
  email: emailSchema,
  password: passwordSchema,
  displayName: displayNameSchema,
});
export type SignupBody = z.infer<typeof signupBodySchema>;

export const loginBodySchema = z.strictObject({
  email: emailSchema,
  password: z.string().min(1, 'password is required').max(200, 'password is too long'),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const profileSchema = z.object({
  displayName: displayNameSchema,
  modalities: z.array(modalitySchema).max(20),
  city: visibleTextSchema().max(80, 'city must be at most 80 characters'),
});
export type Profile = z.infer<typeof profileSchema>;

export const profileUpdateBodySchema = profileSchema.partial().strict();
export type ProfileUpdateBody = z.infer<typeof profileUpdateBodySchema>;

/**
 * What the API says about a user: never the password hash or email of someone else. Names and
 * cities are read as stored, without the rules for new input: one saved before a rule existed
 * must not break every page that shows its owner.
 */
export const publicUserSchema = profileSchema.extend({
  id: objectIdSchema,
  displayName: z.string(),
  city: z.string(),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

export const currentUserSchema = publicUserSchema.extend({ email: z.string() });
export type CurrentUser = z.infer<typeof currentUserSchema>;

export const meResponseSchema = z.object({ user: currentUserSchema });
export type MeResponse = z.infer<typeof meResponseSchema>;
