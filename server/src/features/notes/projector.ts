import * as Y from 'yjs';
import { readNoteFields } from '@kneadback/shared/docs/note-doc';
import { noteBodyText } from '@kneadback/shared/docs/note-text';
import type { NoteFields } from '@kneadback/shared/schemas/note';
import type { DocRoom } from '../../collab/room.ts';
import type { Logger } from '../../logger.ts';
import type { NoteActivity } from './activity.ts';
import type { NoteRecord } from './model.ts';
import type { NoteService } from './service.ts';
import { STORAGE_FULL_REASON, sizeAllowance, type NoteStorage } from './storage.ts';
import type { NoteVersions } from './versions.ts';

/** Search does not need every keystroke: a second of coalescing keeps writes few. */
const PROJECT_DELAY_MS = 1_000;

type Projection = Pick<NoteRecord, 'title' | 'tags' | 'regions' | 'modality' | 'text'>;

/**
 * Keeps a live note's record in step with its document: title, tags, regions, modality and plain
 * text for search, and its size counted against its owner's storage (when it opens, a second
 * after edits pause, and on unload), plus what editing sets off: followers' notices and automatic
 * versions. The room is held under what the owner's storage has room for, as last counted (their
 * automatic versions make way for it: see NoteVersions).
 */
export class NoteProjector {
  constructor(
    private readonly notes: NoteService,
    private readonly versions: NoteVersions,
    private readonly activity: NoteActivity,
    private readonly storage: NoteStorage,
    private readonly logger: Logger,
  ) {}

  attach(noteId: string, room: DocRoom): () => Promise<void> {
    const editors = new Set<string>();
    let timer: NodeJS.Timeout | null = null;
    let running: Promise<void> = Promise.resolve();
    // the room relays a person's change with their connection as its origin
    const noteEditor = (_update: Uint8Array, origin: unknown) => {
      const id = (origin as { user?: { id?: unknown } } | null)?.user?.id;
      if (typeof id === 'string') editors.add(id);
    };
    room.doc.on('update', noteEditor);
    room.limitSize({ bytes: () => this.allowance(noteId), reason: STORAGE_FULL_REASON });
    const run = () => {
      timer = null;
      running = running
        .then(() => this.project(noteId, room.doc, editors))
        .catch((err: unknown) => this.logger.error({ err, noteId }, 'projecting a note failed; the next edit retries'));
      return running;
    };
    const schedule = () => {
      timer ??= setTimeout(run, PROJECT_DELAY_MS);
    };
    const off = room.onChange(schedule);
    schedule(); // measured on opening too: a note from before storage was counted counts from then
    return async () => {
      off();
      room.doc.off('update', noteEditor);
      room.limitSize(null);
      if (timer) clearTimeout(timer);
      await run();
    };
  }

  /**
   * How large live changes may make the note: what its owner's storage has room for, as this
   * process last knew it (read when anyone joins: see collab-hooks.ts). Unknown: its own limit.
   */
  private allowance(noteId: string): number {
    const record = this.notes.find(noteId);
    const used = record && this.storage.knownFirm(record.ownerId);
    return record && used !== undefined ? sizeAllowance(record.bytes ?? 0, used) : Infinity;
  }

  private async project(noteId: string, doc: Y.Doc, editors: Set<string>): Promise<void> {
    const { ownerId } = this.notes.record(noteId);
    await this.record(noteId, doc, editors);
    // a live change may take room automatic versions held (allowance): they make way now
    await this.versions.makeRoom(ownerId, noteId);
  }

  private async record(noteId: string, doc: Y.Doc, editors: Set<string>): Promise<void> {
    const record = this.notes.record(noteId);
    const bytes = Y.encodeStateAsUpdate(doc).length;
    const grown = bytes - (record.bytes ?? 0);
    await this.storage.add(record.ownerId, grown);
    const fields = readNoteFields(doc);
    const projection = fields && projectionOf(fields, noteBodyText(doc));
    const changed =
      projection &&
      (Object.keys(projection) as (keyof Projection)[]).some(
        (key) => JSON.stringify(projection[key]) !== JSON.stringify(record[key]),
      );
    if (!changed) {
      if (grown !== 0) await this.notes.save(noteId, { bytes });
      return;
    }
    await this.notes.save(noteId, { ...projection, bytes, updatedAt: new Date() });
    if (editors.size === 0) return;
    this.activity.edited(noteId, editors);
    editors.clear();
    await this.versions.autoVersion(noteId, () => Y.encodeStateAsUpdate(doc));
  }
}

function projectionOf(fields: NoteFields, body: string): Projection {
  const extra =
    fields.kind === 'technique'
      ? fields.steps
      : fields.kind === 'situation'
        ? [fields.whatHappened, fields.whatHelped, fields.tryNext]
        : [fields.teacherName, fields.certification];
  return {
    title: fields.title.trim(),
    tags: fields.tags,
    regions: fields.regions,
    modality: fields.kind === 'technique' ? fields.modality : null,
    text: [body, ...extra.filter((t) => t.trim().length > 0)].join('\n'),
  };
}
