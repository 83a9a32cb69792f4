import { z } from 'zod';

/**
 * Characters that show nothing themselves or change how the text around them is shown: control
 * characters (NUL, line breaks, escapes), lone surrogates, bidirectional overrides, embeddings,
 * isolates and marks ("\u202Enimda" reads as "admin"), and zero-width or invisible characters
 * that make two names look alike. Zero-width joiners (U+200C, U+200D) stay: emoji sequences and
 * several scripts need them.
 */
const HIDDEN_OR_REORDERING =
  /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u00AD\u061C\u180E\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/u;

export const VISIBLE_TEXT_RULE =
  'must not contain control characters or invisible formatting (such as right-to-left marks); type it plainly';

/**
 * A short, one-line text that people other than its writer see, such as a person's name: trimmed,
 * in one Unicode form (NFC, so the same name is stored the same way however it was typed), and
 * refused when it holds characters that hide or reorder text. Chain length checks after it.
 */
export const visibleTextSchema = () =>
  z
    .string()
    .trim()
    .normalize('NFC')
    .refine((text) => !HIDDEN_OR_REORDERING.test(text), VISIBLE_TEXT_RULE);
