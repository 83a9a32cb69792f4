import { describe, expect, it } from 'vitest';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import { applyFilter, NO_FILTER } from './annotationFilters.ts';
import { firstLine, markPlace, pressureSummary, toTagSlug } from './annotationText.ts';

const mark = (over: Partial<Annotation>): Annotation => ({
  id: 'm1',
  authorId: 'a'.repeat(24),
  round: 1,
  position: { view: 'posterior', x: 150, y: 150, regionId: 'posterior-upper-trapezius-left' },
  category: 'pressure',
  pressure: null,
  verdict: null,
  wanted: null,
  tags: [],
  text: '',
  status: 'open',
  statusChangedBy: null,
  statusChangedAt: null,
  createdAt: 1,
  updatedAt: 1,
  ...over,
});

describe('annotation text', () => {
  it('names the side and the view of a mark', () => {
    expect(markPlace(mark({}))).toBe('Left upper trapezius · Back');
  });
  it('summarises pressure only with what was said', () => {
    expect(pressureSummary(mark({}))).toBeNull();
    expect(pressureSummary(mark({ pressure: 8, verdict: 'too-deep', wanted: 5 }))).toBe(
      'Felt 8/10 · Too deep · wanted 5',
    );
  });
  it('turns typed words into a tag slug', () => {
    expect(toTagSlug('  Elbow too SHARP! ')).toBe('elbow-too-sharp');
    expect(firstLine('one\ntwo')).toBe('one');
  });
  it('filters but always keeps the selected mark', () => {
    const marks = [mark({ id: 'a' }), mark({ id: 'b', status: 'resolved' })];
    expect(applyFilter(marks, { ...NO_FILTER, status: 'open' }, null).map((m) => m.id)).toEqual(['a']);
    expect(applyFilter(marks, { ...NO_FILTER, status: 'open' }, 'b').map((m) => m.id)).toEqual(['a', 'b']);
  });
});
