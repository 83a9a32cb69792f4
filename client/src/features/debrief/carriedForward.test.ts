import { describe, expect, it } from 'vitest';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import type { CritiqueView } from '@kneadback/shared/schemas/review';
import { groupByGiver } from './carriedForward.ts';
import { debriefPeople } from './people.ts';

const user = (id: string, displayName: string) => ({ id: id.repeat(24), displayName, modalities: [], city: '' });
const ana = user('a', 'Ana');
const ben = user('b', 'Ben');
// Today Ana gives round 1 and Ben round 2
const today: Exchange = {
  id: 'e'.repeat(24),
  date: '2026-11-27',
  roundMinutes: 60,
  partnerA: ana,
  partnerB: ben,
  inviteToken: null,
  inviteExpiresAt: null,
  startsAt: null,
  requestId: null,
  cancelledAt: null,
  cancelReason: null,
  createdAt: '2026-11-27T10:00:00.000Z',
};

function critique(annotationId: string, role: CritiqueView['role'], partner: CritiqueView['partner']): CritiqueView {
  return {
    exchangeId: 'd'.repeat(24),
    annotationId,
    exchangeDate: '2026-10-01',
    round: 1,
    role,
    partner,
    authorId: ben.id,
    category: 'pressure',
    view: 'posterior',
    regionId: 'posterior-upper-trapezius-left',
    x: 170,
    y: 149,
    pressure: 8,
    verdict: 'too-deep',
    wanted: null,
    tags: [],
    text: '',
    status: 'open',
    createdAt: '2026-10-01T10:00:00.000Z',
    replyCount: 0,
    thread: [],
  };
}

describe("last exchange's open points", () => {
  it('are grouped by whose technique they are about, in the order the two give today', () => {
    // Seen by Ben: 'given' means Ben gave that massage, so it is about Ben's technique
    const people = debriefPeople(today, { id: ben.id, name: 'Ben' });
    const groups = groupByGiver(
      [critique('1', 'given', ana), critique('2', 'received', ana), critique('3', 'given', ana)],
      people,
    );
    expect(groups.map((g) => [g.heading, g.items.map((i) => i.annotationId)])).toEqual([
      ["Ana's technique", ['2']],
      ['Your technique', ['1', '3']],
    ]);
    expect(groups[0]!.hint).toBe('Check in round 1, when Ana gives.');
    expect(groups[1]!.hint).toBe('Check in round 2, when you give.');
  });

  it('name the partner from this debrief when the critique does not', () => {
    const people = debriefPeople(today, { id: ana.id, name: 'Ana' });
    expect(groupByGiver([critique('1', 'received', null)], people)[0]!.heading).toBe("Ben's technique");
  });
});
