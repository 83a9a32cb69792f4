import { randomBytes } from 'node:crypto';
import { NOTE_STORAGE_QUOTA_BYTES } from '@kneadback/shared/schemas/note';
import { AppError, notFound } from '../../http/errors.ts';
import { KeyedLocks } from '../../keyed-locks.ts';
import { bytesOf, versionRowId, type NoteCollections, type NoteRecord, type VersionEntry } from './model.ts';
import type { NoteService } from './service.ts';
import type { NoteStorage } from './storage.ts';

/** Automatic versions kept per note (named ones are all kept). */
const MAX_AUTO_VERSIONS = 50;
const MAX_NAMED_VERSIONS = 100;

/**
 * A note's versions and what they take from its owner's storage. Named ones count like the note.
 * Automatic ones (the server's safety copies: at most MAX_AUTO_VERSIONS a note, the oldest making
 * way) count too, in room nothing else needs: no refusal counts them (see NoteStorage.firm), and
 * whenever the owner's total passes the quota their oldest make way, the note's own first. An
 * automatic version with no room even then is not taken: a lost safety copy is better than a
 * refused edit. Those from before they were counted carry no `bytes`; they are measured and counted
 * at their note's next automatic version (which may then drop them).
 *
 * Each note's list is written whole, one change at a time per note in this process: versions named
 * at the same moment are all listed, and none past MAX_NAMED_VERSIONS. Counter changes happen inside
 * (locks: the notes', then the person's, never the other way round).
 */
export class NoteVersions {
  private readonly lists = new KeyedLocks();

  constructor(
    private readonly notes: NoteService,
    private readonly collections: NoteCollections,
    private readonly storage: NoteStorage,
    /** At most one automatic version per this much editing (tests shorten it). */
    private readonly autoEveryMs: number,
  ) {}

  /** Keeps `state` under a name, counted against the note's owner (`askedBy` is told if it has no room). */
  async addNamed(noteId: string, state: Uint8Array, name: string, askedBy: string): Promise<VersionEntry> {
    const entry = await this.lists.withKeys([noteId], async () => {
      const { ownerId, versions } = this.notes.record(noteId);
      refuseNamedPastLimit(versions);
      const added = newEntry({ name, auto: false, createdBy: askedBy, bytes: state.length });
      await this.storage.reserve(ownerId, state.length, askedBy);
      try {
        await this.insert(noteId, added, state);
        await this.notes.save(noteId, { versions: [...versions, added] });
      } catch (err) {
        await this.storage.add(ownerId, -state.length);
        throw err;
      }
      return added;
    });
    await this.makeRoom(this.notes.record(noteId).ownerId, noteId);
    return entry;
  }

  /** Deletes a named version and gives its space back (automatic ones make way by themselves). */
  async removeNamed(noteId: string, versionId: string): Promise<void> {
    const entry = await this.lists.withKeys([noteId], async () => {
      const { versions } = this.notes.record(noteId);
      const found = versions.find((v) => v.id === versionId);
      if (!found) throw notFound('version');
      if (found.auto) {
        throw new AppError(
          409,
          'automatic_version',
          'automatic versions make way for newer ones by themselves; only named versions can be deleted',
        );
      }
      await this.notes.save(noteId, { versions: versions.filter((v) => v.id !== versionId) });
      return found;
    });
    const { deletedCount } = await this.collections.versions.deleteOne({ _id: versionRowId(noteId, versionId) });
    // the row goes once however many processes ask at the same moment: so is its space given back
    if (deletedCount === 1 && entry.bytes) await this.storage.add(this.notes.record(noteId).ownerId, -entry.bytes);
  }

  /** Called while a note is edited: keeps its state if the last automatic version is old enough. */
  async autoVersion(noteId: string, state: () => Uint8Array, now = new Date()): Promise<void> {
    const lastAuto = this.notes.record(noteId).versions.findLast((v) => v.auto);
    if (lastAuto && now.getTime() - lastAuto.createdAt.getTime() < this.autoEveryMs) return;
    await this.addAuto(noteId, state(), now);
  }

  /** Keeps `state` as an automatic version if its owner's storage has room once older ones make way. */
  async addAuto(noteId: string, state: Uint8Array, now = new Date()): Promise<void> {
    await this.lists.withKeys([noteId], async () => {
      const { ownerId } = this.notes.record(noteId);
      const { versions, uncounted } = await this.measured(noteId);
      const added = newEntry({ name: null, auto: true, createdBy: null, bytes: state.length }, now);
      const autos = versions.filter((v) => v.auto);
      const plan = await this.storage.change(ownerId, async (used, inc) => {
        const planned = autoVersionPlan(autos, added.bytes!, used + uncounted);
        await inc(uncounted + (planned.keep ? added.bytes! : 0));
        return planned;
      });
      if (plan.keep) {
        try {
          await this.insert(noteId, added, state);
        } catch (err) {
          await this.storage.add(ownerId, -added.bytes!);
          throw err;
        }
      }
      if (plan.keep || plan.drop.length > 0 || uncounted > 0) {
        await this.writeList(noteId, plan.drop, plan.keep ? [...versions, added] : versions);
      }
    });
  }

  /**
   * Brings the owner's total back under the quota if it passed it (a note grew, a version was
   * named): their oldest automatic versions make way, this note's first.
   */
  async makeRoom(ownerId: string, noteId: string): Promise<void> {
    if ((this.storage.known(ownerId) ?? 0) <= NOTE_STORAGE_QUOTA_BYTES) return;
    const withAutos = this.notes.ownedBy(ownerId).filter((r) => counted(r.versions).length > 0);
    const ids = [noteId, ...withAutos.map((r) => r._id)];
    await this.lists.withKeys(ids, async () => {
      const records = [...new Set(ids)].flatMap((id) => this.notes.find(id) ?? []);
      const candidates = records
        .flatMap((r) => counted(r.versions).map((v) => ({ noteId: r._id, v, bytes: v.bytes })))
        .sort((a, b) => Number(b.noteId === noteId) - Number(a.noteId === noteId) || +a.v.createdAt - +b.v.createdAt);
      const going = await this.storage.change(
        ownerId,
        async (used) => makingWay(candidates, used - NOTE_STORAGE_QUOTA_BYTES) ?? candidates,
      );
      for (const record of records) {
        const drop = going.filter((c) => c.noteId === record._id).map((c) => c.v);
        if (drop.length > 0) await this.writeList(record._id, drop, record.versions);
      }
    });
  }

  private async insert(noteId: string, entry: VersionEntry, state: Uint8Array): Promise<void> {
    await this.collections.versions.insertOne({ _id: versionRowId(noteId, entry.id), state: Buffer.from(state) });
  }

  /** Writes the list without `drop`, deletes their rows, then gives their space back (a crash between: less room, never more). */
  private async writeList(noteId: string, drop: VersionEntry[], versions: VersionEntry[]): Promise<void> {
    const going = new Set(drop.map((v) => v.id));
    await this.notes.save(noteId, { versions: versions.filter((v) => !going.has(v.id)) });
    // by _id, one each: FerretDB scans the collection for an $in
    await Promise.all(drop.map((v) => this.collections.versions.deleteOne({ _id: versionRowId(noteId, v.id) })));
    const freed = drop.reduce((sum, v) => sum + (v.bytes ?? 0), 0);
    if (freed > 0) await this.storage.add(this.notes.record(noteId).ownerId, -freed);
  }

  /** The note's list with automatic versions from before they were counted measured, and how much they come to. */
  private async measured(noteId: string): Promise<{ versions: VersionEntry[]; uncounted: number }> {
    let uncounted = 0;
    const versions = await Promise.all(
      this.notes.record(noteId).versions.map(async (v) => {
        if (!v.auto || v.bytes !== undefined) return v;
        const row = await this.collections.versions.findOne({ _id: versionRowId(noteId, v.id) });
        const bytes = row ? bytesOf(row.state).length : 0;
        uncounted += bytes;
        return { ...v, bytes };
      }),
    );
    return { versions, uncounted };
  }
}

/** The note's automatic versions counted against its owner, oldest first. */
function counted(versions: VersionEntry[]): VersionEntry[] {
  return versions.filter((v) => v.auto && v.bytes !== undefined);
}

/** The automatic versions of a note all counted: what their owner's total would fall by if they went. */
export function automaticBytes(records: NoteRecord[]): number {
  return records.reduce((sum, r) => sum + counted(r.versions).reduce((s, v) => s + v.bytes!, 0), 0);
}

/**
 * Whether a new automatic version of `bytes` is kept for an owner whose total is `used`, and which
 * of the note's automatic versions (oldest first) make way: past MAX_AUTO_VERSIONS, and as many
 * more as the quota needs. With no room even when all have gone it is not kept, and only as many
 * go as bring the total back under the quota.
 */
export function autoVersionPlan<T extends { bytes?: number }>(
  autosOldestFirst: T[],
  bytes: number,
  used: number,
): { keep: boolean; drop: T[] } {
  const kept = makingWay(
    autosOldestFirst,
    used + bytes - NOTE_STORAGE_QUOTA_BYTES,
    autosOldestFirst.length + 1 - MAX_AUTO_VERSIONS,
  );
  if (kept) return { keep: true, drop: kept };
  return { keep: false, drop: makingWay(autosOldestFirst, used - NOTE_STORAGE_QUOTA_BYTES) ?? autosOldestFirst };
}

/** The fewest of `oldestFirst` (at least `atLeast`), from the oldest, that free `over` bytes; null if all do not. */
export function makingWay<T extends { bytes?: number }>(oldestFirst: T[], over: number, atLeast = 0): T[] | null {
  let freed = 0;
  for (let n = 0; n <= oldestFirst.length; n++) {
    if (n >= atLeast && freed >= over) return oldestFirst.slice(0, n);
    freed += oldestFirst[n]?.bytes ?? 0;
  }
  return null;
}

function newEntry(what: Pick<VersionEntry, 'name' | 'auto' | 'createdBy' | 'bytes'>, now = new Date()): VersionEntry {
  return { id: randomBytes(8).toString('hex'), ...what, createdAt: now };
}

/** Refuses one more named version of a note that has MAX_NAMED_VERSIONS. */
export function refuseNamedPastLimit(versions: VersionEntry[]): void {
  if (versions.filter((v) => !v.auto).length >= MAX_NAMED_VERSIONS) {
    throw new AppError(409, 'too_many_versions', `a note keeps at most ${MAX_NAMED_VERSIONS} named versions`);
  }
}
