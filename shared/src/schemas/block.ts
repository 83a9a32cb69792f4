import { z } from 'zod';
import { objectIdSchema } from './common.ts';

export const blockBodySchema = z.strictObject({ userId: objectIdSchema });
export type BlockBody = z.infer<typeof blockBodySchema>;

export const blockedUserSchema = z.object({ id: objectIdSchema, displayName: z.string() });
export type BlockedUser = z.infer<typeof blockedUserSchema>;

export const blockListResponseSchema = z.object({ blocked: z.array(blockedUserSchema) });
