import { z } from 'zod';

// Fetched once someone is signed in (see NotificationsProvider): zod is not in the sign-in page's download
export { notificationListResponseSchema } from '@kneadback/shared/schemas/notification';
export const markReadResponseSchema = z.object({ unreadCount: z.number().int().nonnegative() });
