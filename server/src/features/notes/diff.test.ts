import { describe, expect, it } from 'vitest';
import { lineDiff } from './diff.ts';
import { snippetOf } from './snippet.ts';

describe('lineDiff', () => {
  it('marks kept, removed and added lines in order, joining runs', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\ny\nc')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'removed', text: 'b' },
      { op: 'added', text: 'x\ny' },
      { op: 'same', text: 'c' },
    ]);
    expect(lineDiff('same', 'same')).toEqual([{ op: 'same', text: 'same' }]);
  });
});

describe('snippetOf', () => {
  it('shows the passage around the first match with the words highlighted', () => {
    const text = `${'Warm up the back first. '.repeat(6)}Then test the basalt stones on your forearm.`;
    const { snippet, highlights } = snippetOf(text, ['basalt']);
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet).toContain('basalt stones on your forearm.');
    expect(highlights.map(([s, e]) => snippet.slice(s, e))).toEqual(['basalt']);
  });

  it('starts at the beginning when nothing in the text matches', () => {
    expect(snippetOf('Short note.', ['title-only'])).toEqual({ snippet: 'Short note.', highlights: [] });
  });
});
