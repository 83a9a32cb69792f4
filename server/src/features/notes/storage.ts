import type { Collection } from 'mongoose';
import { NOTE_STORAGE_QUOTA_BYTES, storageSize, type NoteStorageUsage } from '@kneadback/shared/schemas/note';
import { AppError } from '../../http/errors.ts';
import { LocalPersonLock, type PersonLock } from '../../keyed-locks.ts';
import type { StorageRow } from './model.ts';

/**
 * What each person's notes take in storage, against NOTE_STORAGE_QUOTA_BYTES: one counter row per
 * person, read by `_id` (FerretDB scans for anything else, so nothing is summed per request),
 * changed by `$inc` under the person's lock, no transaction. What it counts, all against
 * the note's owner: each note's live document as last measured (NoteRecord.bytes) and its
 * versions (VersionEntry.bytes). Automatic versions count in the total but in no refusal: they
 * take only room nothing else needs and make way when it is needed (versions.ts), so `automatic`
 * says how much of a person's total they are. Growth is counted before the records are written
 * and given back when writing them fails, and space freed is given back only once the records are
 * gone, so a crash between the two leaves the counter ahead of the records (the person has a
 * little less room), never behind.
 */
export class NoteStorage {
  /**
   * Each person's total as this process last read or changed it: live changes are judged
   * synchronously against it (see NoteProjector). Other processes' changes show at the next read.
   */
  private readonly lastKnown = new Map<string, number>();

  constructor(
    private readonly rows: Collection<StorageRow>,
    /**
     * Changes to one person's counter, one at a time: MongoDB applies `$inc` atomically, FerretDB v1
     * as a read and a separate write, so two at once lose one (20 concurrent `$inc` of 1 added 11).
     */
    private readonly lock: PersonLock = new LocalPersonLock(),
    private readonly automatic: (userId: string) => number = () => 0,
  ) {}

  async used(userId: string): Promise<number> {
    return this.know(userId, (await this.rows.findOne({ _id: userId }))?.bytes ?? 0);
  }

  known(userId: string): number | undefined {
    return this.lastKnown.get(userId);
  }

  async usage(userId: string): Promise<NoteStorageUsage> {
    return { usedBytes: Math.max(0, await this.used(userId)), quotaBytes: NOTE_STORAGE_QUOTA_BYTES };
  }

  /** What refusals judge: the person's total but their automatic versions, which would make way. */
  async firm(userId: string): Promise<number> {
    return (await this.used(userId)) - this.automatic(userId);
  }

  /** As `firm`, as this process last knew the total. */
  knownFirm(userId: string): number | undefined {
    const known = this.lastKnown.get(userId);
    return known === undefined ? undefined : known - this.automatic(userId);
  }

  /** Counts `bytes` more against the person's quota, or refuses (409 storage_full) and counts nothing. */
  reserve(userId: string, bytes: number, askedBy: string): Promise<void> {
    return this.lock.withPerson(userId, async () => {
      const firm = await this.firm(userId);
      if (!passesQuota(firm, bytes)) throw storageFull(firm, userId === askedBy);
      await this.inc(userId, bytes);
    });
  }

  /**
   * Work that decides from the person's total and changes it, with no other change in between
   * (the caller holds any note locks it needs first: notes, then the person, always that order).
   */
  change<T>(userId: string, work: (used: number, inc: (bytes: number) => Promise<number>) => Promise<T>): Promise<T> {
    return this.lock.withPerson(userId, async () =>
      work(await this.used(userId), (bytes) => (bytes === 0 ? this.used(userId) : this.inc(userId, bytes))),
    );
  }

  /** Counts a change in size whatever the quota (a live note measured after its edits, or space freed); the new total. */
  add(userId: string, bytes: number): Promise<number> {
    if (bytes === 0) return this.used(userId);
    return this.lock.withPerson(userId, () => this.inc(userId, bytes));
  }

  private async inc(userId: string, bytes: number): Promise<number> {
    const row = await this.rows.findOneAndUpdate(
      { _id: userId },
      { $inc: { bytes } },
      { upsert: true, returnDocument: 'after' },
    );
    return this.know(userId, row?.bytes ?? bytes);
  }

  private know(userId: string, bytes: number): number {
    this.lastKnown.set(userId, bytes);
    return bytes;
  }

  /** Their notes went with their account. */
  forget(userId: string): Promise<void> {
    return this.lock.withPerson(userId, async () => {
      await this.rows.deleteOne({ _id: userId });
      this.lastKnown.delete(userId);
    });
  }
}

/** Refused when growing a note by `growth` would take its owner (who has `used`) past the quota. */
export function passesQuota(used: number, growth: number): boolean {
  return growth <= 0 || used + growth <= NOTE_STORAGE_QUOTA_BYTES;
}

/**
 * The most a note of `bytes` (as counted) may grow to while its owner has `used`: it may always
 * shrink, so a person over the quota can still make room by shortening it.
 */
export function sizeAllowance(bytes: number, used: number): number {
  return bytes + Math.max(0, NOTE_STORAGE_QUOTA_BYTES - used);
}

/** Why a live change was refused, in the words the device shows (a close reason: at most 123 bytes). */
export const STORAGE_FULL_REASON = `the note owner's notes fill their ${storageSize(NOTE_STORAGE_QUOTA_BYTES)} of storage; delete named versions or shorten notes`;

export function storageFull(used: number, asOwner: boolean): AppError {
  const quota = storageSize(NOTE_STORAGE_QUOTA_BYTES);
  return new AppError(
    409,
    'storage_full',
    asOwner
      ? `your notes use ${storageSize(used)} of your ${quota}; delete named versions you no longer need (in a note's History) or shorten long notes to make room`
      : `this note's owner has used all ${quota} of their storage for notes; ask them to make room`,
  );
}
