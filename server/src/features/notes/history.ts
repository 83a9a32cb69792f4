import * as Y from 'yjs';
import { noteDocName, readNoteFields, restoreNoteFrom } from '@kneadback/shared/docs/note-doc';
import { trialAsSender } from '@kneadback/shared/docs/doc-guard';
import { MAX_NOTE_BYTES, noteKind } from '@kneadback/shared/docs/note-rules';
import { noteBodyText, noteMarkdown } from '@kneadback/shared/docs/note-text';
import { type NoteCompareResponse, type NoteVersion } from '@kneadback/shared/schemas/note';
import type { CollabHub } from '../../collab/hub.ts';
import { AppError, notFound } from '../../http/errors.ts';
import type { RateLimits } from '../../http/rate-limit.ts';
import { lineDiff } from './diff.ts';
import { bytesOf, versionRowId, type NoteCollections, type VersionEntry } from './model.ts';
import { personOr, type People } from './present.ts';
import type { NoteService } from './service.ts';
import { passesQuota, storageFull, type NoteStorage } from './storage.ts';
import { refuseNamedPastLimit, type NoteVersions } from './versions.ts';

const tooLargeToRestore = () =>
  new AppError(
    409,
    'note_too_large',
    `restoring this version would make the note larger than ${Math.round(MAX_NOTE_BYTES / 1024)} KB, the most a note can hold; copy the parts you need instead`,
  );

const breaksRules = (reason: string) =>
  new AppError(
    409,
    'version_breaks_rules',
    `this version holds something a note may no longer hold (${reason}), so it cannot be restored; open it and copy the parts you need instead`,
  );

/**
 * Versions of a note: the whole Yjs state at a moment, named by someone or taken automatically
 * while it is edited (kept by NoteVersions). Restoring applies the version's content
 * as a new server edit through the live room, so everyone connected sees it and the stored
 * history stays as it was.
 */
export class NoteHistory {
  constructor(
    private readonly notes: NoteService,
    private readonly collections: NoteCollections,
    private readonly people: People,
    private readonly collab: () => Pick<CollabHub, 'edit' | 'read'>,
    private readonly limits: RateLimits,
    private readonly storage: NoteStorage,
    private readonly versions: NoteVersions,
  ) {}

  async list(userId: string, noteId: string): Promise<NoteVersion[]> {
    const record = this.notes.withHistory(userId, noteId);
    return this.present([...record.versions].reverse());
  }

  async name(userId: string, noteId: string, name: string): Promise<NoteVersion> {
    // asked again where it counts (NoteVersions.addNamed); here so a note that is full costs no try
    refuseNamedPastLimit(this.notes.editable(userId, noteId).versions);
    await this.limits.take([['namedVersionsPerUser', userId]], 'too many named versions');
    const state = await this.collab().read(noteDocName(noteId), (doc) => Y.encodeStateAsUpdate(doc));
    // the owner's: someone they share with names versions of the owner's note, which the owner
    // sees in its history and may delete
    const entry = await this.versions.addNamed(noteId, state, name, userId);
    return (await this.present([entry]))[0]!;
  }

  /** The owner deletes a named version (automatic ones make way for newer ones by themselves). */
  async remove(userId: string, noteId: string, versionId: string): Promise<void> {
    this.notes.owned(userId, noteId);
    await this.versions.removeNamed(noteId, versionId);
  }

  async read(userId: string, noteId: string, versionId: string) {
    const { entry, doc } = await this.load(userId, noteId, versionId);
    try {
      const [version] = await this.present([entry]);
      return {
        version: version!,
        title: readNoteFields(doc)?.title ?? '',
        text: noteBodyText(doc),
        markdown: noteMarkdown(doc),
      };
    } finally {
      doc.destroy();
    }
  }

  async compare(userId: string, noteId: string, versionId: string): Promise<NoteCompareResponse> {
    const { entry, doc } = await this.load(userId, noteId, versionId);
    try {
      const then = { title: readNoteFields(doc)?.title ?? '', markdown: noteMarkdown(doc) };
      const now = await this.collab().read(noteDocName(noteId), (live) => ({
        title: readNoteFields(live)?.title ?? '',
        markdown: noteMarkdown(live),
      }));
      const [version] = await this.present([entry]);
      return { version: version!, then, now, diff: lineDiff(then.markdown, now.markdown) };
    } finally {
      doc.destroy();
    }
  }

  /**
   * Keeps the state before as an automatic version, then makes the note read like the version.
   * The version's content is judged as the restorer's own change by today's rules (it was kept
   * under the rules of its day, or crafted before a rule tightened) and against the note's size
   * limit: asked before keeping anything, and again in the edit itself, which is what counts:
   * someone may have written in between.
   */
  async restore(userId: string, noteId: string, versionId: string): Promise<void> {
    const { ownerId } = this.notes.editable(userId, noteId);
    const { doc } = await this.load(userId, noteId, versionId);
    const restore = (live: Y.Doc) => restoreNoteFrom(live, doc);
    let used = 0;
    const refusalOf = (live: Y.Doc): AppError | null => {
      const { refusal, bytes } = trialAsSender(noteKind, live, restore, userId);
      if (refusal) return breaksRules(refusal);
      if (bytes > MAX_NOTE_BYTES) return tooLargeToRestore();
      // counted by the projector once it is done, as any edit
      const grows = bytes - (this.notes.record(noteId).bytes ?? 0);
      return passesQuota(used, grows) ? null : storageFull(used, ownerId === userId);
    };
    try {
      // a refusal here has written nothing, so it gives its place back (see RateLimits.spend)
      const before = await this.limits.spend(
        [['noteRestoresPerUser', userId]],
        'too many restored versions',
        async () => {
          // automatic versions (this one among them) make way for it: see NoteVersions
          used = await this.storage.firm(ownerId);
          const state = await this.collab().read(
            noteDocName(noteId),
            (live) => refusalOf(live) ?? Y.encodeStateAsUpdate(live),
          );
          if (state instanceof AppError) throw state;
          return state;
        },
      );
      await this.versions.addAuto(noteId, before);
      let refused: AppError | null = null;
      await this.collab().edit(noteDocName(noteId), (live) => {
        refused = refusalOf(live);
        if (!refused) restore(live);
      });
      if (refused) throw refused;
    } finally {
      doc.destroy();
    }
  }

  private async load(userId: string, noteId: string, versionId: string): Promise<{ entry: VersionEntry; doc: Y.Doc }> {
    const record = this.notes.withHistory(userId, noteId);
    const entry = record.versions.find((v) => v.id === versionId);
    const row = entry && (await this.collections.versions.findOne({ _id: versionRowId(noteId, versionId) }));
    if (!entry || !row) throw notFound('version');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, bytesOf(row.state));
    return { entry, doc };
  }

  private async present(entries: VersionEntry[]): Promise<NoteVersion[]> {
    const people = await this.people.of(entries.flatMap((e) => (e.createdBy ? [e.createdBy] : [])));
    return entries.map((e) => ({
      id: e.id,
      name: e.name,
      auto: e.auto,
      createdAt: e.createdAt.toISOString(),
      createdBy: e.createdBy ? personOr(people, e.createdBy) : null,
    }));
  }
}
