import type { Connection } from 'mongoose';
import { dropIfExists } from '../../db/migrations.ts';
import { notificationCollections } from '../notifications/model.ts';
import type { ExchangeRequestService } from '../exchange-requests/service.ts';
import type { VouchingService } from '../partnership/vouching-service.ts';
import type { BlockService } from '../profiles/blocks.ts';
import type { ExchangeFacts } from '../profiles/exchange-facts.ts';
import type { ProfileService } from '../profiles/service.ts';
import type { ReviewShards } from '../review/review-shards.ts';
import type { AccountService } from './service.ts';

/** Critiques in one therapist's Review collection are at most this many (Review's own cap is lower). */
const MAX_EXPORTED_CRITIQUES = 100_000;

/**
 * What each feature contributes to "Your data". A new feature that stores something about a
 * person adds its export section and its deletion step here (technique notes: a `notes`
 * section; exchange requests, endorsements and referrals: theirs).
 */
export function registerAccountData(
  account: AccountService,
  deps: {
    connection: Connection;
    profiles: ProfileService;
    blocks: BlockService;
    exchanges: ExchangeFacts;
    reviewShards: ReviewShards;
    exchangeRequests: ExchangeRequestService;
    notes: { forget: (userId: string) => Promise<void> };
    vouching: VouchingService;
  },
): void {
  const { profiles, blocks, exchanges, reviewShards, connection } = deps;

  account.addExportSection('account', async ({ id, email, displayName }) => ({ id, email, displayName }));
  account.addExportSection('profile', async (user) => ({
    ...(await profiles.own(user)),
    photo: await profiles.ownPhoto(user.id),
  }));
  account.addExportSection('blockedUsers', ({ id }) => blocks.list(id));
  account.addExportSection('exchanges', ({ id }) => exchanges.exchangesOf(id));

  // Marks and thread entries come from the user's Review collection, which holds every critique
  // of every debrief they took part in; only what they wrote themselves is theirs to take.
  const critiques = (userId: string) => reviewShards.of(userId).find({}).limit(MAX_EXPORTED_CRITIQUES).toArray();
  account.addExportSection('marks', async ({ id: userId }) =>
    (await critiques(userId))
      .filter((c) => c.authorId === userId)
      // Review's own bookkeeping and the partner's side stay out; the thread has its own section
      .map(
        ({
          _id,
          exchangeId,
          annotationId,
          role: _role,
          partnerId: _partner,
          authorId: _author,
          thread: _thread,
          replyCount: _replies,
          ...mark
        }) => ({
          exchangeId: exchangeId,
          markId: annotationId,
          ...mark,
        }),
      ),
  );
  account.addExportSection('threadEntries', async ({ id: userId }) =>
    (await critiques(userId)).flatMap((c) =>
      c.thread
        .filter((entry) => entry.authorId === userId && !entry.deleted)
        .map(({ id, kind, text, createdAt, editedAt }) => ({
          exchangeId: c.exchangeId,
          markId: c.annotationId,
          id,
          kind,
          text,
          createdAt,
          editedAt,
        })),
    ),
  );

  account.addDeletionStep((userId) => profiles.forget(userId));
  account.addDeletionStep((userId) => blocks.forget(userId));
  account.addDeletionStep((userId) => deps.exchangeRequests.forget(userId));
  account.addDeletionStep((userId) => deps.notes.forget(userId));
  account.addDeletionStep((userId) => deps.vouching.forget(userId));
  account.addDeletionStep((userId) => dropIfExists(notificationCollections(connection).of(userId)));
  account.addDeletionStep((userId) => dropIfExists(reviewShards.of(userId)));
}
