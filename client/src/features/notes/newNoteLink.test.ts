import { describe, expect, it } from 'vitest';
import { createNoteBodySchema } from '@kneadback/shared/schemas/note';
import { newNotePath } from '../../lib/links.ts';
import { originFromParams } from './newNoteLink.ts';

const roundTrip = (href: string) =>
  createNoteBodySchema.shape.from.parse(originFromParams(new URL(href, 'http://x').searchParams));

describe('new note links', () => {
  it('carry a debrief mark to the new-note form', () => {
    const from = { type: 'mark' as const, exchangeId: 'a'.repeat(24), markId: 'm_1-x' };
    expect(roundTrip(newNotePath(from))).toEqual(from);
  });

  it('carry a Review pattern with its count as a number', () => {
    const from = {
      type: 'pattern' as const,
      regionId: 'posterior-upper-trapezius-left',
      count: 4,
      category: 'pressure' as const,
    };
    expect(newNotePath(from)).toMatch(/^\/notes\/new\?/);
    expect(roundTrip(newNotePath(from))).toEqual(from);
  });

  it('start blank without an origin', () => {
    expect(newNotePath()).toBe('/notes/new');
    expect(originFromParams(new URLSearchParams())).toBeUndefined();
  });
});
