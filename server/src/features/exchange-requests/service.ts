import { BookingLocks, type BookingLock } from './booking-locks.ts';
import { Types } from 'mongoose';
import type { z } from 'zod';
import {
  cancelRequestBodySchema,
  counterRequestBodySchema,
  createExchangeRequestBodySchema,
  type CancelRequestBody,
  type CounterRequestBody,
  type CreateExchangeRequestBody,
  type ExchangeRequest,
} from '@kneadback/shared/schemas/exchange-request';
import { DELETED_ACCOUNT_NAME } from '@kneadback/shared/schemas/account';
import { OBJECT_ID_PATTERN } from '@kneadback/shared/schemas/common';
import type { NotificationKind } from '@kneadback/shared/schemas/notification';
import type { PublicUser } from '@kneadback/shared/schemas/user';
import { dropIfExists } from '../../db/migrations.ts';
import type { PerUserCollections } from '../../db/per-user-collections.ts';
import { isDuplicateKey } from '../../db/connection.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { RevealingRefusal, type RateLimits } from '../../http/rate-limit.ts';
import type { AuthService } from '../auth/service.ts';
import type { ExchangeService } from '../exchanges/service.ts';
import type { NewNotification } from '../notifications/service.ts';
import type { MayContact } from '../profiles/blocks.ts';
import type { RequestDoc, requestTransitions } from './model.ts';
import { flipPlace, nameOf, OPEN, otherRole, present, roleOf } from './request-view.ts';
import { localDay, occurrenceStarts, offsetMinutesOf, readableStart } from './when.ts';

export interface RequestDeps {
  requests: PerUserCollections<RequestDoc>;
  transitions: ReturnType<typeof requestTransitions>;
  exchanges: ExchangeService;
  auth: AuthService;
  limits: RateLimits;
  notify: (n: NewNotification) => Promise<unknown>;
  mayContact?: MayContact;
  /** Several server processes: one lock for all of them (the default holds in this process only). */
  bookingLock?: BookingLock;
}

type Sender = { userId: string; address: string };
const userNotFound = (field: string) => new AppError(404, 'user_not_found', 'no such therapist', field);

/**
 * Exchange requests: the only way two people become partners of an exchange without an invite link. The
 * recipient accepts, declines or proposes another time (then the proposer answers); either may cancel.
 * Accepting books the exchange (every occurrence of a series) with both partners set.
 */
export class ExchangeRequestService {
  private readonly mayContact: MayContact;
  private readonly bookingLocks: BookingLock;

  constructor(private readonly deps: RequestDeps) {
    this.mayContact = deps.mayContact ?? (async () => true);
    this.bookingLocks = deps.bookingLock ?? new BookingLocks();
  }

  async create(sender: Sender, input: CreateExchangeRequestBody): Promise<ExchangeRequest> {
    const body = createExchangeRequestBodySchema.parse(input);
    return this.deps.limits.spend(
      [
        ['exchangeRequestsPerUser', sender.userId],
        ['exchangeRequestsPerAddress', sender.address],
      ],
      'too many exchange requests',
      () => this.propose(sender, body),
    );
  }

  private async propose(
    sender: Sender,
    body: z.output<typeof createExchangeRequestBodySchema>,
  ): Promise<ExchangeRequest> {
    const field = body.toUserId !== undefined ? 'toUserId' : 'toEmail';
    const me = (await this.deps.auth.publicUsers([sender.userId])).get(sender.userId);
    if (!me) throw notFound('user');
    const reachable = await this.recipientFor(sender.userId, body, field);
    const startsAt = futureStart(body.startsAt);
    const starts = occurrenceStarts(startsAt, body.repeat);
    const minutes = roundsMinutes(body);
    await this.refuseDoubleBooking(sender.userId, starts, minutes, 'you');
    // by email the recipient's calendar must not show through: it is checked when they accept
    if (body.toUserId && reachable)
      await this.refuseDoubleBooking(reachable.id, starts, minutes, reachable.displayName);

    const now = new Date();
    const doc: RequestDoc = {
      _id: new Types.ObjectId(),
      proposerId: new Types.ObjectId(sender.userId),
      proposerName: me.displayName,
      recipientId: reachable ? new Types.ObjectId(reachable.id) : null,
      recipientName: reachable?.displayName ?? null,
      toEmail: body.toEmail ?? null,
      recipientKnown: body.toUserId !== undefined,
      startsAt,
      originalStartsAt: null,
      offsetMinutes: offsetMinutesOf(body.startsAt),
      place: body.place,
      placeNote: body.placeNote,
      proposerGives: body.proposerGives,
      recipientGives: body.recipientGives,
      roundMinutes: body.roundMinutes,
      message: body.message,
      repeat: body.repeat,
      status: 'pending',
      awaiting: 'recipient',
      version: 0,
      exchangeIds: [],
      cancelledExchangeIds: [],
      cancelReason: null,
      cancelledBy: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.write(doc);
    if (doc.recipientId) {
      const series = doc.repeat ? ` (every ${weeks(doc.repeat.everyWeeks)}, ${doc.repeat.occurrences} times)` : '';
      this.tell(
        doc,
        'recipient',
        'exchange-requested',
        `${me.displayName} asks for an exchange on ${when(doc)}${series}`,
      );
    }
    return present(doc, sender.userId);
  }

  /** The user's inbox and outbox, newest change first. */
  async list(userId: string): Promise<ExchangeRequest[]> {
    const docs = await this.deps.requests.of(userId).find({}).sort({ updatedAt: -1 }).limit(200).toArray();
    return docs.map((d) => present(d, userId));
  }

  async get(userId: string, requestId: string): Promise<ExchangeRequest> {
    return present(await this.mine(userId, requestId), userId);
  }

  async accept(userId: string, requestId: string): Promise<ExchangeRequest> {
    const doc = await this.answerable(userId, requestId);
    await this.refuseAcrossBlock(doc, userId);
    if (doc.startsAt.getTime() <= Date.now()) {
      throw new AppError(409, 'request_expired', 'this time has passed; propose another time instead', 'startsAt');
    }
    const starts = occurrenceStarts(doc.startsAt, doc.repeat);
    const minutes = roundsMinutes(doc);
    const proposerId = doc.proposerId.toHexString();
    const recipientId = doc.recipientId!.toHexString();
    const mineIsProposer = proposerId === userId;
    const exchangeIds = await this.bookingLocks.withPeople([proposerId, recipientId], async () => {
      await this.refuseDoubleBooking(userId, starts, minutes, 'you');
      await this.refuseDoubleBooking(
        mineIsProposer ? recipientId : proposerId,
        starts,
        minutes,
        mineIsProposer ? doc.recipientName! : doc.proposerName,
      );
      await this.claim(doc);
      // The first giver gives round 1 (partner A); someone who only receives is partner B.
      const proposer = { id: proposerId, givesMinutes: doc.proposerGives.length ? doc.roundMinutes : 0 };
      const recipient = { id: recipientId, givesMinutes: doc.recipientGives.length ? doc.roundMinutes : 0 };
      const [a, b] = proposer.givesMinutes > 0 ? [proposer, recipient] : [recipient, proposer];
      return this.deps.exchanges.book({
        requestId: doc._id.toHexString(),
        a,
        b,
        roundMinutes: doc.roundMinutes,
        occurrences: starts.map((startsAt) => ({ startsAt, day: localDay(startsAt, doc.offsetMinutes) })),
      });
    });
    const accepted = await this.update(doc, {
      status: 'accepted',
      awaiting: null,
      recipientKnown: true,
      exchangeIds: exchangeIds.map((id) => new Types.ObjectId(id)),
    });
    this.tell(
      accepted,
      otherRole(accepted, userId),
      'request-accepted',
      `${nameOf(accepted, userId)} accepted the exchange on ${when(accepted)}`,
      exchangeIds[0],
    );
    return present(accepted, userId);
  }

  /** The sender of an email request learns only "declined": no name, no notification naming anyone. */
  async decline(userId: string, requestId: string): Promise<ExchangeRequest> {
    const doc = await this.answerable(userId, requestId);
    await this.claim(doc);
    const declined = await this.update(doc, { status: 'declined', awaiting: null });
    if (declined.recipientKnown || declined.proposerId.toHexString() === userId) {
      this.tell(
        declined,
        otherRole(declined, userId),
        'request-declined',
        `${nameOf(declined, userId)} declined the exchange on ${when(declined)}`,
      );
    }
    return present(declined, userId);
  }

  async counter(userId: string, requestId: string, input: CounterRequestBody): Promise<ExchangeRequest> {
    const body = counterRequestBodySchema.parse(input);
    const doc = await this.answerable(userId, requestId);
    await this.refuseAcrossBlock(doc, userId);
    const startsAt = futureStart(body.startsAt);
    await this.refuseDoubleBooking(userId, occurrenceStarts(startsAt, doc.repeat), roundsMinutes(doc), 'you');
    const iAmProposer = doc.proposerId.toHexString() === userId;
    await this.claim(doc);
    const countered = await this.update(doc, {
      status: 'countered',
      awaiting: iAmProposer ? 'recipient' : 'proposer',
      recipientKnown: true,
      startsAt,
      offsetMinutes: offsetMinutesOf(body.startsAt),
      originalStartsAt: doc.originalStartsAt ?? doc.startsAt,
      place: iAmProposer ? body.place : flipPlace(body.place),
      placeNote: body.placeNote,
    });
    this.tell(
      countered,
      otherRole(countered, userId),
      'request-countered',
      `${nameOf(countered, userId)} proposes another time: ${when(countered)}`,
    );
    return present(countered, userId);
  }

  /**
   * Either party cancels, with a reason: an open request, one booked occurrence (`exchangeId`), or every upcoming
   * occurrence of an accepted request (occurrences already held stay).
   */
  async cancel(userId: string, requestId: string, input: CancelRequestBody): Promise<ExchangeRequest> {
    const body = cancelRequestBodySchema.parse(input);
    const doc = await this.mine(userId, requestId);
    if (!OPEN.has(doc.status) && doc.status !== 'accepted') {
      throw new AppError(409, 'request_closed', `this request was already ${doc.status}`);
    }
    const booked = doc.exchangeIds.map((id) => id.toHexString());
    const cancelled = new Set(doc.cancelledExchangeIds.map((id) => id.toHexString()));
    let toCancel: string[] = [];
    if (body.exchangeId !== undefined) {
      if (!booked.includes(body.exchangeId))
        throw new AppError(404, 'not_found', 'no such exchange in this request', 'exchangeId');
      if (cancelled.has(body.exchangeId))
        throw new AppError(409, 'already_cancelled', 'this exchange is already cancelled', 'exchangeId');
      toCancel = [body.exchangeId];
    } else {
      toCancel = booked.filter((id) => !cancelled.has(id));
    }
    const exchanges = await this.deps.exchanges.someFor(userId, toCancel);
    const now = Date.now();
    const held = exchanges.filter((e) => e.startsAt !== null && Date.parse(e.startsAt) <= now);
    if (body.exchangeId !== undefined && held.length > 0) {
      throw new AppError(409, 'already_held', 'this exchange has already taken place', 'exchangeId');
    }
    const upcoming = exchanges.filter((e) => !held.includes(e)).map((e) => e.id);
    if (doc.status === 'accepted' && upcoming.length === 0) {
      throw new AppError(409, 'already_held', 'every exchange of this request has already taken place');
    }
    // Across a block either may still cancel (the blocked must be able to get out of a booking), but the
    // reason is words written to the other: it stays with its writer, and the other learns only that it was cancelled.
    const other = this.otherParty(doc, userId);
    const apart = other !== null && !(await this.mayContact(userId, other));
    await this.claim(doc);
    for (const id of upcoming) await this.deps.exchanges.cancelBooked(id, apart ? null : body.reason);
    const allCancelled = [...cancelled, ...upcoming];
    const whole = body.exchangeId === undefined || allCancelled.length === booked.length;
    const updated = await this.update(
      doc,
      {
        status: whole ? 'cancelled' : doc.status,
        awaiting: whole ? null : doc.awaiting,
        cancelledExchangeIds: allCancelled.map((id) => new Types.ObjectId(id)),
        ...(whole && { cancelReason: body.reason, cancelledBy: new Types.ObjectId(userId) }),
      },
      apart ? other : null,
    );
    const what = body.exchangeId ? 'one exchange' : doc.status === 'accepted' ? 'the exchange' : 'the request';
    this.tell(
      updated,
      otherRole(updated, userId),
      'request-cancelled',
      `${nameOf(updated, userId)} cancelled ${what} (${when(updated)})${apart ? '' : `: ${body.reason}`}`,
      body.exchangeId ?? null,
    );
    return present(updated, userId);
  }

  /**
   * Account deletion: each request still open is withdrawn in the other party's copy (so it can no longer be
   * accepted), every copy they keep loses the deleted person's name, and the user's own collection (with any
   * address they typed) is dropped.
   */
  async forget(userId: string): Promise<void> {
    const docs = await this.deps.requests.of(userId).find({}).toArray();
    for (const doc of docs) {
      const iAmProposer = roleOf(doc, userId) === 'proposer';
      const other = iAmProposer ? doc.recipientId : doc.proposerId;
      if (!other) continue;
      const closes =
        OPEN.has(doc.status) &&
        (await this.claim(doc).then(
          () => true,
          () => false,
        ));
      const changes: Partial<RequestDoc> = {
        [iAmProposer ? 'proposerName' : 'recipientName']: DELETED_ACCOUNT_NAME,
        ...(closes && {
          status: 'cancelled' as const,
          awaiting: null,
          cancelReason: 'their account was deleted',
          cancelledBy: new Types.ObjectId(userId),
          version: doc.version + 1,
          updatedAt: new Date(),
        }),
      };
      await this.deps.requests.of(other.toHexString()).updateOne({ _id: doc._id }, { $set: changes });
    }
    await dropIfExists(this.deps.requests.of(userId));
  }

  /**
   * Who the request goes to, or null for an email with no account (or someone who does not let the sender
   * contact them). By id the sender already knows the person exists (from a profile), so an unreachable one is
   * "not found"; by email they must learn nothing, so the request is kept as if the address had no account.
   */
  private async recipientFor(
    senderId: string,
    body: { toUserId?: string | undefined; toEmail?: string | undefined },
    field: string,
  ): Promise<PublicUser | null> {
    const recipient = body.toUserId
      ? (await this.deps.auth.publicUsers([body.toUserId])).get(body.toUserId)
      : await this.deps.auth.findByEmail(body.toEmail!);
    if (recipient?.id === senderId)
      throw new AppError(400, 'self_request', 'an exchange needs a partner other than you', field);
    const reachable = recipient && (await this.mayContact(senderId, recipient.id)) ? recipient : null;
    if (!reachable && body.toUserId) throw userNotFound(field);
    return reachable;
  }

  /** A request in the user's own collection; any other id is "not found". */
  private async mine(userId: string, requestId: string): Promise<RequestDoc> {
    if (!OBJECT_ID_PATTERN.test(requestId)) throw notFound('exchange request');
    const doc = await this.deps.requests.of(userId).findOne({ _id: new Types.ObjectId(requestId) });
    if (!doc) throw notFound('exchange request');
    return doc;
  }

  /** Open, and the user's turn to answer. */
  private async answerable(userId: string, requestId: string): Promise<RequestDoc> {
    const doc = await this.mine(userId, requestId);
    if (!OPEN.has(doc.status)) throw new AppError(409, 'request_closed', `this request was already ${doc.status}`);
    if (roleOf(doc, userId) !== doc.awaiting) {
      throw forbidden(
        `it is ${doc.awaiting === 'recipient' ? 'your partner' : 'the proposer'}'s turn to answer this request`,
      );
    }
    return doc;
  }

  /**
   * A block made after the request was sent stops it from booking or reaching the other any further (declining and
   * cancelling stay possible); the request then looks gone, as the blocker looks like no one to the blocked.
   */
  private async refuseAcrossBlock(doc: RequestDoc, userId: string): Promise<void> {
    const other = this.otherParty(doc, userId);
    if (other && !(await this.mayContact(userId, other))) throw notFound('exchange request');
  }

  /** The other party's id; null for a request by email to an address with no account. */
  private otherParty(doc: RequestDoc, userId: string): string | null {
    return (roleOf(doc, userId) === 'proposer' ? doc.recipientId : doc.proposerId)?.toHexString() ?? null;
  }

  private async refuseDoubleBooking(userId: string, starts: Date[], minutes: number, who: string): Promise<void> {
    for (const start of starts) {
      const end = new Date(start.getTime() + minutes * 60_000);
      if ((await this.deps.exchanges.overlapping(userId, start, end)) > 0) {
        if (who === 'you')
          throw new AppError(409, 'double_booking', 'you already have an exchange booked at that time', 'startsAt');
        throw new RevealingRefusal(
          409,
          'double_booking',
          `${who} already has an exchange booked at that time`,
          'startsAt',
        );
      }
    }
  }

  /** Wins the change from this version, or 409 when someone else changed the request first. */
  private async claim(doc: RequestDoc): Promise<void> {
    try {
      await this.deps.transitions.insertOne({ _id: `${doc._id.toHexString()}:${doc.version}`, at: new Date() });
    } catch (err) {
      if (isDuplicateKey(err)) {
        throw new AppError(409, 'request_changed', 'this request changed meanwhile; reload it and try again');
      }
      throw err;
    }
  }

  private async update(
    doc: RequestDoc,
    changes: Partial<RequestDoc>,
    reasonWithheldFrom: string | null = null,
  ): Promise<RequestDoc> {
    const next: RequestDoc = { ...doc, ...changes, version: doc.version + 1, updatedAt: new Date() };
    await this.write(next, reasonWithheldFrom);
    return next;
  }

  /**
   * Both parties' copies. The address the proposer typed is written once, into the proposer's copy only (an
   * answer comes from the recipient's copy, which never held it); a cancel reason is not written into the copy
   * of `reasonWithheldFrom`.
   */
  private async write(doc: RequestDoc, reasonWithheldFrom: string | null = null): Promise<void> {
    const { _id, toEmail, ...fields } = doc;
    const put = async (userId: string, email: string | null) => {
      const written = userId === reasonWithheldFrom ? { ...fields, cancelReason: null } : fields;
      await this.deps.requests.ensureIndexes(userId);
      await this.deps.requests
        .of(userId)
        .updateOne({ _id }, { $set: written, $setOnInsert: { toEmail: email } }, { upsert: true });
    };
    await put(doc.proposerId.toHexString(), toEmail);
    if (doc.recipientId) await put(doc.recipientId.toHexString(), null);
  }

  /** Notifies a party (live and stored); a failed notification never undoes the change. */
  private tell(
    doc: RequestDoc,
    to: 'proposer' | 'recipient',
    kind: NotificationKind,
    text: string,
    exchangeId: string | null = null,
  ): void {
    const target = to === 'proposer' ? doc.proposerId : doc.recipientId;
    const actorIsProposer = to === 'recipient';
    if (!target) return;
    void this.deps
      .notify({
        userId: target.toHexString(),
        kind,
        actor: actorIsProposer
          ? { id: doc.proposerId.toHexString(), displayName: doc.proposerName }
          : { id: doc.recipientId!.toHexString(), displayName: doc.recipientName ?? '' },
        exchangeId,
        requestId: doc._id.toHexString(),
        text,
      })
      .catch(() => undefined);
  }
}

function futureStart(iso: string): Date {
  const at = new Date(iso);
  if (at.getTime() <= Date.now()) throw new AppError(400, 'past_date', 'pick a time in the future', 'startsAt');
  return at;
}

/** How long the exchange takes: one round per person who gives. */
function roundsMinutes(r: { proposerGives: unknown[]; recipientGives: unknown[]; roundMinutes: number }): number {
  return r.roundMinutes * ((r.proposerGives.length > 0 ? 1 : 0) + (r.recipientGives.length > 0 ? 1 : 0));
}

const when = (doc: RequestDoc) => readableStart(doc.startsAt, doc.offsetMinutes);
const weeks = (n: number) => (n === 1 ? 'week' : `${n} weeks`);
