import { randomBytes } from 'node:crypto';
import { MAX_NOTE_COMMENTS, MAX_NOTE_COMMENTS_PER_PERSON, type NoteComment } from '@kneadback/shared/schemas/note';
import { isDuplicateKey } from '../../db/connection.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import type { RateLimits } from '../../http/rate-limit.ts';
import { KeyedLocks } from '../../keyed-locks.ts';
import type { CommentRow, CommentThreadRow, NoteCollections, NoteRecord } from './model.ts';
import { personOr, type People } from './present.ts';
import type { NoteService } from './service.ts';

/** Writers racing on one thread each read it again; past this many, the request says try again. */
const THREAD_WRITE_ATTEMPTS = 10;

/**
 * What readers of a published note do with it: mark it helpful (once each, never one's own) and
 * talk about it in a comment thread (one row per note, by `_id`). Like a mark's replies, only a
 * comment's author edits or deletes it, and a deleted one stays as a tombstone.
 */
export class NoteCommunity {
  private readonly threadWrites = new KeyedLocks();
  private readonly recordWrites = new KeyedLocks();

  constructor(
    private readonly notes: NoteService,
    private readonly collections: NoteCollections,
    private readonly people: People,
    private readonly limits: RateLimits,
  ) {}

  /** One at a time per note in this process: two readers marking it at once both count. */
  helpful(userId: string, noteId: string, on: boolean): Promise<{ helpfulCount: number; helpfulByMe: boolean }> {
    return this.recordWrites.withKeys([noteId], async () => {
      const record = this.published(userId, noteId);
      if (record.ownerId === userId) throw forbidden('you cannot mark your own note as helpful');
      const others = record.helpful.filter((id) => id !== userId);
      const helpful = on ? [...others, userId] : others;
      if (helpful.length !== record.helpful.length) await this.notes.save(noteId, { helpful });
      return { helpfulCount: helpful.length, helpfulByMe: on };
    });
  }

  async comments(userId: string, noteId: string): Promise<NoteComment[]> {
    this.notes.readable(userId, noteId);
    return this.present(await this.thread(noteId));
  }

  async comment(userId: string, noteId: string, text: string): Promise<NoteComment> {
    const record = this.published(userId, noteId);
    return this.limits.spend([['noteCommentsPerUser', userId]], 'too many comments', () =>
      this.add(userId, record, text),
    );
  }

  private async add(userId: string, record: NoteRecord, text: string): Promise<NoteComment> {
    const comment = await this.rewrite(record._id, (comments) => {
      if (comments.length >= MAX_NOTE_COMMENTS) {
        throw new AppError(409, 'too_many_comments', `a note holds at most ${MAX_NOTE_COMMENTS} comments`);
      }
      const mine = comments.filter((c) => c.authorId === userId).length;
      if (userId !== record.ownerId && mine >= MAX_NOTE_COMMENTS_PER_PERSON) {
        throw new AppError(
          409,
          'too_many_comments_by_you',
          `you have written ${MAX_NOTE_COMMENTS_PER_PERSON} comments on this note, the most one person can; leave room for others`,
        );
      }
      const added: CommentRow = {
        id: randomBytes(8).toString('hex'),
        authorId: userId,
        text,
        createdAt: new Date(),
        editedAt: null,
        deleted: false,
      };
      comments.push(added);
      return added;
    });
    return (await this.present([comment]))[0]!;
  }

  async edit(userId: string, noteId: string, commentId: string, text: string | null): Promise<NoteComment> {
    this.notes.readable(userId, noteId);
    const comment = await this.rewrite(noteId, (comments) => {
      const found = comments.find((c) => c.id === commentId && !c.deleted);
      if (!found) throw notFound('comment');
      if (found.authorId !== userId) throw forbidden('only its author can change a comment');
      return Object.assign(found, text === null ? { text: '', deleted: true } : { text }, { editedAt: new Date() });
    });
    return (await this.present([comment]))[0]!;
  }

  private published(userId: string, noteId: string): NoteRecord {
    const record = this.notes.readable(userId, noteId);
    if (!record.published) throw forbidden('helpful marks and comments are for notes published to the community');
    return record;
  }

  private async thread(noteId: string): Promise<CommentRow[]> {
    return (await this.collections.comments.findOne({ _id: noteId }))?.comments ?? [];
  }

  /**
   * Changes a thread that is stored whole (FerretDB v1 has no positional array updates): one
   * write at a time per thread in this process, and written back only if no other process wrote
   * it meanwhile (its revision), else read again. The revision check holds on MongoDB; FerretDB v1
   * applies a conditional update as a read and a separate write, so there two processes writing
   * one thread at the same moment can still lose a comment.
   */
  private rewrite(noteId: string, change: (comments: CommentRow[]) => CommentRow): Promise<CommentRow> {
    return this.threadWrites.withKeys([noteId], async () => {
      for (let attempt = 0; attempt < THREAD_WRITE_ATTEMPTS; attempt++) {
        const row = await this.collections.comments.findOne({ _id: noteId });
        const comments = row?.comments ?? [];
        const changed = change(comments);
        if (await this.writeIfUnchanged(noteId, row, comments)) return changed;
      }
      throw new AppError(409, 'thread_busy', 'Many people are commenting on this note right now; try again.');
    });
  }

  private async writeIfUnchanged(
    noteId: string,
    read: CommentThreadRow | null,
    comments: CommentRow[],
  ): Promise<boolean> {
    if (!read) {
      const inserted = await this.collections.comments
        .insertOne({ _id: noteId, comments, revision: 1 })
        .then(() => true)
        .catch((err: unknown) => {
          if (isDuplicateKey(err)) return false;
          throw err;
        });
      return inserted;
    }
    const revision = read.revision ?? 0;
    const { matchedCount } = await this.collections.comments.updateOne(
      { _id: noteId, revision: read.revision === undefined ? { $exists: false } : revision },
      { $set: { comments, revision: revision + 1 } },
    );
    return matchedCount === 1;
  }

  private async present(comments: CommentRow[]): Promise<NoteComment[]> {
    const people = await this.people.of(comments.map((c) => c.authorId));
    return comments.map((c) => ({
      id: c.id,
      author: personOr(people, c.authorId),
      text: c.text,
      createdAt: c.createdAt.toISOString(),
      editedAt: c.editedAt?.toISOString() ?? null,
      deleted: c.deleted,
    }));
  }
}
