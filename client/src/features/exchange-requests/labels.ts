import type { ExchangePlace, ExchangeRequest } from '@kneadback/shared/schemas/exchange-request';
import { MODALITIES, MODALITY_LABELS, type Modality } from '@kneadback/shared/vocabulary';

export const MODALITY_CHOICES = MODALITIES.map((m) => ({ value: m, label: MODALITY_LABELS[m] }));

export const PLACE_CHOICES: { value: ExchangePlace; label: string }[] = [
  { value: 'mine', label: 'At my place' },
  { value: 'yours', label: 'At their place' },
  { value: 'elsewhere', label: 'Somewhere else' },
];

export function modalityList(list: readonly Modality[]): string {
  return list.length ? list.map((m) => MODALITY_LABELS[m]).join(', ') : 'nothing (only receives)';
}

/** Where, from the viewer's side. */
export function placeText(r: Pick<ExchangeRequest, 'place' | 'placeNote'>): string {
  if (r.place === 'elsewhere') return r.placeNote || 'Somewhere else';
  return r.place === 'mine' ? 'At your place' : 'At their place';
}

export function otherName(r: ExchangeRequest): string {
  return r.other.kind === 'user' ? r.other.displayName : r.other.email;
}

const STATUS_WORDS: Record<ExchangeRequest['status'], string> = {
  pending: 'Waiting for an answer',
  countered: 'Another time proposed',
  accepted: 'Accepted',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

/** Still open, and its time has not passed (an unanswered request lapses then; accepting it is refused). */
export function isOpen(r: ExchangeRequest, now = Date.now()): boolean {
  return (r.status === 'pending' || r.status === 'countered') && Date.parse(r.startsAt) > now;
}

export function statusText(r: ExchangeRequest): string {
  if ((r.status === 'pending' || r.status === 'countered') && !isOpen(r)) return 'The time passed without an answer';
  if (isOpen(r) && r.myTurn) return 'Your answer is needed';
  return STATUS_WORDS[r.status];
}
