import { describe, expect, it } from 'vitest';
import { normaliseLink } from './safeLink.ts';

describe('normaliseLink', () => {
  it('keeps web and e-mail links and completes a typed address', () => {
    expect(normaliseLink('https://lastone.example/course')).toBe('https://lastone.example/course');
    expect(normaliseLink('mailto:ana@example.com')).toBe('mailto:ana@example.com');
    expect(normaliseLink('example.com/stones')).toBe('https://example.com/stones');
    expect(normaliseLink('localhost:3000/x')).toBe('https://localhost:3000/x');
  });

  it('refuses links that could run code or open something else', () => {
    expect(normaliseLink('javascript:alert(1)')).toBeNull();
    expect(normaliseLink(' JAVASCRIPT:alert(1)')).toBeNull();
    expect(normaliseLink('data:text/html,<script>')).toBeNull();
    expect(normaliseLink('ftp://files.example')).toBeNull();
    expect(normaliseLink('   ')).toBeNull();
  });
});
