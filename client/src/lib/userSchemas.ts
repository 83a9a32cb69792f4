/**
 * The account schemas, and zod with them, fetched when first needed: the sign-in page shows its
 * form without them, so they stay out of the first download. Resolves to the same module each time.
 */
export const loadUserSchemas = () => import('@kneadback/shared/schemas/user');
