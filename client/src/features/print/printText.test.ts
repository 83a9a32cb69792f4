import { describe, expect, it } from 'vitest';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { numberMarks, pressureSummary, printPeople, reactionSummary, roundHeading, statusText } from './printText.ts';

const A = '0123456789abcdef01234567';
const B = '0123456789abcdef01234568';

const exchange = {
  id: '0123456789abcdef01234569',
  date: '2026-11-27',
  roundMinutes: 60,
  partnerA: { id: A, displayName: 'Ana' },
  partnerB: { id: B, displayName: 'Ben' },
  inviteToken: null,
  inviteExpiresAt: null,
  createdAt: '2026-11-20T10:00:00.000Z',
} as unknown as Exchange;

function mark(over: Partial<Annotation>): Annotation {
  return {
    id: 'm',
    authorId: B,
    round: 1,
    position: { view: 'posterior', x: 170, y: 150, regionId: 'posterior-upper-trapezius-left' },
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
  };
}

describe('printed summary words', () => {
  const people = printPeople(exchange);

  it('names the giver and receiver of each round (A gives round 1)', () => {
    expect(roundHeading(people, 1)).toBe('Round 1 — Ana gives, Ben receives');
    expect(roundHeading(people, 2)).toBe('Round 2 — Ben gives, Ana receives');
  });

  it('copes with a partner who has not joined', () => {
    const alone = printPeople({ ...exchange, partnerB: null });
    expect(roundHeading(alone, 2)).toBe('Round 2 — The invited partner gives, Ana receives');
  });

  it('summarises pressure only for pressure marks', () => {
    expect(pressureSummary(mark({ pressure: 8, verdict: 'too-deep', wanted: 6 }))).toBe(
      'Felt 8/10 · Too deep · Wanted 6/10',
    );
    expect(pressureSummary(mark({ category: 'praise' }))).toBeNull();
    expect(pressureSummary(mark({}))).toBeNull();
  });

  it('says who resolved or reopened a mark', () => {
    expect(statusText(mark({}), people)).toBe('Open');
    expect(statusText(mark({ status: 'resolved', statusChangedBy: A, statusChangedAt: 0 }), people)).toMatch(
      /^Resolved by Ana, /,
    );
    expect(statusText(mark({ statusChangedBy: B, statusChangedAt: 0 }), people)).toMatch(/^Open \(reopened by Ben, /);
  });

  it('counts reactions in words', () => {
    expect(reactionSummary({ reactions: { '👍': [A, B], '💡': [A], '🙏': [] } })).toBe('Thumbs up 2 · Good idea 1');
    expect(reactionSummary({ reactions: {} })).toBeNull();
  });

  it('numbers a round’s marks in the order they were made', () => {
    const marks = [mark({ id: 'b', createdAt: 5 }), mark({ id: 'x', round: 2 }), mark({ id: 'a', createdAt: 3 })];
    expect(numberMarks(marks, 1).map(({ mark: m, n }) => `${n}:${m.id}`)).toEqual(['1:a', '2:b']);
  });
});
