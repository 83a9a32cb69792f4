import { describe, expect, it } from 'vitest';
import { noteToMarkdown } from './markdown.ts';

const p = (...content: object[]) => ({ type: 'paragraph', content });
const t = (text: string, ...marks: string[]) => ({ type: 'text', text, marks: marks.map((type) => ({ type })) });

describe('noteToMarkdown', () => {
  it('writes headings, marks, lists, checklists and quotes', () => {
    const body = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [t('Stacking thumbs')] },
        p(t('Lean in with '), t('body weight', 'bold'), t(', not '), t('muscle', 'italic'), t('.')),
        {
          type: 'orderedList',
          attrs: { start: 1 },
          content: [
            { type: 'listItem', content: [p(t('Place the pad'))] },
            {
              type: 'listItem',
              content: [
                p(t('Stack')),
                { type: 'bulletList', content: [{ type: 'listItem', content: [p(t('reinforce'))] }] },
              ],
            },
          ],
        },
        {
          type: 'taskList',
          content: [
            { type: 'taskItem', attrs: { checked: true }, content: [p(t('Ask about pressure'))] },
            { type: 'taskItem', attrs: { checked: false }, content: [p(t('Check draping'))] },
          ],
        },
        { type: 'blockquote', content: [p(t('Slow is smooth'))] },
      ],
    };
    expect(noteToMarkdown('Thumbs', body)).toBe(
      [
        '# Thumbs',
        '',
        '## Stacking thumbs',
        '',
        'Lean in with **body weight**, not _muscle_.',
        '',
        '1. Place the pad',
        '2. Stack',
        '   - reinforce',
        '',
        '- [x] Ask about pressure',
        '- [ ] Check draping',
        '',
        '> Slow is smooth',
        '',
      ].join('\n'),
    );
  });

  it('keeps safe links, drops unsafe ones to their text and escapes formatting characters', () => {
    const link = (href: string) => ({ type: 'text', text: 'course', marks: [{ type: 'link', attrs: { href } }] });
    const body = {
      type: 'doc',
      content: [p(link('https://example.com/a b'), t(' '), link('javascript:alert(1)'), t(' *x*'))],
    };
    expect(noteToMarkdown('A # title', body)).toBe(
      '# A \\# title\n\n[course](https://example.com/a%20b) course \\*x\\*\n',
    );
  });
});
