import type * as Y from 'yjs';
import { readAnnotation, setAnnotationStatus } from '@kneadback/shared/docs/debrief-doc';
import { fitsAfter } from '@kneadback/shared/docs/doc-guard';
import { debriefKind, MAX_THREAD_ENTRIES_PER_DEBRIEF, threadIsFull } from '@kneadback/shared/docs/debrief-rules';
import { SERVER_ORIGIN } from '@kneadback/shared/docs/origins';
import type { CritiqueView } from '@kneadback/shared/schemas/critique';
import type { AnnotationStatus } from '@kneadback/shared/vocabulary';
import type { CollabHub } from '../../collab/hub.ts';
import { AppError, notFound } from '../../http/errors.ts';
import type { ExchangeService } from '../exchanges/service.ts';
import type { ReviewService } from '../review/service.ts';
import { MAX_READ_MARKERS, type ThreadReads } from './thread-reads.ts';

/** More than a change of a mark's status adds to its debrief (about 400 bytes: the status and a thread entry). */
const STATUS_CHANGE_BYTES = 2 * 1024;

/** What a partner does to a debrief outside its live document connection. */
export class DebriefService {
  constructor(
    private readonly deps: {
      exchanges: ExchangeService;
      review: ReviewService;
      collab: Pick<CollabHub, 'edit'>;
      threadReads: ThreadReads;
    },
  ) {}

  /** Last time's unresolved critiques between the same partners, to check at this debrief. */
  async carriedForward(userId: string, exchangeId: string): Promise<CritiqueView[]> {
    await this.requirePartner(userId, exchangeId);
    const earlier = await this.deps.exchanges.earlierBetween(userId, exchangeId);
    return this.deps.review.openIn(userId, earlier);
  }

  /** Resolves or reopens a mark of a debrief that may not be open in anyone's browser. */
  async setStatus(userId: string, exchangeId: string, annotationId: string, status: AnnotationStatus): Promise<void> {
    await this.requirePartner(userId, exchangeId);
    let refusal: AppError | null = null;
    await this.deps.collab.edit(exchangeId, (doc) => {
      const mark = readAnnotation(doc, annotationId);
      if (!mark) {
        refusal = new AppError(404, 'not_found', 'that mark no longer exists');
        return;
      }
      if (mark.status === status) return;
      const change = (d: Y.Doc) => setAnnotationStatus(d, annotationId, status, userId, { origin: SERVER_ORIGIN });
      // the change adds a thread entry, past the debrief's rules if it is full (see threadIsFull)
      if (threadIsFull(doc)) {
        refusal = new AppError(
          409,
          'too_many_thread_entries',
          `this debrief is full: it holds at most ${MAX_THREAD_ENTRIES_PER_DEBRIEF} replies and status changes`,
        );
      } else if (!fitsAfter(debriefKind, doc, change, { addsAtMost: STATUS_CHANGE_BYTES })) {
        refusal = new AppError(
          409,
          'debrief_too_large',
          `this debrief is full: it holds at most ${Math.round(debriefKind.maxBytes / 1024 / 1024)} MB`,
        );
      } else {
        change(doc);
      }
    });
    if (refusal) throw refusal;
  }

  /** When the person last looked at each thread of the debrief (annotation id → ISO time). */
  async reads(userId: string, exchangeId: string): Promise<Record<string, string>> {
    await this.requirePartner(userId, exchangeId);
    const seen = await this.deps.threadReads.of(userId, exchangeId);
    return Object.fromEntries(Object.entries(seen).map(([id, at]) => [id, at.toISOString()]));
  }

  async markRead(userId: string, exchangeId: string, annotationId: string): Promise<void> {
    await this.requirePartner(userId, exchangeId);
    if (!(await this.deps.threadReads.mark(userId, exchangeId, annotationId))) {
      throw new AppError(409, 'too_many_read_markers', `a debrief keeps at most ${MAX_READ_MARKERS} read markers`);
    }
  }

  private async requirePartner(userId: string, exchangeId: string): Promise<void> {
    if ((await this.deps.exchanges.access(userId, exchangeId)) !== 'allowed') throw notFound('debrief');
  }
}
