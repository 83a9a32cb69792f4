import { NOTE_EDIT_NOTICE_MS } from '@kneadback/shared/schemas/note';
import type { Logger } from '../../logger.ts';
import type { Realtime } from '../../realtime/socket-server.ts';
import type { People } from './present.ts';
import type { NoteService } from './service.ts';

/** Edits gather this long after the last one before followers hear of them. */
const QUIET_MS = 2_000;

/**
 * Tells a note's followers it was edited (`note:edited`): not per keystroke but once the
 * editing pauses, and at most once per NOTE_EDIT_NOTICE_MS per note. The people who edited are
 * not told about their own edits.
 */
export class NoteActivity {
  private readonly pending = new Map<string, { editors: Set<string>; timer: NodeJS.Timeout }>();
  private readonly lastNotice = new Map<string, number>();

  constructor(
    private readonly notes: NoteService,
    private readonly people: People,
    private readonly realtime: Pick<Realtime, 'emitToUser'>,
    private readonly logger: Logger,
  ) {}

  edited(noteId: string, editors: Iterable<string>): void {
    const pending = this.pending.get(noteId);
    if (pending) clearTimeout(pending.timer);
    const gathered = new Set([...(pending?.editors ?? []), ...editors]);
    const due = Math.max(QUIET_MS, (this.lastNotice.get(noteId) ?? 0) + NOTE_EDIT_NOTICE_MS - Date.now());
    const timer = setTimeout(() => void this.announce(noteId, gathered), due);
    timer.unref();
    this.pending.set(noteId, { editors: gathered, timer });
  }

  private async announce(noteId: string, editors: Set<string>): Promise<void> {
    this.pending.delete(noteId);
    this.lastNotice.set(noteId, Date.now());
    try {
      const record = this.notes.record(noteId);
      const people = await this.people.of(editors);
      const at = new Date().toISOString();
      for (const userId of this.notes.followersOf(record)) {
        if (editors.has(userId)) continue;
        // across a block, no notice names the other (nor tells of their edits alone)
        const editedBy = [...people.values()].filter((p) => !this.notes.keptApart(userId, p.id));
        if (editedBy.length > 0) {
          this.realtime.emitToUser(userId, 'note:edited', { noteId, title: record.title, editedBy, at });
        }
      }
    } catch (err) {
      this.logger.error({ err, noteId }, 'announcing a note edit failed');
    }
  }

  stop(): void {
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
