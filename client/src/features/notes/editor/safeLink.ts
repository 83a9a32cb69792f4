import { isSafeHref } from '@kneadback/shared/docs/note-doc';

/**
 * What someone typed into the link box, as a link the server accepts (web or e-mail only; a bare
 * "example.com" gets https), or null when it cannot be one.
 */
export function normaliseLink(input: string): string | null {
  const url = input.trim();
  if (!url) return null;
  if (isSafeHref(url)) return url;
  // Anything else with a scheme ("javascript:", "ftp://") is refused rather than guessed at
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[^:/]+:\d/.test(url)) return null;
  const guessed = `https://${url}`;
  return isSafeHref(guessed) ? guessed : null;
}
