import { Types } from 'mongoose';
import type { BlockedUser } from '@kneadback/shared/schemas/block';
import { OBJECT_ID_PATTERN } from '@kneadback/shared/schemas/common';
import { AppError, notFound } from '../../http/errors.ts';
import type { RateLimits } from '../../http/rate-limit.ts';
import { ONE_PROCESS_FEED, type ChangeFeed } from '../../scale/change-feed.ts';
import type { AuthService } from '../auth/service.ts';
import type { DiscoveryIndex } from './discovery-index.ts';
import type { BlockListModel } from './model.ts';

/** Whether `from` may reach `to` at all (BlockService.mayContact): a "no" looks exactly like nobody there. */
export type MayContact = (fromUserId: string, toUserId: string) => Promise<boolean>;

/** At most this many blocks per user: each is a row in one document. */
const MAX_BLOCKED = 1_000;
/** The change feed's topic of block lists, by the blocker's id. */
export const BLOCKS_TOPIC = 'blocks';

/**
 * Blocking keeps two people apart both ways: neither finds the other in discovery, sees the
 * other's profile, can ask the other for an exchange or join one through an invite link sent before. Only the blocker knows: to the blocked
 * person the blocker looks exactly like someone who does not exist. Exchanges and debriefs they
 * already share stay, and either may still cancel, but no words written by one reach the other in
 * a notification or a cancel reason. An endorsement one wrote of the other is hidden while the block lasts.
 */
/** Told who blocked or unblocked whom, after the block list changed (see BlockService.onChange). */
export type BlockListener = (blockerId: string, otherId: string) => Promise<void>;

export class BlockService {
  private readonly listeners: BlockListener[] = [];

  constructor(
    private readonly BlockLists: BlockListModel,
    private readonly auth: AuthService,
    private readonly index: DiscoveryIndex,
    private readonly limits: RateLimits,
    private readonly changes: ChangeFeed = ONE_PROCESS_FEED,
  ) {}

  /** Whether `fromUserId` may reach `toUserId` at all (profile, request): false when either blocked the other. */
  async mayContact(fromUserId: string, toUserId: string): Promise<boolean> {
    if (!OBJECT_ID_PATTERN.test(fromUserId) || !OBJECT_ID_PATTERN.test(toUserId)) return false;
    const [from, to] = await Promise.all([this.blockedBy(fromUserId), this.blockedBy(toUserId)]);
    return !from.includes(toUserId) && !to.includes(fromUserId);
  }

  /**
   * Called after someone's block list changed here, once the index knows (other features drop what a
   * block now hides, e.g. open notes); other processes hear of it through the change feed.
   */
  onChange(listener: BlockListener): void {
    this.listeners.push(listener);
  }

  async list(userId: string): Promise<BlockedUser[]> {
    const ids = await this.blockedBy(userId);
    const users = await this.auth.publicUsers(ids);
    return ids.flatMap((id) => {
      const user = users.get(id);
      return user ? [{ id, displayName: user.displayName }] : [];
    });
  }

  async block(userId: string, targetId: string): Promise<void> {
    if (targetId === userId) throw new AppError(400, 'self_block', 'you cannot block yourself', 'userId');
    if (!(await this.auth.activeUser(targetId))) throw notFound('user');
    const current = await this.blockedBy(userId);
    if (current.includes(targetId)) return;
    if (current.length >= MAX_BLOCKED) {
      throw new AppError(409, 'too_many_blocks', `you can block at most ${MAX_BLOCKED} people`, 'userId');
    }
    await this.limits.take([['blockChangesPerUser', userId]], 'too many blocks and unblocks');
    await this.BlockLists.updateOne(
      { _id: new Types.ObjectId(userId) },
      { $addToSet: { blocked: new Types.ObjectId(targetId) } },
      { upsert: true },
    );
    this.index.setBlocked(userId, [...current, targetId]);
    await this.changes.changed(BLOCKS_TOPIC, userId);
    for (const listener of this.listeners) await listener(userId, targetId);
  }

  /** Unblocking someone who is not blocked is fine (a double tap). */
  async unblock(userId: string, targetId: string): Promise<void> {
    if (!OBJECT_ID_PATTERN.test(targetId)) throw notFound('user');
    await this.limits.take([['blockChangesPerUser', userId]], 'too many blocks and unblocks');
    await this.BlockLists.updateOne(
      { _id: new Types.ObjectId(userId) },
      { $pull: { blocked: new Types.ObjectId(targetId) } },
    );
    this.index.setBlocked(
      userId,
      (await this.blockedBy(userId)).filter((id) => id !== targetId),
    );
    await this.changes.changed(BLOCKS_TOPIC, userId);
    for (const listener of this.listeners) await listener(userId, targetId);
  }

  /** Drops the user's own list (account deletion); others' blocks of them stay harmless. */
  async forget(userId: string): Promise<void> {
    await this.BlockLists.deleteOne({ _id: new Types.ObjectId(userId) });
    await this.changes.changed(BLOCKS_TOPIC, userId);
  }

  /** One blocker's list, read again into the index (another process changed it). */
  async reread(blockerId: string): Promise<void> {
    this.index.setBlocked(blockerId, await this.blockedBy(blockerId));
  }

  /** Fills the index with every block list: one pass at start-up. */
  async loadInto(index: DiscoveryIndex): Promise<void> {
    for (const list of await this.BlockLists.find({}).lean()) {
      index.setBlocked(
        list._id.toHexString(),
        list.blocked.map((id) => id.toHexString()),
      );
    }
  }

  private async blockedBy(userId: string): Promise<string[]> {
    const list = await this.BlockLists.findById(userId).lean();
    return (list?.blocked ?? []).map((id) => id.toHexString());
  }
}
