import { z } from 'zod';

/** Deleting an account asks for its password again: a borrowed unlocked tablet cannot do it. */
export const deleteAccountBodySchema = z.strictObject({
  password: z.string().min(1, 'enter your password to confirm').max(200, 'password is too long'),
});
export type DeleteAccountBody = z.infer<typeof deleteAccountBodySchema>;

/** The name partners see in place of a deleted account's, on the debriefs they keep. */
export const DELETED_ACCOUNT_NAME = 'Former member';

export const EXPORT_FORMAT = 'kneadback-export';

/**
 * GET /api/account/export. `sections` holds one entry per feature that keeps data about the
 * user (account, profile, blocks, exchanges, marks, threadEntries, ...); a feature adds its own
 * by registering a section on the server, so the shape of each section is its feature's.
 */
export const accountExportSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.string(),
  userId: z.string(),
  sections: z.record(z.string(), z.unknown()),
});
export type AccountExport = z.infer<typeof accountExportSchema>;
