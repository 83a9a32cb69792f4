import type { Connection } from 'mongoose';
import type { Types } from 'mongoose';
import type { ExchangePlace, RequestStatus } from '@kneadback/shared/schemas/exchange-request';
import type { Modality } from '@kneadback/shared/vocabulary';
import { PerUserCollections } from '../../db/per-user-collections.ts';

/**
 * A request, stored whole in each party's own collection (`exchange_requests_<userId>`, same `_id` in both):
 * the inbox and outbox are one person's collection, and a request someone is not part of is simply not there
 * (404). A request to an email with no account exists only in the proposer's collection, so the proposer sees
 * the same thing whether or not the address has an account. Places are stored from the proposer's side.
 */
export interface RequestDoc {
  _id: Types.ObjectId;
  proposerId: Types.ObjectId;
  proposerName: string;
  /** Null when sent to an email with no account (it then waits forever, as unanswered requests do). */
  recipientId: Types.ObjectId | null;
  recipientName: string | null;
  /** The address typed, kept only in the proposer's copy, shown until the recipient answers. */
  toEmail: string | null;
  /** Whether the proposer may see who the recipient is (a profile request, or once they countered/accepted). */
  recipientKnown: boolean;
  startsAt: Date;
  originalStartsAt: Date | null;
  /** The UTC offset startsAt was written in: the exchange's day and readable times use it. */
  offsetMinutes: number;
  place: ExchangePlace;
  placeNote: string;
  proposerGives: Modality[];
  recipientGives: Modality[];
  roundMinutes: number;
  message: string;
  repeat: { everyWeeks: number; occurrences: number } | null;
  status: RequestStatus;
  /** Who answers next while pending/countered. */
  awaiting: 'proposer' | 'recipient' | null;
  /** Bumped by every change; a change claims `<id>:<version>` first so two racing answers cannot both win. */
  version: number;
  exchangeIds: Types.ObjectId[];
  cancelledExchangeIds: Types.ObjectId[];
  cancelReason: string | null;
  cancelledBy: Types.ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

export function requestCollections(connection: Connection): PerUserCollections<RequestDoc> {
  return new PerUserCollections<RequestDoc>(connection, 'exchange_requests', [{ updatedAt: -1 }]);
}

/**
 * FerretDB v1 does not apply a conditional update atomically, but it does enforce `_id` uniqueness: the first
 * insert of `<requestId>:<version>` wins the change from that version.
 */
export function requestTransitions(connection: Connection) {
  return connection.collection<{ _id: string; at: Date }>('exchange_request_transitions');
}
