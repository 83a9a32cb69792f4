import { describe, expect, it } from 'vitest';
import { lineDiff } from './lineDiff.ts';

describe('lineDiff', () => {
  it('keeps common lines and marks what was taken out and put in', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' },
      { kind: 'added', text: 'd' },
    ]);
  });

  it('says nothing changed for equal texts', () => {
    expect(lineDiff('one\ntwo', 'one\ntwo').every((line) => line.kind === 'same')).toBe(true);
  });
});
