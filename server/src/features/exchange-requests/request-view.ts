// How a request reads from each side: the proposer and the recipient see the same request with "mine" and
// "yours", "I give" and "they give" swapped, and the proposer of an email request sees only the address.
import type { ExchangePlace, ExchangeRequest } from '@kneadback/shared/schemas/exchange-request';
import type { RequestDoc } from './model.ts';

/** Statuses still waiting for an answer. */
export const OPEN = new Set(['pending', 'countered']);

export function roleOf(doc: RequestDoc, userId: string): 'proposer' | 'recipient' {
  return doc.proposerId.toHexString() === userId ? 'proposer' : 'recipient';
}

export function otherRole(doc: RequestDoc, userId: string): 'proposer' | 'recipient' {
  return roleOf(doc, userId) === 'proposer' ? 'recipient' : 'proposer';
}

export function nameOf(doc: RequestDoc, userId: string): string {
  return roleOf(doc, userId) === 'proposer' ? doc.proposerName : (doc.recipientName ?? '');
}

export function flipPlace(place: ExchangePlace): ExchangePlace {
  return place === 'mine' ? 'yours' : place === 'yours' ? 'mine' : place;
}

export function present(doc: RequestDoc, viewerId: string): ExchangeRequest {
  const proposerViews = doc.proposerId.toHexString() === viewerId;
  const other: ExchangeRequest['other'] = proposerViews
    ? doc.recipientKnown && doc.recipientId
      ? { kind: 'user', id: doc.recipientId.toHexString(), displayName: doc.recipientName ?? '' }
      : { kind: 'email', email: doc.toEmail ?? '' }
    : { kind: 'user', id: doc.proposerId.toHexString(), displayName: doc.proposerName };
  return {
    id: doc._id.toHexString(),
    role: proposerViews ? 'sent' : 'received',
    other,
    status: doc.status,
    myTurn: OPEN.has(doc.status) && doc.awaiting === (proposerViews ? 'proposer' : 'recipient'),
    startsAt: doc.startsAt.toISOString(),
    place: proposerViews ? doc.place : flipPlace(doc.place),
    placeNote: doc.placeNote,
    iGive: proposerViews ? doc.proposerGives : doc.recipientGives,
    theyGive: proposerViews ? doc.recipientGives : doc.proposerGives,
    roundMinutes: doc.roundMinutes,
    message: doc.message,
    repeat: doc.repeat,
    originalStartsAt: doc.originalStartsAt?.toISOString() ?? null,
    exchangeIds: doc.exchangeIds.map((id) => id.toHexString()),
    cancelledExchangeIds: doc.cancelledExchangeIds.map((id) => id.toHexString()),
    cancelReason: doc.cancelReason,
    cancelledByMe: doc.cancelledBy ? doc.cancelledBy.toHexString() === viewerId : null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}
