import { describe, expect, it } from 'vitest';
import { isSafeLink, normaliseLink } from './safeLink.ts';

describe('note links', () => {
  it('keeps only web and e-mail links', () => {
    expect(isSafeLink('https://lastone.example/course')).toBe(true);
    expect(isSafeLink('mailto:ana@example.com')).toBe(true);
    expect(isSafeLink('javascript:alert(1)')).toBe(false);
    expect(isSafeLink(' JAVASCRIPT:alert(1)')).toBe(false);
    expect(isSafeLink('data:text/html,<script>')).toBe(false);
    expect(isSafeLink('')).toBe(false);
  });

  it('turns a typed address into a link and refuses other schemes', () => {
    expect(normaliseLink('example.com/stones')).toBe('https://example.com/stones');
    expect(normaliseLink('localhost:3000/x')).toBe('https://localhost:3000/x');
    expect(normaliseLink('http://example.com')).toBe('http://example.com');
    expect(normaliseLink('javascript:alert(1)')).toBeNull();
    expect(normaliseLink('   ')).toBeNull();
  });
});
