import { ROUNDS, type Round } from '@kneadback/shared/schemas/annotation';
import type { CritiqueView } from '@kneadback/shared/schemas/review';
import type { DebriefPeople } from './people.ts';

export interface GiverGroup {
  giverId: string;
  /** "Your technique" or "Ana's technique": a critique is about the technique of whoever gave that round. */
  heading: string;
  /** The round in which this giver gives today, when they do. */
  roundToday: Round | null;
  /** "Check in round 2, when Ana gives." */
  hint: string | null;
  items: CritiqueView[];
}

/**
 * Last time's open points, one group per giver, in the order the two give today, so each can go
 * over their own points before (or while) they work.
 */
export function groupByGiver(items: readonly CritiqueView[], people: DebriefPeople): GiverGroup[] {
  const groups = new Map<string, GiverGroup>();
  for (const item of items) {
    const giver = giverOf(item, people);
    let group = groups.get(giver.id);
    if (!group) {
      const mine = giver.id === people.me.id;
      const roundToday = ROUNDS.find((r) => people.giver(r)?.id === giver.id) ?? null;
      group = {
        giverId: giver.id,
        heading: mine ? 'Your technique' : `${giver.name}'s technique`,
        roundToday,
        hint:
          roundToday === null
            ? null
            : `Check in round ${roundToday}, when ${mine ? 'you give' : `${giver.name} gives`}.`,
        items: [],
      };
      groups.set(giver.id, group);
    }
    group.items.push(item);
  }
  return [...groups.values()].sort((a, b) => (a.roundToday ?? 3) - (b.roundToday ?? 3));
}

/** role 'given' means the viewer gave that massage; otherwise the partner of that exchange did. */
function giverOf(item: CritiqueView, people: DebriefPeople): { id: string; name: string } {
  if (item.role === 'given') return people.me;
  if (item.partner) return { id: item.partner.id, name: item.partner.displayName };
  return people.partner ?? { id: 'partner', name: 'Your partner' };
}
