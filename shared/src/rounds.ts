import type { Round } from './schemas/annotation.ts';

/**
 * Who gives and who receives in a round: partner A (who created the exchange) gives round 1 to partner B, and B
 * gives round 2 back. The one place that says so: the debrief, its printout and the server's Review record ask here.
 */
export function giverAndReceiver<T>(round: Round, partnerA: T, partnerB: T): { giver: T; receiver: T } {
  return round === 1 ? { giver: partnerA, receiver: partnerB } : { giver: partnerB, receiver: partnerA };
}
