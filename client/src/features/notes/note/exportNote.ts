import type * as Y from 'yjs';
import { noteMarkdown } from '@kneadback/shared/docs/note-text';

/** A file name from the note's title: letters, digits and dashes only. */
export function markdownFileName(title: string): string {
  const slug = title
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${slug || 'note'}.md`;
}

/** Saves the note as it is on this device now (works offline too) as a Markdown file. */
export function downloadMarkdown(doc: Y.Doc, title: string): void {
  const blob = new Blob([noteMarkdown(doc)], { type: 'text/markdown;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = markdownFileName(title);
  document.body.append(a);
  a.click();
  a.remove();
  // After the click has handed the file to the browser
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
