// Words for the printed summary. Paper outlives the moment: every time carries its date, and people are named
// (a "You" means nothing once the PDF is forwarded or read months later).

import { BODY_VIEW_LABELS, regionLabel } from '@kneadback/shared/body/index';
import type { Annotation, Round, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { giverAndReceiver } from '@kneadback/shared/rounds';
import { PRESSURE_MAX, VERDICT_LABELS } from '@kneadback/shared/vocabulary';

export interface PrintPeople {
  /** Giver of the round; partner B gives round 2 and may not have joined yet (null). */
  giver(round: Round): string;
  receiver(round: Round): string;
  nameOf(userId: string | null): string;
  /** "Ana Lopez and Ben Okafor". */
  both: string;
}

const NOT_JOINED = 'The invited partner';

export function printPeople(exchange: Exchange): PrintPeople {
  const a = exchange.partnerA.displayName;
  const b = exchange.partnerB?.displayName ?? null;
  const roles = (round: Round) => giverAndReceiver(round, a, b ?? NOT_JOINED);
  const names = new Map<string, string>([[exchange.partnerA.id, a]]);
  if (exchange.partnerB) names.set(exchange.partnerB.id, exchange.partnerB.displayName);
  return {
    giver: (round) => roles(round).giver,
    receiver: (round) => roles(round).receiver,
    nameOf: (userId) => (userId === null ? 'Someone' : (names.get(userId) ?? 'A former partner')),
    both: b ? `${a} and ${b}` : `${a} (partner not joined yet)`,
  };
}

/** "Round 1 — Ana gives, Ben receives". */
export function roundHeading(people: PrintPeople, round: Round): string {
  return `Round ${round} — ${people.giver(round)} gives, ${people.receiver(round)} receives`;
}

const momentFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

/** "27 Nov 2026, 14:03": always the full date, since a printout is read long after. */
export function formatPrintMoment(epochMs: number): string {
  return momentFormat.format(new Date(epochMs));
}

/** "Left upper trapezius · Back" (the side is in every sided region label). */
export function markPlace(mark: Pick<Annotation, 'position'>): { region: string; view: string } {
  return {
    region: regionLabel(mark.position.regionId),
    view: BODY_VIEW_LABELS[mark.position.view],
  };
}

/** "Felt 8/10 · Too deep · Wanted 6/10", or null for other categories and empty pressure marks. */
export function pressureSummary(mark: Pick<Annotation, 'category' | 'pressure' | 'verdict' | 'wanted'>): string | null {
  if (mark.category !== 'pressure') return null;
  const parts: string[] = [];
  if (mark.pressure !== null) parts.push(`Felt ${mark.pressure}/${PRESSURE_MAX}`);
  if (mark.verdict !== null) parts.push(VERDICT_LABELS[mark.verdict]);
  if (mark.wanted !== null) parts.push(`Wanted ${mark.wanted}/${PRESSURE_MAX}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** "Open", "Resolved by Ben, 27 Nov 2026, 14:20", "Open (reopened by Ana, …)". */
export function statusText(
  mark: Pick<Annotation, 'status' | 'statusChangedBy' | 'statusChangedAt'>,
  people: PrintPeople,
): string {
  const when = mark.statusChangedAt !== null ? `, ${formatPrintMoment(mark.statusChangedAt)}` : '';
  if (mark.status === 'resolved') {
    return mark.statusChangedBy !== null ? `Resolved by ${people.nameOf(mark.statusChangedBy)}${when}` : 'Resolved';
  }
  return mark.statusChangedBy !== null ? `Open (reopened by ${people.nameOf(mark.statusChangedBy)}${when})` : 'Open';
}

const REACTION_NAMES: Record<string, string> = {
  '👍': 'Thumbs up',
  '🙏': 'Thanks',
  '💡': 'Good idea',
  '❤️': 'Love it',
  '😅': 'Oops',
};

/**
 * "Thumbs up 2 · Good idea 1". Named in words: emoji fonts are often missing when printing to PDF, and a tofu box
 * says nothing.
 */
export function reactionSummary(entry: Pick<ThreadEntry, 'reactions'>): string | null {
  const parts = Object.entries(entry.reactions)
    .filter(([, who]) => who.length > 0)
    .map(([emoji, who]) => `${REACTION_NAMES[emoji] ?? emoji} ${who.length}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** The round's marks in the order they were made (readAnnotations' order), numbered from 1. */
export function numberMarks(annotations: readonly Annotation[], round: Round): { mark: Annotation; n: number }[] {
  return annotations
    .filter((a) => a.round === round)
    .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
    .map((mark, i) => ({ mark, n: i + 1 }));
}
