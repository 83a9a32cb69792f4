import type * as Y from 'yjs';
import { readAnnotation, readAnnotations, readThread } from '@kneadback/shared/docs/debrief-doc';
import type { Round, ThreadEntry } from '@kneadback/shared/schemas/annotation';
import type { Logger } from '../../logger.ts';
import type { DocRoom } from '../../collab/room.ts';
import type { ReviewShards } from '../review/review-shards.ts';
import { retryPauseMs } from '../../collab/db-errors.ts';
import { projectCritique, type ProjectedCritique } from './critique-record.ts';
import type { ProjectionStates } from './model.ts';
import type { ExchangeParties } from '../exchanges/service.ts';

/** What a debrief's projection needs of its exchange. */
export type DebriefContext = ExchangeParties;

/**
 * Called for thread entries the projection sees for the first time (notifications hang here), with the round of
 * each entry's mark (a notification links to the mark in its round).
 */
export type NewThreadEntriesListener = (
  exchangeId: string,
  context: DebriefContext,
  entries: ThreadEntry[],
  roundOf: (annotationId: string) => Round | null,
) => void;

// Review does not need every keystroke: a second of coalescing keeps projection writes few under load.
const PROJECT_DELAY_MS = 1_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** The longest a projection write waits for live writes to drain. */
const MAX_YIELD_MS = 250;

export interface DebriefProjectorOptions {
  states: ProjectionStates;
  shards: ReviewShards;
  contextOf: (exchangeId: string) => Promise<DebriefContext | null>;
  logger: Logger;
  onNewThreadEntries?: NewThreadEntriesListener;
  /** Resolves once no live edit waits to be stored: projection writes yield to them. */
  liveWritesIdle?: () => Promise<void>;
}

/**
 * Keeps each partner's critique records (their Review collection) in step with debrief
 * documents: a short debounce after changes, and once on unload when anything changed. A
 * debrief closed cleanly was projected as it closed, so opening it to read projects nothing and
 * reads no projection state; one left open by a crash is projected on load. Only annotations
 * whose values changed are written.
 */
export class DebriefProjector {
  private writes: Promise<unknown> = Promise.resolve();
  private readonly opts: Required<DebriefProjectorOptions>;

  constructor(options: DebriefProjectorOptions) {
    this.opts = { onNewThreadEntries: () => undefined, liveWritesIdle: async () => undefined, ...options };
  }

  /** `changedOnLoad`: the server changed the document as it loaded (an upgrade of its shape). */
  attach(exchangeId: string, room: DocRoom, changedOnLoad = false): () => Promise<void> {
    let known: Map<string, string> | null = null; // annotationId -> hash
    let knownThreadIds: Set<string> | null = null;
    let timer: NodeJS.Timeout | null = null;
    let dirty = changedOnLoad || !room.loadedClean;
    /** Changed since load (in memory: a change still being stored counts), so the unload projects. */
    let changed = dirty;
    const onUpdate = () => (changed = true);
    room.doc.on('update', onUpdate);
    let draining: Promise<void> | null = null;
    // A partner who joins the exchange while the debrief is open: in its records from the unload on.
    const partnerAtLoad = this.partnerB(exchangeId);

    const run = async () => {
      const context = await this.opts.contextOf(exchangeId);
      if (!context) return;
      if (!known || !knownThreadIds) ({ hashes: known, threadIds: knownThreadIds } = await this.loadState(exchangeId));
      const result = await this.project(exchangeId, room.doc, context, known, knownThreadIds);
      const fresh = result.thread.filter((t) => !knownThreadIds!.has(t.id));
      known = result.hashes;
      knownThreadIds = new Set(result.thread.map((t) => t.id));
      const roundOf = (annotationId: string) => readAnnotation(room.doc, annotationId)?.round ?? null;
      if (fresh.length > 0) this.opts.onNewThreadEntries(exchangeId, context, fresh, roundOf);
    };
    // Changes arriving during a run coalesce into one more run; a failed run (e.g. the
    // database busy) is retried after a pause, so the record catches up without new edits.
    const drain = () =>
      (draining ??= (async () => {
        let failures = 0;
        while (dirty) {
          dirty = false;
          try {
            await run();
            failures = 0;
          } catch (err) {
            dirty = true;
            failures++;
            this.opts.logger.warn({ err, exchangeId, failures }, 'projection failed; retrying');
            await sleep(retryPauseMs(failures));
          }
        }
      })().finally(() => (draining = null)));
    const off = room.onChange(() => {
      dirty = true;
      timer ??= setTimeout(() => {
        timer = null;
        void drain();
      }, PROJECT_DELAY_MS);
    });
    if (dirty) void drain();

    return async () => {
      off();
      room.doc.off('update', onUpdate);
      if (timer) clearTimeout(timer);
      timer = null;
      await draining;
      const partner = await partnerAtLoad;
      if (!changed && partner !== undefined && partner === (await this.partnerB(exchangeId))) return;
      dirty = true;
      await drain();
    };
  }

  /** Undefined when unknown (the exchange could not be read): then the unload projects anyway. */
  private partnerB(exchangeId: string): Promise<string | null | undefined> {
    return this.opts.contextOf(exchangeId).then(
      (ctx) => ctx?.partnerB,
      () => undefined,
    );
  }

  /**
   * What was last projected for a debrief, read by _id (with other debriefs loading meanwhile):
   * FerretDB v1 on SQLite scans a whole collection for any filter, so the projector never asks
   * "all critiques of debrief X".
   */
  private async loadState(exchangeId: string): Promise<{ hashes: Map<string, string>; threadIds: Set<string> }> {
    const state = await this.opts.states.get(exchangeId);
    return {
      hashes: new Map(Object.entries(state?.hashes ?? {})),
      threadIds: new Set(state?.threadIds ?? []),
    };
  }

  /**
   * One write at a time across all debriefs, and only once live edits waiting to be stored have
   * gone out: on a busy server the projection lags (and coalesces), live editing does not.
   */
  private serialized<T>(write: () => Promise<T>): Promise<T> {
    let took = 0;
    const run = async () => {
      // priority, not starvation: after a short wait the projection goes ahead anyway
      await Promise.race([this.opts.liveWritesIdle(), sleep(MAX_YIELD_MS)]);
      const started = performance.now();
      try {
        return await write();
      } finally {
        took = performance.now() - started;
      }
    };
    const result = this.writes.then(run, run);
    // The next write waits as long as this one took: projections get at most half of the
    // database's time under load, and changes arriving meanwhile coalesce into fewer writes.
    const rest = () => sleep(took);
    this.writes = result.then(rest, rest);
    return result;
  }

  /** One-off projection of a document (used at start-up to repair after a crash). */
  async projectOnce(exchangeId: string, doc: Y.Doc): Promise<void> {
    const context = await this.opts.contextOf(exchangeId);
    if (!context) return;
    const state = await this.loadState(exchangeId);
    await this.project(exchangeId, doc, context, state.hashes, state.threadIds);
  }

  private async project(
    exchangeId: string,
    doc: Y.Doc,
    context: DebriefContext,
    known: Map<string, string>,
    knownThreadIds: Set<string>,
  ): Promise<{ hashes: Map<string, string>; thread: ThreadEntry[] }> {
    const before = this.compare(exchangeId, doc, context, known, knownThreadIds);
    if (!before.stale) return before;
    // Under load the write waits its turn for seconds: it takes the document as it is then, so
    // edits made meanwhile go out in this write instead of another one after it.
    return this.serialized(async () => {
      const now = this.compare(exchangeId, doc, context, known, knownThreadIds);
      if (now.stale) {
        await this.noteNewMarks(exchangeId, known, now.hashes, knownThreadIds);
        await this.opts.shards.put(now.changed);
        await this.opts.shards.remove(
          [context.partnerA, ...(context.partnerB ? [context.partnerB] : [])],
          now.removedIds,
        );
        await this.opts.states.put({
          _id: exchangeId,
          hashes: Object.fromEntries(now.hashes),
          threadIds: now.thread.map((t) => t.id),
        });
      }
      return now;
    });
  }

  /**
   * Marks about to get their first records are noted in the projection state before the records
   * are written (with no hash, so they are written again): a crash between the two writes would
   * otherwise leave records no state lists, which no later projection removes if the mark never
   * comes back (a device's resent mark refused after the restart, as one past the mark limit).
   */
  private async noteNewMarks(
    exchangeId: string,
    known: Map<string, string>,
    hashes: Map<string, string>,
    knownThreadIds: Set<string>,
  ): Promise<void> {
    const added = [...hashes.keys()].filter((id) => !known.has(id));
    if (added.length === 0) return;
    await this.opts.states.put({
      _id: exchangeId,
      hashes: { ...Object.fromEntries(known), ...Object.fromEntries(added.map((id) => [id, ''])) },
      threadIds: [...knownThreadIds],
    });
  }

  /** What the records should be now, and whether they differ from what was last written. */
  private compare(
    exchangeId: string,
    doc: Y.Doc,
    context: DebriefContext,
    known: Map<string, string>,
    knownThreadIds: Set<string>,
  ) {
    const warn = (what: string, id: string, error: { issues: { message: string }[] }) =>
      this.opts.logger.warn({ exchangeId, id, problem: error.issues[0]?.message }, `skipping invalid ${what}`);
    const annotations = readAnnotations(doc, warn);
    const thread = readThread(doc, undefined, warn);
    const threads = new Map<string, ThreadEntry[]>();
    for (const t of thread) threads.set(t.annotationId, [...(threads.get(t.annotationId) ?? []), t]);

    const hashes = new Map<string, string>();
    const changed: ProjectedCritique['records'] = [];
    const removedIds: string[] = [];
    for (const a of annotations) {
      const projected = projectCritique(exchangeId, a, threads.get(a.id) ?? [], context);
      hashes.set(a.id, projected.hash);
      if (known.get(a.id) !== projected.hash) changed.push(...projected.records);
    }
    for (const id of known.keys()) if (!hashes.has(id)) removedIds.push(`${exchangeId}:${id}`);
    const threadChanged = thread.length !== knownThreadIds.size || thread.some((t) => !knownThreadIds.has(t.id));
    return { hashes, thread, changed, removedIds, stale: changed.length > 0 || removedIds.length > 0 || threadChanged };
  }
}
