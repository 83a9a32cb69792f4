import { describe, expect, it } from 'vitest';
import { markdownFileName } from './exportNote.ts';

describe('markdownFileName', () => {
  it('makes a safe file name from any title', () => {
    expect(markdownFileName('Stacked thumbs: rhomboids!')).toBe('stacked-thumbs-rhomboids.md');
    expect(markdownFileName('Épaule / ../etc')).toBe('épaule-etc.md');
    expect(markdownFileName('   ')).toBe('note.md');
  });
});
