import type { Round } from '@kneadback/shared/schemas/annotation';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { giverAndReceiver } from '@kneadback/shared/rounds';

export interface Person {
  id: string;
  name: string;
}

/** Who is who in one exchange, from the signed-in person's point of view. */
export interface DebriefPeople {
  me: Person;
  /** The other partner; null while the invited partner has not joined yet. */
  partner: Person | null;
  giver(round: Round): Person | null;
  receiver(round: Round): Person | null;
  /** "You" for the signed-in person, the partner's name, or a neutral word for anyone else. */
  nameOf(userId: string): string;
}

export function debriefPeople(exchange: Exchange, me: Person): DebriefPeople {
  const a: Person = { id: exchange.partnerA.id, name: exchange.partnerA.displayName };
  const b: Person | null = exchange.partnerB ? { id: exchange.partnerB.id, name: exchange.partnerB.displayName } : null;
  const partner = a.id === me.id ? b : a;
  return {
    me,
    partner,
    giver: (round) => giverAndReceiver(round, a, b).giver,
    receiver: (round) => giverAndReceiver(round, a, b).receiver,
    nameOf: (userId) => (userId === me.id ? 'You' : userId === partner?.id ? partner.name : 'A former partner'),
  };
}

export function roundTitle(people: DebriefPeople, round: Round): string {
  const giver = people.giver(round)?.name ?? 'Your partner';
  const receiver = people.receiver(round)?.name ?? 'your partner';
  return `Round ${round}: ${giver} → ${receiver}`;
}

/** Spelled out, because an arrow is easy to misread (and screen readers say "right arrow"). */
export function roundDescription(people: DebriefPeople, round: Round): string {
  const giver = people.giver(round)?.name ?? 'Your partner';
  const receiver = people.receiver(round)?.name ?? 'your partner';
  return `${giver} gives, ${receiver} receives`;
}

/** Whose body the map shows in a round: always the receiver's. */
export function receiverBodyLabel(people: DebriefPeople, round: Round): string {
  const receiver = people.receiver(round);
  if (!receiver) return "your partner's body (receiver)";
  return receiver.id === people.me.id ? 'your body (you received)' : `${receiver.name}'s body (receiver)`;
}
