import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import * as Y from 'yjs';
import { readAnnotation } from '@kneadback/shared/docs/debrief-doc';
import { initNoteDoc, noteDocName, readNoteFields } from '@kneadback/shared/docs/note-doc';
import { noteMarkdown } from '@kneadback/shared/docs/note-text';
import { regionById } from '@kneadback/shared/body/lookup';
import {
  MAX_NOTE_LINKS,
  MAX_NOTE_SHARES,
  mayEditNote,
  maySeeNoteHistory,
  type CreateNoteBody,
  type NoteAccess,
  type NoteMarkLink,
  type NoteSearchQuery,
  type NoteSearchResponse,
  type NoteSharing,
  type NoteView,
  type ShareRole,
  type SharedWithMeResponse,
} from '@kneadback/shared/schemas/note';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import type { PublicUser } from '@kneadback/shared/schemas/user';
import { CATEGORY_LABELS, tagLabel } from '@kneadback/shared/vocabulary';
import type { AccessDecision, CollabHub } from '../../collab/hub.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import type { RateLimits } from '../../http/rate-limit.ts';
import type { Logger } from '../../logger.ts';
import type { Realtime } from '../../realtime/socket-server.ts';
import type { ChangeFeed } from '../../scale/change-feed.ts';
import type { ExchangeService } from '../exchanges/service.ts';
import { accessOf, followersOf, follows } from './access.ts';
import type { NoteCollections, NoteRecord } from './model.ts';
import { searchWords, type NoteIndex } from './note-index.ts';
import { personOr, summariesOf, summaryOf, type People } from './present.ts';
import { snippetOf } from './snippet.ts';
import type { NoteStorage } from './storage.ts';
import { teacherHoldsCertification, type TeachingCertifications } from './teacher-certification.ts';

export interface NoteServiceDeps {
  collections: NoteCollections;
  index: NoteIndex;
  people: People;
  /** The hub, built after this service (its hooks ask this service who may connect). */
  collab: () => Pick<CollabHub, 'edit' | 'read' | 'recheckAccess'>;
  exchanges: ExchangeService;
  realtime: Pick<Realtime, 'emitToUser'>;
  logger: Logger;
  teachingCertifications: TeachingCertifications;
  /** Blocking, either way round, keeps two partners from sharing notes. */
  mayContact: (fromUserId: string, toUserId: string) => Promise<boolean>;
  /** The same, in memory, for filtering a search: everyone a block keeps apart from the user. */
  keptApart: (userId: string) => ReadonlySet<string>;
  /** Tells other server processes which records changed (their indexes read them again). */
  changes: ChangeFeed;
  limits: RateLimits;
  storage: NoteStorage;
}

/** The change feed's topic of note records. */
export const NOTES_TOPIC = 'notes';

/** Notes, their sharing and their links to debrief marks: the rules. */
export class NoteService {
  constructor(private readonly deps: NoteServiceDeps) {}

  /**
   * Reads every note's record, at start-up (the index serves all later reads), or again when
   * this process may have missed changes made by others.
   */
  async load(): Promise<void> {
    const stored = new Set<string>();
    for await (const record of this.deps.collections.notes.find({})) {
      this.deps.index.put(record);
      stored.add(record._id);
    }
    for (const id of this.deps.index.ids()) if (!stored.has(id)) this.deps.index.delete(id);
  }

  /**
   * Another server process changed the note: its record is read again, and live connections
   * that lost access to it here are closed (not awaited: the recheck waits for this reread).
   */
  async reread(noteId: string): Promise<void> {
    const record = await this.deps.collections.notes.findOne({ _id: noteId });
    if (record) this.deps.index.put(record);
    else this.deps.index.delete(noteId);
    void this.deps
      .collab()
      .recheckAccess(noteDocName(noteId))
      .catch((err: unknown) => this.deps.logger.warn({ err, noteId }, 'rechecking access to a changed note failed'));
  }

  // ---------- access ----------

  /** A note's record whoever asks (for the server's own work, never an answer to a request). */
  record(noteId: string): NoteRecord {
    const record = this.deps.index.get(noteId);
    if (!record) throw notFound('note');
    return record;
  }

  find(noteId: string): NoteRecord | undefined {
    return this.deps.index.get(noteId);
  }

  /** Everything the person owns (for the server's own work). */
  ownedBy(ownerId: string): NoteRecord[] {
    return this.deps.index.ownedBy(ownerId);
  }

  /** The note if the user may read it; "not found" otherwise, so ids reveal nothing. */
  readable(userId: string, noteId: string): NoteRecord {
    const record = this.deps.index.get(noteId);
    if (!record || !this.accessOf(record, userId)) throw notFound('note');
    return record;
  }

  /**
   * The user's access, except that across a block (either way) someone else's note looks like no note
   * at all, published or shared: the two neither read each other's notes nor reach each other through
   * them. A share is not revoked by a block, only suspended: unblocking gives it back, as the owner
   * never took it away.
   */
  private accessOf(record: NoteRecord, userId: string): NoteAccess | null {
    const access = accessOf(record, userId);
    return access !== 'owner' && this.deps.keptApart(userId).has(record.ownerId) ? null : access;
  }

  /** Who hears of the note's edits (`note:edited`): its followers who may still read it. */
  followersOf(record: NoteRecord): string[] {
    return followersOf(record).filter((userId) => this.accessOf(record, userId));
  }

  /** Whether a block keeps the two apart (then no message to one names the other). */
  keptApart(userId: string, otherId: string): boolean {
    return this.deps.keptApart(userId).has(otherId);
  }

  /**
   * Someone's block list changed: live connections to the notes a block now hides are asked again,
   * so they close. Between `userId` and `otherId` when this process made the change: the notes of
   * either. Otherwise (another process's change) every note the block list touches: theirs, those
   * shared with them, and the notes of everyone they are kept apart from.
   */
  async blocksChanged(userId: string, otherId?: string): Promise<void> {
    const notes = otherId
      ? [...this.deps.index.ownedBy(userId), ...this.deps.index.ownedBy(otherId)]
      : [
          ...this.deps.index.ownedBy(userId),
          ...this.deps.index.sharedWith(userId),
          ...[...this.deps.keptApart(userId)].flatMap((other) => this.deps.index.ownedBy(other)),
        ];
    const hub = this.deps.collab();
    for (const id of new Set(notes.map((n) => n._id))) await hub.recheckAccess(noteDocName(id));
  }

  editable(userId: string, noteId: string): NoteRecord {
    return this.readableFor(userId, noteId, mayEditNote, 'you can read this note but not change it');
  }

  /** The note if the user may see its earlier versions; 403 for its readers (they know it exists). */
  withHistory(userId: string, noteId: string): NoteRecord {
    return this.readableFor(
      userId,
      noteId,
      maySeeNoteHistory,
      'only the author of this note and the partners they let edit it can see its earlier versions',
    );
  }

  private readableFor(
    userId: string,
    noteId: string,
    may: (access: NoteAccess | null) => boolean,
    refusal: string,
  ): NoteRecord {
    const record = this.readable(userId, noteId);
    if (!may(accessOf(record, userId))) throw forbidden(refusal);
    return record;
  }

  owned(userId: string, noteId: string): NoteRecord {
    const record = this.readable(userId, noteId);
    if (record.ownerId !== userId) throw forbidden('only the note’s author can do this');
    return record;
  }

  /** For the Yjs endpoint. */
  collabAccess(userId: string, noteId: string | null): AccessDecision {
    const record = noteId ? this.deps.index.get(noteId) : undefined;
    const access = record ? this.accessOf(record, userId) : null;
    if (!access) return 'not-found';
    return mayEditNote(access) ? 'allowed' : 'read-only';
  }

  // ---------- creating and reading ----------

  async create(user: PublicUser, address: string, body: CreateNoteBody): Promise<NoteView> {
    return this.deps.limits.spend(
      [
        ['notesPerUser', user.id],
        ['notesPerAddress', address],
      ],
      'too many new notes',
      () => this.start(user, body),
    );
  }

  private async start(user: PublicUser, body: CreateNoteBody): Promise<NoteView> {
    const from = body.from?.type === 'mark' ? await this.markToStartFrom(user.id, body.from) : null;
    const pattern = body.from?.type === 'pattern' ? body.from : null;
    const regions = body.regions ?? (from ? [from.mark.position.regionId] : pattern ? [pattern.regionId] : []);
    const tags = body.tags ?? (from ? from.mark.tags : pattern?.tag ? [pattern.tag] : []);
    const title = body.title ?? (from ? titleForMark(from.mark) : pattern ? titleForPattern(pattern) : '');
    const now = new Date();
    const id = new Types.ObjectId().toHexString();
    const record: NoteRecord = {
      _id: id,
      ownerId: user.id,
      kind: body.kind,
      createdAt: now,
      updatedAt: now,
      shares: [],
      published: false,
      publishedAt: null,
      links: from ? [newLink(from.exchangeId, from.mark, user.id, now)] : [],
      helpful: [],
      followers: [],
      unfollowed: [],
      opened: { [user.id]: now },
      versions: [],
      title,
      tags,
      regions,
      modality: null,
      text: from?.mark.text ?? '',
    };
    const init = (doc: Y.Doc) => initNoteDoc(doc, body.kind, { title, tags, regions }, from?.mark.text || undefined);
    // as a scratch document: the live one is measured again by the projector when it opens
    record.bytes = encodedSize(init);
    await this.deps.storage.reserve(user.id, record.bytes, user.id);
    try {
      await this.deps.collab().edit(noteDocName(id), init);
      await this.deps.collections.notes.insertOne(record);
    } catch (err) {
      await this.deps.storage.add(user.id, -record.bytes);
      throw err;
    }
    this.deps.index.put(record);
    await this.deps.changes.changed(NOTES_TOPIC, id);
    return this.view(user.id, id);
  }

  private async markToStartFrom(userId: string, from: { exchangeId: string; markId: string }) {
    const mark = await this.visibleMark(userId, from.exchangeId, from.markId);
    return { exchangeId: from.exchangeId, mark };
  }

  /** A mark of a debrief the user is a partner of; "not found" otherwise. */
  private async visibleMark(userId: string, exchangeId: string, markId: string): Promise<Annotation> {
    if ((await this.deps.exchanges.access(userId, exchangeId)) !== 'allowed') throw notFound('debrief');
    const mark = await this.deps.collab().read(exchangeId, (doc) => readAnnotation(doc, markId, () => undefined));
    if (!mark) throw notFound('mark');
    return mark;
  }

  async view(userId: string, noteId: string): Promise<NoteView> {
    const record = this.readable(userId, noteId);
    const isOwner = record.ownerId === userId;
    const people = await this.deps.people.of([record.ownerId, ...(isOwner ? record.shares.map((s) => s.userId) : [])]);
    const teacher = record.kind === 'lesson' ? await this.teacherOf(noteId) : null;
    return {
      ...summaryOf(record, userId, people),
      sharing: isOwner ? sharingOf(record, people) : null,
      links: await this.visibleLinks(userId, record),
      helpfulByMe: record.helpful.includes(userId),
      following: follows(record, userId),
      teacherCertified: teacher?.teacherId
        ? await teacherHoldsCertification(this.deps.teachingCertifications, teacher.teacherId, teacher.certification)
        : null,
    };
  }

  private teacherOf(noteId: string): Promise<{ teacherId: string | null; certification: string } | null> {
    return this.deps.collab().read(noteDocName(noteId), (doc) => {
      const fields = readNoteFields(doc);
      return fields?.kind === 'lesson' ? { teacherId: fields.teacherId, certification: fields.certification } : null;
    });
  }

  /** Links to marks, only those of debriefs the user may see. */
  private async visibleLinks(userId: string, record: NoteRecord): Promise<NoteMarkLink[]> {
    const exchanges = [...new Set(record.links.map((l) => l.exchangeId))];
    const allowed = new Set<string>();
    await Promise.all(
      exchanges.map(async (id) => {
        if ((await this.deps.exchanges.access(userId, id)) === 'allowed') allowed.add(id);
      }),
    );
    return record.links
      .filter((l) => allowed.has(l.exchangeId))
      .map((l) => ({ ...l, createdAt: l.createdAt.toISOString() }));
  }

  async search(userId: string, query: NoteSearchQuery): Promise<NoteSearchResponse> {
    const hits = this.deps.index.search(userId, query).filter((h) => this.accessOf(h.record, userId));
    const page = hits.slice((query.page - 1) * query.pageSize, query.page * query.pageSize).map((h) => h.record);
    const words = searchWords(query.q);
    const summaries = await summariesOf(this.deps.people, page, userId);
    return {
      items: summaries.map((summary, i) => ({ ...summary, ...snippetOf(page[i]!.text, words) })),
      total: hits.length,
      page: query.page,
      pageSize: query.pageSize,
    };
  }

  /** The note as a Markdown file: its name from the title. */
  async markdown(userId: string, noteId: string): Promise<{ filename: string; markdown: string }> {
    this.readable(userId, noteId);
    const { title, markdown } = await this.deps.collab().read(noteDocName(noteId), (doc) => ({
      title: readNoteFields(doc)?.title ?? '',
      markdown: noteMarkdown(doc),
    }));
    const name =
      title
        .replace(/[^\p{L}\p{N} _-]+/gu, '')
        .trim()
        .slice(0, 80) || 'note';
    return { filename: `${name}.md`, markdown };
  }

  async sharedWithMe(userId: string): Promise<SharedWithMeResponse> {
    const records = this.deps.index
      .sharedWith(userId)
      .filter((r) => this.accessOf(r, userId))
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    const summaries = await summariesOf(this.deps.people, records, userId);
    const sharers = await this.deps.people.of(records.flatMap((r) => r.shares.map((s) => s.sharedBy)));
    const items = summaries.map((summary, i) => {
      const share = records[i]!.shares.find((s) => s.userId === userId)!;
      return { ...summary, sharedBy: personOr(sharers, share.sharedBy), sharedAt: share.sharedAt.toISOString() };
    });
    return { items, unseenCount: items.filter((i) => i.unseen).length };
  }

  async aboutMark(userId: string, exchangeId: string, markId: string) {
    if ((await this.deps.exchanges.access(userId, exchangeId)) !== 'allowed') throw notFound('debrief');
    const records = this.deps.index.linkingMark(exchangeId, markId).filter((r) => this.accessOf(r, userId));
    return summariesOf(this.deps.people, records, userId);
  }

  async opened(userId: string, noteId: string): Promise<void> {
    this.readable(userId, noteId);
    const at = new Date();
    await this.deps.collections.notes.updateOne({ _id: noteId }, { $set: { [`opened.${userId}`]: at } });
    this.deps.index.update(noteId, (r) => ({ ...r, opened: { ...r.opened, [userId]: at } }));
    await this.deps.changes.changed(NOTES_TOPIC, noteId);
  }

  async follow(userId: string, noteId: string, on: boolean): Promise<void> {
    const record = this.readable(userId, noteId);
    const followers = record.followers.filter((id) => id !== userId);
    const unfollowed = record.unfollowed.filter((id) => id !== userId);
    if (on && accessOf(record, userId) === 'community') followers.push(userId);
    if (!on) unfollowed.push(userId);
    await this.save(noteId, { followers, unfollowed });
  }

  // ---------- sharing ----------

  /** People the user has exchanged with: the only ones a note can be shared with. */
  async sharePartners(userId: string): Promise<PublicUser[]> {
    const exchanges = await this.deps.exchanges.listFor(userId);
    const partners = new Map<string, PublicUser>();
    for (const e of exchanges) {
      for (const p of [e.partnerA, e.partnerB]) if (p && p.id !== userId) partners.set(p.id, p);
    }
    for (const id of partners.keys()) if (!(await this.deps.mayContact(userId, id))) partners.delete(id);
    return [...partners.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
  }

  async share(owner: PublicUser, noteId: string, targetId: string, role: ShareRole): Promise<NoteSharing> {
    const record = this.owned(owner.id, noteId);
    if (targetId === owner.id) throw new AppError(400, 'invalid_input', 'you already own this note', 'userId');
    const partners = await this.sharePartners(owner.id);
    if (!partners.some((p) => p.id === targetId)) {
      throw new AppError(400, 'invalid_input', 'notes can be shared only with your exchange partners', 'userId');
    }
    const existing = record.shares.find((s) => s.userId === targetId);
    if (!existing && record.shares.length >= MAX_NOTE_SHARES) {
      throw new AppError(409, 'too_many_shares', `a note can be shared with at most ${MAX_NOTE_SHARES} people`);
    }
    if (existing?.role === role) return this.sharing(owner.id, noteId);
    const share = { userId: targetId, role, sharedAt: existing?.sharedAt ?? new Date(), sharedBy: owner.id };
    const updated = await this.save(noteId, { shares: [...record.shares.filter((s) => s.userId !== targetId), share] });
    await this.deps.collab().recheckAccess(noteDocName(noteId));
    const people = await this.deps.people.of([updated.ownerId]);
    this.deps.realtime.emitToUser(targetId, 'note:shared', {
      note: summaryOf(updated, targetId, people),
      by: owner,
      role,
    });
    return this.sharing(owner.id, noteId);
  }

  async unshare(ownerId: string, noteId: string, targetId: string): Promise<NoteSharing> {
    const record = this.owned(ownerId, noteId);
    if (!record.shares.some((s) => s.userId === targetId)) return this.sharing(ownerId, noteId);
    const updated = await this.save(noteId, { shares: record.shares.filter((s) => s.userId !== targetId) });
    await this.accessChanged(updated, [targetId]);
    return this.sharing(ownerId, noteId);
  }

  async publish(ownerId: string, noteId: string, published: boolean): Promise<NoteSharing> {
    const record = this.owned(ownerId, noteId);
    if (record.published !== published) {
      const updated = await this.save(noteId, { published, publishedAt: published ? new Date() : null });
      if (!published) await this.accessChanged(updated, updated.followers);
    }
    return this.sharing(ownerId, noteId);
  }

  /**
   * Account deletion: the user's notes go with them, so no partner or community reader keeps reading them (open
   * connections are closed as "not found").
   */
  async forget(userId: string): Promise<void> {
    for (const record of this.deps.index.ownedBy(userId)) {
      await this.deps.collections.notes.deleteOne({ _id: record._id });
      this.deps.index.delete(record._id);
      await this.deps.changes.changed(NOTES_TOPIC, record._id);
      await this.deps.collab().recheckAccess(noteDocName(record._id));
      for (const other of new Set([...record.shares.map((s) => s.userId), ...record.followers])) {
        this.deps.realtime.emitToUser(other, 'note:access-changed', { noteId: record._id, access: 'none' });
      }
    }
    await this.deps.storage.forget(userId);
  }

  /** Closes live connections that lost access and tells the people concerned. */
  private async accessChanged(record: NoteRecord, userIds: string[]): Promise<void> {
    await this.deps.collab().recheckAccess(noteDocName(record._id));
    for (const userId of userIds) {
      const access = accessOf(record, userId);
      this.deps.realtime.emitToUser(userId, 'note:access-changed', {
        noteId: record._id,
        access: access === null || access === 'owner' ? 'none' : access,
      });
    }
  }

  async sharing(ownerId: string, noteId: string): Promise<NoteSharing> {
    const record = this.owned(ownerId, noteId);
    return sharingOf(record, await this.deps.people.of(record.shares.map((s) => s.userId)));
  }

  // ---------- links ----------

  async linkMark(
    userId: string,
    noteId: string,
    target: { exchangeId: string; markId: string },
  ): Promise<NoteMarkLink> {
    const record = this.editable(userId, noteId);
    const existing = record.links.find((l) => l.exchangeId === target.exchangeId && l.markId === target.markId);
    const mark = await this.visibleMark(userId, target.exchangeId, target.markId);
    if (existing) return { ...existing, createdAt: existing.createdAt.toISOString() };
    if (record.links.length >= MAX_NOTE_LINKS) {
      throw new AppError(409, 'too_many_links', `a note links at most ${MAX_NOTE_LINKS} marks`);
    }
    const link = newLink(target.exchangeId, mark, userId, new Date());
    await this.save(noteId, { links: [...record.links, link] });
    return { ...link, createdAt: link.createdAt.toISOString() };
  }

  async unlink(userId: string, noteId: string, linkId: string): Promise<void> {
    const record = this.editable(userId, noteId);
    const link = record.links.find((l) => l.id === linkId);
    // a link to a debrief the user cannot see is not theirs to know about
    if (!link || (await this.deps.exchanges.access(userId, link.exchangeId)) !== 'allowed') throw notFound('link');
    await this.save(noteId, { links: record.links.filter((l) => l.id !== linkId) });
  }

  /** Writes fields of a note's record by `_id`, then the index, then tells the other processes. */
  async save(noteId: string, change: Partial<Omit<NoteRecord, '_id'>>): Promise<NoteRecord> {
    await this.deps.collections.notes.updateOne({ _id: noteId }, { $set: change });
    const updated = this.deps.index.update(noteId, (r) => ({ ...r, ...change }));
    if (!updated) throw notFound('note');
    await this.deps.changes.changed(NOTES_TOPIC, noteId);
    return updated;
  }
}

function encodedSize(write: (doc: Y.Doc) => void): number {
  const doc = new Y.Doc();
  try {
    write(doc);
    return Y.encodeStateAsUpdate(doc).length;
  } finally {
    doc.destroy();
  }
}

function sharingOf(record: NoteRecord, people: Map<string, PublicUser>): NoteSharing {
  return {
    shares: record.shares.map((s) => ({
      user: personOr(people, s.userId),
      role: s.role,
      sharedAt: s.sharedAt.toISOString(),
    })),
    published: record.published,
    publishedAt: record.publishedAt?.toISOString() ?? null,
  };
}

function newLink(exchangeId: string, mark: Annotation, userId: string, at: Date): NoteRecord['links'][number] {
  return {
    id: randomBytes(8).toString('hex'),
    exchangeId,
    markId: mark.id,
    regionId: mark.position.regionId,
    createdBy: userId,
    createdAt: at,
  };
}

const regionLabel = (id: string) => regionById(id)?.label ?? id;

function titleForMark(mark: Annotation): string {
  return `${CATEGORY_LABELS[mark.category]} — ${regionLabel(mark.position.regionId)}`;
}

function titleForPattern(p: { regionId: string; tag?: string; count?: number }): string {
  const what = p.tag ? tagLabel(p.tag) : 'Critiques';
  const times = p.count ? ` (${p.count} times)` : '';
  return `${what} on the ${regionLabel(p.regionId).toLowerCase()}${times}`.slice(0, 120);
}
