/** Links in a note may only open a web page or write an e-mail: no `javascript:`, `data:` or app schemes. */
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

export function isSafeLink(url: string | undefined | null): boolean {
  return !!url && SAFE_LINK.test(url.trim());
}

/** What someone typed into the link box, as a link worth keeping (a bare "example.com" gets https). */
export function normaliseLink(input: string): string | null {
  const url = input.trim();
  if (!url) return null;
  if (isSafeLink(url)) return url;
  // Anything else with a scheme ("javascript:", "ftp://") is refused rather than guessed at
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[^:/]+:\d/.test(url)) return null;
  return `https://${url}`;
}
