import { z } from 'zod';
import { CATEGORIES, type Category } from '@kneadback/shared/vocabulary';
import { tagSchema } from '@kneadback/shared/schemas/annotation';

// Per person, because a treatment-room tablet is often shared by colleagues.
const key = (userId: string, name: string) => `kneadback:${userId}:${name}`;
const MAX_CUSTOM_TAGS = 40;

function read<T>(storageKey: string, schema: z.ZodType<T>, fallback: T): T {
  try {
    const raw = localStorage.getItem(storageKey);
    if (raw === null) return fallback;
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback; // storage disabled (private mode) or corrupt: defaults are fine
  }
}

function write(storageKey: string, value: unknown): void {
  try {
    localStorage.setItem(storageKey, JSON.stringify(value));
  } catch {
    // storage full or disabled: the preference is simply not remembered
  }
}

/** The category of the last mark placed or changed, so a run of similar marks takes one tap each. */
export function loadLastCategory(userId: string): Category {
  return read(key(userId, 'last-category'), z.enum(CATEGORIES), 'pressure');
}

export function saveLastCategory(userId: string, category: Category): void {
  write(key(userId, 'last-category'), category);
}

/** Tags this person coined, newest first, offered again on every mark. */
export function loadCustomTags(userId: string): string[] {
  return read(key(userId, 'custom-tags'), z.array(tagSchema), []);
}

export function rememberCustomTag(userId: string, tag: string): string[] {
  const next = [tag, ...loadCustomTags(userId).filter((t) => t !== tag)].slice(0, MAX_CUSTOM_TAGS);
  write(key(userId, 'custom-tags'), next);
  return next;
}
