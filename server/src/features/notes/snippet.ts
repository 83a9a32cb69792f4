/** Characters shown before and after the first match. */
const BEFORE = 60;
const AFTER = 160;

/**
 * The passage of a note's text around the first word found (the start of the text when only
 * the title matched or there are no words), with the ranges of the words inside it.
 */
export function snippetOf(text: string, words: readonly string[]): { snippet: string; highlights: [number, number][] } {
  const lower = text.toLowerCase();
  let first = -1;
  for (const word of words) {
    const at = lower.indexOf(word);
    if (at !== -1 && (first === -1 || at < first)) first = at;
  }
  let start = first <= BEFORE ? 0 : first - BEFORE;
  if (start > 0) start = Math.max(start, lower.indexOf(' ', start) + 1);
  const end = Math.min(text.length, (first === -1 ? 0 : first) + AFTER);
  const prefix = start > 0 ? '…' : '';
  const snippet = prefix + text.slice(start, end).replace(/\s+/g, ' ') + (end < text.length ? '…' : '');
  const highlights: [number, number][] = [];
  const shown = snippet.toLowerCase();
  for (const word of words) {
    for (let at = shown.indexOf(word); at !== -1; at = shown.indexOf(word, at + word.length)) {
      highlights.push([at, at + word.length]);
    }
  }
  return { snippet, highlights: highlights.sort((a, b) => a[0] - b[0]) };
}
