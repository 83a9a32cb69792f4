import { describe, expect, it } from 'vitest';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { debriefPeople, receiverBodyLabel, roundDescription, roundTitle } from './people.ts';

const user = (id: string, displayName: string) => ({ id: id.repeat(24), displayName, modalities: [], city: '' });
const exchange: Exchange = {
  id: 'e'.repeat(24),
  date: '2026-11-27',
  roundMinutes: 60,
  partnerA: user('a', 'Ana'),
  partnerB: user('b', 'Ben'),
  inviteToken: null,
  inviteExpiresAt: null,
  startsAt: null,
  requestId: null,
  cancelledAt: null,
  cancelReason: null,
  createdAt: '2026-11-27T10:00:00.000Z',
};

describe('debrief people', () => {
  it('round 1 is A giving to B, round 2 the other way, and the map shows the receiver', () => {
    const people = debriefPeople(exchange, { id: 'a'.repeat(24), name: 'Ana' });
    expect(roundTitle(people, 1)).toBe('Round 1: Ana → Ben');
    expect(roundDescription(people, 2)).toBe('Ben gives, Ana receives');
    expect(receiverBodyLabel(people, 1)).toBe("Ben's body (receiver)");
    expect(receiverBodyLabel(people, 2)).toBe('your body (you received)');
    expect(people.partner?.name).toBe('Ben');
    expect(people.nameOf('a'.repeat(24))).toBe('You');
  });

  it('copes with a partner who has not joined yet', () => {
    const people = debriefPeople({ ...exchange, partnerB: null }, { id: 'a'.repeat(24), name: 'Ana' });
    expect(people.partner).toBeNull();
    expect(roundTitle(people, 1)).toBe('Round 1: Ana → your partner');
  });
});
