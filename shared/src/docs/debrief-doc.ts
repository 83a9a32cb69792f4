import * as Y from 'yjs';
import { z } from 'zod';
import {
  annotationInputSchema,
  annotationPatchSchema,
  annotationSchema,
  markPositionSchema,
  replyInputSchema,
  threadEntrySchema,
  REACTIONS,
  type Annotation,
  type AnnotationInput,
  type AnnotationPatch,
  type MarkPosition,
  type ReplyInput,
  type ThreadEntry,
} from '../schemas/annotation.ts';
import type { AnnotationStatus } from '../vocabulary.ts';
import { CLIENT_ORIGIN, newId } from './origins.ts';

/**
 * The only code that knows the Yjs shape of a debrief. Everything else calls these functions.
 *
 * Shape (schema version 1):
 *   annotations: Y.Map<annotationId, Y.Map<field, value>>   one flat map per mark, so concurrent
 *                                                           edits of different fields both survive
 *   thread:      Y.Map<entryId, Y.Map<field, value>>        replies and status changes of all marks
 *     └ reactions: Y.Map<"emoji|userId", true>             so two people reacting never conflict
 *   meta:        Y.Map<'schemaVersion', number>
 */
export const DEBRIEF_SCHEMA_VERSION = 1;

/** The root maps of a debrief; the server refuses changes anywhere else (debrief-rules.ts). */
export const DEBRIEF_ROOTS = ['annotations', 'thread', 'meta'] as const;
const [ANNOTATIONS, THREAD, META] = DEBRIEF_ROOTS;

// annotationsOf/threadOf are exported for debrief-rules.ts (the same shape's rules); everyone else
// calls the functions below.
export const annotationsOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(ANNOTATIONS);
export const threadOf = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(THREAD);
export const metaOf = (doc: Y.Doc) => doc.getMap<unknown>(META);
/** The one key of `meta`. */
export const SCHEMA_VERSION_KEY = 'schemaVersion';

export class DebriefDocError extends Error {}

export type InvalidValueHandler = (what: string, id: string, error: z.ZodError) => void;
const warnInvalid: InvalidValueHandler = (what, id, error) =>
  console.warn(`skipping invalid ${what} ${id}: ${error.issues[0]?.message ?? 'invalid'}`);

// ---------- schema version ----------

/**
 * The steps from each older schema version to the next, tldraw-style: `steps[v]` turns a version
 * v debrief into a version v + 1 one. Empty while version 1 is the only one: a change of shape
 * bumps DEBRIEF_SCHEMA_VERSION, adds its step here and its rules to debrief-rules.ts.
 */
const UPGRADE_STEPS: Record<number, (doc: Y.Doc) => void> = {};

/**
 * Read when a debrief is loaded: how the schema version it was written under compares with this
 * one. A document without a version holds nothing yet (addAnnotation writes it). 'newer': a later
 * version of the app wrote it, and this one must not reshape it.
 */
export function schemaVersionOf(doc: Y.Doc, current = DEBRIEF_SCHEMA_VERSION): 'current' | 'older' | 'newer' {
  const version = metaOf(doc).get(SCHEMA_VERSION_KEY);
  if (typeof version !== 'number' || version === current) return 'current';
  return version < current ? 'older' : 'newer';
}

/**
 * Brings a debrief written under an older schema version up to this one, step by step, in one
 * transaction of `origin` (the server's, so no one's undo holds it). Leaves others unchanged.
 */
export function upgradeDebrief(
  doc: Y.Doc,
  origin: unknown,
  { steps = UPGRADE_STEPS, current = DEBRIEF_SCHEMA_VERSION } = {},
): void {
  if (schemaVersionOf(doc, current) !== 'older') return;
  const version = metaOf(doc).get(SCHEMA_VERSION_KEY) as number;
  const pending = Array.from({ length: current - version }, (_, i) => {
    const step = steps[version + i];
    if (!step) throw new DebriefDocError(`no upgrade of a debrief from schema version ${version + i}`);
    return step;
  });
  doc.transact(() => {
    for (const step of pending) step(doc);
    metaOf(doc).set(SCHEMA_VERSION_KEY, current);
  }, origin);
}

// ---------- annotations ----------

export function addAnnotation(
  doc: Y.Doc,
  authorId: string,
  input: AnnotationInput,
  opts: { now?: number; id?: string; origin?: unknown } = {},
): Annotation {
  const parsed = annotationInputSchema.parse(input);
  const now = opts.now ?? Date.now();
  const annotation: Annotation = annotationSchema.parse({
    ...parsed,
    id: opts.id ?? newId(),
    authorId,
    status: 'open',
    statusChangedBy: null,
    statusChangedAt: null,
    createdAt: now,
    updatedAt: now,
  });
  doc.transact(() => {
    if (!metaOf(doc).has(SCHEMA_VERSION_KEY)) metaOf(doc).set(SCHEMA_VERSION_KEY, DEBRIEF_SCHEMA_VERSION);
    const map = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(flattenAnnotation(annotation))) map.set(key, value);
    annotationsOf(doc).set(annotation.id, map);
  }, opts.origin ?? CLIENT_ORIGIN);
  return annotation;
}

export function updateAnnotation(doc: Y.Doc, id: string, patch: AnnotationPatch, opts: { now?: number } = {}): void {
  const parsed = annotationPatchSchema.parse(patch);
  const map = requireAnnotationMap(doc, id);
  const category = parsed.category ?? map.get('category');
  if (category !== 'pressure') Object.assign(parsed, { pressure: null, verdict: null, wanted: null });
  doc.transact(() => {
    for (const [key, value] of Object.entries(parsed)) map.set(key, value);
    map.set('updatedAt', opts.now ?? Date.now());
  }, CLIENT_ORIGIN);
}

export function moveAnnotation(doc: Y.Doc, id: string, position: MarkPosition, opts: { now?: number } = {}): void {
  const p = markPositionSchema.parse(position);
  const map = requireAnnotationMap(doc, id);
  doc.transact(() => {
    map.set('view', p.view);
    map.set('x', p.x);
    map.set('y', p.y);
    map.set('regionId', p.regionId);
    map.set('updatedAt', opts.now ?? Date.now());
  }, CLIENT_ORIGIN);
}

export type DeleteBlocker = 'not-author' | 'others-in-thread';

/**
 * Why `userId` may not delete a mark, or null. Only its author deletes it, and only while the
 * thread holds nobody else's words or reactions: deleting takes the thread along, and undoing
 * the delete would re-create entries the server only accepts from their own author.
 */
export function deleteBlocker(
  annotation: Annotation,
  thread: readonly ThreadEntry[],
  userId: string,
): DeleteBlocker | null {
  if (annotation.authorId !== userId) return 'not-author';
  const othersWrote = thread.some(
    (t) => t.authorId !== userId || Object.values(t.reactions).some((users) => users.some((u) => u !== userId)),
  );
  return othersWrote ? 'others-in-thread' : null;
}

/** Removes the mark and its thread together, so no orphan replies remain. */
export function deleteAnnotation(doc: Y.Doc, id: string, userId: string): void {
  const annotation = readAnnotation(doc, id);
  if (!annotation) throw new DebriefDocError(`annotation ${id} does not exist`);
  const blocker = deleteBlocker(annotation, readThread(doc, id), userId);
  if (blocker === 'not-author')
    throw new DebriefDocError('only the author of a mark can delete it; resolve it instead');
  if (blocker) throw new DebriefDocError('your partner has written in this thread; resolve the mark instead');
  const thread = threadOf(doc);
  doc.transact(() => {
    annotationsOf(doc).delete(id);
    for (const [entryId, entry] of thread.entries()) if (entry.get('annotationId') === id) thread.delete(entryId);
  }, CLIENT_ORIGIN);
}

export function setAnnotationStatus(
  doc: Y.Doc,
  id: string,
  status: AnnotationStatus,
  userId: string,
  opts: { now?: number; origin?: unknown } = {},
): void {
  const map = requireAnnotationMap(doc, id);
  if (map.get('status') === status) return;
  const now = opts.now ?? Date.now();
  doc.transact(() => {
    map.set('status', status);
    map.set('statusChangedBy', userId);
    map.set('statusChangedAt', now);
    map.set('updatedAt', now);
    insertThreadEntry(doc, {
      id: newId(),
      annotationId: id,
      authorId: userId,
      kind: status === 'resolved' ? 'resolved' : 'reopened',
      text: '',
      mentions: [],
      createdAt: now,
      editedAt: null,
      deleted: false,
    });
  }, opts.origin ?? CLIENT_ORIGIN);
}

export function readAnnotations(doc: Y.Doc, onInvalid: InvalidValueHandler = warnInvalid): Annotation[] {
  const out: Annotation[] = [];
  for (const [id, map] of annotationsOf(doc).entries()) {
    const annotation = parseAnnotationMap(id, map, onInvalid);
    if (annotation) out.push(annotation);
  }
  return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export function readAnnotation(
  doc: Y.Doc,
  id: string,
  onInvalid: InvalidValueHandler = warnInvalid,
): Annotation | null {
  const map = annotationsOf(doc).get(id);
  return map ? parseAnnotationMap(id, map, onInvalid) : null;
}

function parseAnnotationMap(id: string, map: unknown, onInvalid: InvalidValueHandler): Annotation | null {
  if (!(map instanceof Y.Map)) return null;
  const result = parseMarkFields(map.toJSON() as Record<string, unknown>);
  if (!result.success) {
    onInvalid('annotation', id, result.error);
    return null;
  }
  return result.data;
}

// built once: zod compiles a schema on first use, per schema object
const strictMarkSchema = annotationSchema.strict();
const strictThreadEntrySchema = threadEntrySchema.strict();

/**
 * A mark from its stored fields; fields the shape does not have make it invalid. The position is
 * stored as its parts: a stored `position` field is one the shape does not have.
 */
export function parseMarkFields(fields: Record<string, unknown>): z.ZodSafeParseResult<Annotation> {
  const { view, x, y, regionId, position: storedPosition, ...rest } = fields;
  const extra = Object.hasOwn(fields, 'position') ? { storedPosition } : {};
  return strictMarkSchema.safeParse({ ...rest, ...extra, position: { view, x, y, regionId } });
}

/** The schema of each field a mark is stored with: the position's parts sit beside the others. */
const markFieldSchemas = new Map<string, z.ZodType>([
  ...Object.entries(annotationSchema.shape).filter(([key]) => key !== 'position'),
  ...Object.entries(markPositionSchema.shape),
]);

/**
 * One stored field of a mark, on its own; null when a mark has no such field. Sound only while no
 * rule of the stored mark's schema spans fields (a unit test holds that).
 */
export function parseStoredMarkField(key: string, value: unknown): z.ZodSafeParseResult<unknown> | null {
  return markFieldSchemas.get(key)?.safeParse(value) ?? null;
}

function flattenAnnotation(a: Annotation): Record<string, unknown> {
  const { position, ...rest } = a;
  return { ...rest, ...position };
}

function requireAnnotationMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const map = annotationsOf(doc).get(id);
  if (!(map instanceof Y.Map)) throw new DebriefDocError(`annotation ${id} does not exist`);
  return map;
}

// ---------- threads ----------

type StoredThreadEntry = Omit<ThreadEntry, 'reactions'>;

function insertThreadEntry(doc: Y.Doc, entry: StoredThreadEntry): void {
  const map = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(entry)) map.set(key, value);
  map.set('reactions', new Y.Map<boolean>());
  threadOf(doc).set(entry.id, map);
}

export function addReply(
  doc: Y.Doc,
  annotationId: string,
  authorId: string,
  input: ReplyInput,
  opts: { now?: number; id?: string } = {},
): ThreadEntry {
  requireAnnotationMap(doc, annotationId);
  const parsed = replyInputSchema.parse(input);
  const entry: StoredThreadEntry = {
    id: opts.id ?? newId(),
    annotationId,
    authorId,
    kind: 'reply',
    text: parsed.text,
    mentions: parsed.mentions,
    createdAt: opts.now ?? Date.now(),
    editedAt: null,
    deleted: false,
  };
  doc.transact(() => insertThreadEntry(doc, entry), CLIENT_ORIGIN);
  return { ...entry, reactions: {} };
}

export function editReply(
  doc: Y.Doc,
  entryId: string,
  userId: string,
  text: string,
  opts: { now?: number } = {},
): void {
  const parsed = replyInputSchema.shape.text.parse(text);
  const map = requireOwnReply(doc, entryId, userId);
  doc.transact(() => {
    map.set('text', parsed);
    map.set('editedAt', opts.now ?? Date.now());
  }, CLIENT_ORIGIN);
}

/** Keeps a tombstone ("reply deleted") so the conversation around it still reads. */
export function deleteReply(doc: Y.Doc, entryId: string, userId: string, opts: { now?: number } = {}): void {
  const map = requireOwnReply(doc, entryId, userId);
  doc.transact(() => {
    map.set('text', '');
    map.set('mentions', []);
    map.set('deleted', true);
    map.set('editedAt', opts.now ?? Date.now());
  }, CLIENT_ORIGIN);
}

export function toggleReaction(doc: Y.Doc, entryId: string, userId: string, emoji: (typeof REACTIONS)[number]): void {
  if (!REACTIONS.includes(emoji)) throw new DebriefDocError('unknown reaction');
  const reactions = threadOf(doc).get(entryId)?.get('reactions');
  if (!(reactions instanceof Y.Map)) throw new DebriefDocError(`thread entry ${entryId} does not exist`);
  const key = reactionKey(emoji, userId);
  doc.transact(() => (reactions.has(key) ? reactions.delete(key) : reactions.set(key, true)), CLIENT_ORIGIN);
}

function requireOwnReply(doc: Y.Doc, entryId: string, userId: string): Y.Map<unknown> {
  const map = threadOf(doc).get(entryId);
  if (!(map instanceof Y.Map) || map.get('kind') !== 'reply') {
    throw new DebriefDocError(`reply ${entryId} does not exist`);
  }
  if (map.get('authorId') !== userId) throw new DebriefDocError('only the author can change a reply');
  return map;
}

/** Every thread entry of the debrief, oldest first; pass annotationId for one thread. */
export function readThread(
  doc: Y.Doc,
  annotationId?: string,
  onInvalid: InvalidValueHandler = warnInvalid,
): ThreadEntry[] {
  const out: ThreadEntry[] = [];
  for (const [id, map] of threadOf(doc).entries()) {
    if (!(map instanceof Y.Map)) continue;
    if (annotationId !== undefined && map.get('annotationId') !== annotationId) continue;
    const result = parseThreadEntryFields(map.toJSON() as Record<string, unknown>);
    if (result.success) out.push(result.data);
    else onInvalid('thread entry', id, result.error);
  }
  return out.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

/** A thread entry from its stored fields (reactions as stored: "emoji|userId" keys). */
export function parseThreadEntryFields(fields: Record<string, unknown>): z.ZodSafeParseResult<ThreadEntry> {
  return strictThreadEntrySchema.safeParse({ ...fields, reactions: groupReactions(fields.reactions) });
}

/** A reaction's key in an entry's `reactions` map, and back. */
const reactionKey = (emoji: string, userId: string) => `${emoji}|${userId}`;
export function parseReactionKey(key: string): { emoji: string; userId: string } | null {
  const [emoji, userId, ...rest] = key.split('|');
  return emoji && userId && rest.length === 0 ? { emoji, userId } : null;
}

function groupReactions(raw: unknown): Record<string, string[]> {
  const grouped: Record<string, string[]> = {};
  if (!raw || typeof raw !== 'object') return grouped;
  for (const key of Object.keys(raw)) {
    const reaction = parseReactionKey(key);
    if (reaction) (grouped[reaction.emoji] ??= []).push(reaction.userId);
  }
  return grouped;
}

// ---------- observing and undo ----------

/** Calls back after every change to marks or threads, local or remote. */
export function observeDebrief(doc: Y.Doc, onChange: (origin: unknown) => void): () => void {
  const handler = (_events: unknown, tx: Y.Transaction) => onChange(tx.origin);
  const roots = [annotationsOf(doc), threadOf(doc)];
  for (const root of roots) root.observeDeep(handler);
  return () => {
    for (const root of roots) root.unobserveDeep(handler);
  };
}

/** Undo/redo of the local person's own edits only; a partner's edits are never undone. */
export function createDebriefUndoManager(doc: Y.Doc): Y.UndoManager {
  return new Y.UndoManager([annotationsOf(doc), threadOf(doc)], {
    trackedOrigins: new Set([CLIENT_ORIGIN]),
    captureTimeout: 400,
  });
}
