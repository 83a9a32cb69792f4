import * as Y from 'yjs';
import { REACTIONS } from '../schemas/annotation.ts';
import { objectIdTime } from '../schemas/common.ts';
import {
  DEBRIEF_ROOTS,
  DEBRIEF_SCHEMA_VERSION,
  SCHEMA_VERSION_KEY,
  annotationsOf,
  deleteBlocker,
  parseStoredMarkField,
  parseMarkFields,
  parseReactionKey,
  parseThreadEntryFields,
  readThread,
  threadOf,
} from './debrief-doc.ts';
import { entriesOfDeleted, hasMoreEntriesThan, keyWriters, writersOf, type DocChange } from './doc-changes.ts';
import type { DocKind, JudgeContext } from './doc-guard.ts';

/**
 * What a change to a debrief may do, judged on its effects (see doc-guard.ts). The rules:
 * 1. Only the roots `annotations`, `thread` and `meta` exist (plus the server's `devices`).
 * 2. `meta` holds `schemaVersion` = DEBRIEF_SCHEMA_VERSION and nothing else; it is never removed.
 * 3. Every mark and thread entry validates against its schema, with no extra fields, after
 *    every change; its key equals its `id`.
 * 4. Identity never changes and names the writer: a new mark's or entry's `authorId` is the
 *    person whose device wrote it; `id`, `authorId`, `round`, `annotationId`, `kind` and
 *    `createdAt` are written once; `statusChangedBy` is the writer; fields are never removed.
 * 5. Either partner edits a mark's content and status (they debrief the same mark); only an
 *    entry's author edits its text, mentions or deletion.
 * 6. Only a mark's author removes it, and only while nobody else wrote or reacted in its thread;
 *    only an entry's author removes it (with its mark). Overwriting a key counts as removing.
 * 7. Reactions are one's own: `emoji|userId` with a known emoji, the value `true`.
 * 8. A new entry belongs to an existing mark. Times are not in the future, nor before what they
 *    follow (see markTimeBeforeItsCause); a mark's `status`, `statusChangedBy` and
 *    `statusChangedAt` change together.
 * 9. At most MAX_MARKS_PER_DEBRIEF marks and MAX_THREAD_ENTRIES_PER_DEBRIEF entries; the encoded
 *    document stays under MAX_DEBRIEF_BYTES.
 */
export const MAX_MARKS_PER_DEBRIEF = 300;
export const MAX_THREAD_ENTRIES_PER_DEBRIEF = 3_000;
export const MAX_DEBRIEF_BYTES = 4 * 1024 * 1024;

/**
 * Whether the thread holds as many entries as rule 9 allows. The server's own edits skip the judge,
 * so one that adds an entry asks first: past the cap every later change, by anyone, would be refused.
 */
export function threadIsFull(doc: Y.Doc): boolean {
  return hasMoreEntriesThan(threadOf(doc), MAX_THREAD_ENTRIES_PER_DEBRIEF - 1);
}

/**
 * How far a device's clock may be off, from the server's or the partner's device's (a tablet set
 * a bit off). A change a rule refuses is refused on every reconnect, so an honest device whose
 * clock is off by more loses everything it writes in the debrief: the allowance stays generous.
 */
const CLOCK_SKEW_MS = 60 * 60_000;

/** Written together (see statusApart). */
const STATUS_FIELDS = ['status', 'statusChangedBy', 'statusChangedAt'] as const;

const MARK_WRITE_ONCE = new Set(['id', 'authorId', 'round', 'createdAt']);
const ENTRY_WRITE_ONCE = new Set(['id', 'annotationId', 'authorId', 'kind', 'createdAt', 'reactions']);
const ENTRY_AUTHOR_ONLY = new Set(['text', 'mentions', 'deleted', 'editedAt']);
const TIME_FIELDS = new Set(['createdAt', 'updatedAt', 'statusChangedAt', 'editedAt']);

type KeyChange = Extract<DocChange, { kind: 'key' }>;

export const debriefKind: DocKind = {
  name: 'debrief',
  roots: DEBRIEF_ROOTS,
  maxBytes: MAX_DEBRIEF_BYTES,
  judge: judgeDebriefChanges,
};

const WHOLE = 'whole';
/** Per mark or entry a change touched: WHOLE (added or replaced), or the fields it wrote. */
type Touched = Map<string, typeof WHOLE | Set<string>>;

function judgeDebriefChanges(doc: Y.Doc, changes: readonly DocChange[], ctx: JudgeContext): string | null {
  const touchedMarks: Touched = new Map();
  const touchedEntries: Touched = new Map();
  for (const change of changes) {
    if (change.kind !== 'key') return 'content outside the debrief shape';
    const reason = judgeKeyChange(doc, change, ctx, touchedMarks, touchedEntries);
    if (reason) return reason;
  }
  for (const [id, touched] of touchedMarks) {
    const map = annotationsOf(doc).get(id);
    if (!(map instanceof Y.Map)) continue;
    // The fields a change did not write were judged when they were written (and `id`, the key,
    // never changes): an edit, the most frequent change by far, is judged on its own fields
    // rather than by parsing the whole mark again
    const reason = touched === WHOLE ? invalidMark(id, map) : (invalidMarkFields(map, touched) ?? statusApart(touched));
    if (reason) return reason;
    const timeReason = markTimeBeforeItsCause(doc, map, touched);
    if (timeReason) return timeReason;
  }
  for (const [id, touched] of touchedEntries) {
    const map = threadOf(doc).get(id);
    if (!(map instanceof Y.Map)) continue;
    const reason = invalidEntry(doc, id, map) ?? entryTimeBeforeItsCause(doc, map, touched);
    if (reason) return reason;
  }
  if (hasMoreEntriesThan(annotationsOf(doc), MAX_MARKS_PER_DEBRIEF)) {
    return `a debrief holds at most ${MAX_MARKS_PER_DEBRIEF} marks`;
  }
  if (hasMoreEntriesThan(threadOf(doc), MAX_THREAD_ENTRIES_PER_DEBRIEF)) {
    return `a debrief holds at most ${MAX_THREAD_ENTRIES_PER_DEBRIEF} thread entries`;
  }
  return null;
}

function judgeKeyChange(
  doc: Y.Doc,
  change: KeyChange,
  ctx: JudgeContext,
  touchedMarks: Touched,
  touchedEntries: Touched,
): string | null {
  const [root, id, nested, ...deeper] = change.path;
  if (deeper.length > 0) return 'content outside the debrief shape';
  if (root === 'meta' && id === undefined) return judgeMeta(change);
  if (root === 'annotations' && id === undefined) {
    touchedMarks.set(change.key, WHOLE);
    return judgeWholeMark(doc, change, ctx);
  }
  if (root === 'annotations' && nested === undefined && id !== undefined) {
    touchField(touchedMarks, id, change.key);
    return judgeMarkField(change, ctx);
  }
  if (root === 'thread' && id === undefined) {
    touchedEntries.set(change.key, WHOLE);
    return judgeWholeEntry(change, ctx);
  }
  if (root === 'thread' && nested === undefined && id !== undefined) {
    touchField(touchedEntries, id, change.key);
    return judgeEntryField(doc, id, change, ctx);
  }
  if (root === 'thread' && nested === 'reactions' && id !== undefined) return judgeReaction(change, ctx);
  return 'content outside the debrief shape';
}

function touchField(touched: Touched, id: string, key: string): void {
  const fields = touched.get(id);
  if (fields !== WHOLE) touched.set(id, (fields ?? new Set()).add(key));
}

function judgeMeta(change: KeyChange): string | null {
  if (change.key !== SCHEMA_VERSION_KEY) return `meta has no "${change.key}"`;
  if (change.action === 'delete') return 'the schema version is never removed';
  return change.newValue === DEBRIEF_SCHEMA_VERSION ? null : 'wrong schema version';
}

function judgeWholeMark(doc: Y.Doc, change: KeyChange, ctx: JudgeContext): string | null {
  if (change.action !== 'add') {
    const remover = removerOf(change, ctx);
    const old = change.oldValue instanceof Y.Map ? entriesOfDeleted(change.oldValue as Y.Map<unknown>) : {};
    const parsed = parseMarkFields(old);
    if (!remover || !parsed.success) {
      if (!remover || old.authorId !== remover) return 'only the author of a mark can delete it';
    } else {
      const blocker = deleteBlocker(
        parsed.data,
        readThread(doc, change.key, () => {}),
        remover,
      );
      if (blocker === 'not-author') return 'only the author of a mark can delete it';
      if (blocker) return 'the partner has written in this thread; the mark can only be resolved';
    }
  }
  if (change.action === 'delete') return null;
  if (!(change.newValue instanceof Y.Map)) return 'a mark must be a map';
  const map = change.newValue as Y.Map<unknown>;
  const author = writerOf(change, ctx);
  if (!author) return 'a mark must be written from one known device';
  const mark = map.toJSON() as Record<string, unknown>;
  if (mark.authorId !== author) return 'authorId must be the sender';
  // A mark arrives with the partner's edits of its fields when the server lost it in a crash:
  // the partner's edits, held for it, integrate with it (see DocGuard.ownPart). Each field is
  // judged as its writer's, as rule 5 would judge the edit.
  for (const [key, client] of keyWriters(map)) {
    const writer = ctx.ownerOf(client);
    if (!writer || (writer !== author && MARK_WRITE_ONCE.has(key)))
      return 'a mark must be written from one known device';
    if (key === 'statusChangedBy' && mark.statusChangedBy !== null && mark.statusChangedBy !== writer) {
      return 'statusChangedBy must be the sender';
    }
  }
  return futureTime(mark, ctx);
}

function judgeMarkField(change: KeyChange, ctx: JudgeContext): string | null {
  if (change.action === 'delete') return 'fields of a mark are never removed';
  if (MARK_WRITE_ONCE.has(change.key) && change.action === 'update' && change.newValue !== change.oldValue) {
    return `a mark's ${change.key} cannot change`;
  }
  const writer = writerOf(change, ctx);
  if (!writer) return 'change from an unknown device';
  if (change.key === 'authorId' && change.newValue !== writer) return 'authorId must be the sender';
  if (change.key === 'statusChangedBy' && change.newValue !== null && change.newValue !== writer) {
    return 'statusChangedBy must be the sender';
  }
  return futureTime({ [change.key]: change.newValue }, ctx);
}

function judgeWholeEntry(change: KeyChange, ctx: JudgeContext): string | null {
  if (change.action !== 'add') {
    const remover = removerOf(change, ctx);
    const old = change.oldValue instanceof Y.Map ? entriesOfDeleted(change.oldValue as Y.Map<unknown>) : {};
    if (!remover || old.authorId !== remover) return 'only its author can remove a thread entry';
    const reactions = old.reactions instanceof Y.Map ? entriesOfDeleted(old.reactions as Y.Map<unknown>) : {};
    if (Object.keys(reactions).some((key) => parseReactionKey(key)?.userId !== remover)) {
      return 'the partner has reacted in this thread; the mark can only be resolved';
    }
  }
  if (change.action === 'delete') return null;
  if (!(change.newValue instanceof Y.Map)) return 'a thread entry must be a map';
  const map = change.newValue as Y.Map<unknown>;
  const author = singleWriter(change, map, ctx);
  if (!author) return 'a thread entry must be written from one known device';
  const entry = map.toJSON() as Record<string, unknown>;
  if (entry.authorId !== author) return 'authorId must be the sender';
  const reactions = map.get('reactions');
  if (!(reactions instanceof Y.Map)) return 'a thread entry needs its reactions map';
  for (const key of (reactions as Y.Map<unknown>).keys()) {
    if (parseReactionKey(key)?.userId !== author) return 'reactions are your own';
  }
  return futureTime(entry, ctx);
}

function judgeEntryField(doc: Y.Doc, id: string, change: KeyChange, ctx: JudgeContext): string | null {
  if (change.action === 'delete') return 'fields of a thread entry are never removed';
  if (ENTRY_WRITE_ONCE.has(change.key) && change.action === 'update' && change.newValue !== change.oldValue) {
    return `a thread entry's ${change.key} cannot change`;
  }
  const writer = writerOf(change, ctx);
  if (!writer) return 'change from an unknown device';
  const entryAuthor = threadOf(doc).get(id)?.get('authorId');
  if (ENTRY_AUTHOR_ONLY.has(change.key) && writer !== entryAuthor) return "only a reply's author can change it";
  if (change.key === 'authorId' && change.newValue !== writer) return 'authorId must be the sender';
  return futureTime({ [change.key]: change.newValue }, ctx);
}

function judgeReaction(change: KeyChange, ctx: JudgeContext): string | null {
  const reaction = parseReactionKey(change.key);
  if (!reaction || !(REACTIONS as readonly string[]).includes(reaction.emoji)) return 'unknown reaction';
  const actor = change.action === 'delete' ? removerOf(change, ctx) : writerOf(change, ctx);
  if (reaction.userId !== actor) return 'reactions are your own';
  return change.action === 'delete' || change.newValue === true ? null : 'a reaction is stored as true';
}

/**
 * A status change is its new value, who made it and when, written together (as
 * setAnnotationStatus and undoing it do): a partner cannot restamp when the other resolved a mark,
 * or change it without the record of who did. The three keys share one history of writes, so two
 * devices' concurrent changes win or lose on all three alike.
 */
function statusApart(fields: ReadonlySet<string>): string | null {
  const written = STATUS_FIELDS.filter((key) => fields.has(key)).length;
  return written === 0 || written === STATUS_FIELDS.length
    ? null
    : "a mark's status, who changed it and when change together";
}

/**
 * Times a change writes, against what they follow. A device stamps what it writes with its own
 * clock, and may write offline (the app keeps a copy on the device) and send it hours later: a
 * time far behind the server's clock is honest, and so is one earlier than entries that reached
 * the server first. What no honest device writes is a time before what it follows, since it
 * could only write it after seeing that:
 * - a mark or entry is not made before the debrief's exchange existed (the server's clock);
 * - an entry is not made before its mark (the mark's author's clock, so the allowance applies);
 * - a mark is not edited or its status changed before it was made, a reply not edited before it
 *   was written.
 * So backdating to 1970, or before the words it answers, is refused; within these bounds a time
 * cannot be told from an offline one, and is kept.
 */
function markTimeBeforeItsCause(doc: Y.Doc, map: Y.Map<unknown>, touched: typeof WHOLE | Set<string>): string | null {
  const createdAt = map.get('createdAt') as number;
  if (touched === WHOLE) {
    const reason = beforeExchange(doc, createdAt);
    if (reason) return reason;
  }
  for (const key of ['updatedAt', 'statusChangedAt']) {
    if ((touched === WHOLE || touched.has(key)) && isBefore(map.get(key), createdAt)) {
      return `a mark's ${key} is before it was made`;
    }
  }
  return null;
}

/** See markTimeBeforeItsCause. */
function entryTimeBeforeItsCause(doc: Y.Doc, map: Y.Map<unknown>, touched: typeof WHOLE | Set<string>): string | null {
  const createdAt = map.get('createdAt') as number;
  if (touched === WHOLE) {
    const mark = annotationsOf(doc).get(map.get('annotationId') as string);
    if (isBefore(createdAt, mark?.get('createdAt'))) return 'a thread entry is dated before its mark';
    const reason = beforeExchange(doc, createdAt);
    if (reason) return reason;
  }
  const edited = touched === WHOLE || touched.has('editedAt');
  return edited && isBefore(map.get('editedAt'), createdAt) ? 'a reply is edited before it was written' : null;
}

/** Whether `time` is earlier than `than` by more than the clocks' allowance (false if either is not a time). */
function isBefore(time: unknown, than: unknown): boolean {
  return typeof time === 'number' && typeof than === 'number' && time < than - CLOCK_SKEW_MS;
}

function beforeExchange(doc: Y.Doc, createdAt: number): string | null {
  // the hub names a debrief's document by its exchange's id (see DocRoom.doc): a MongoDB
  // ObjectId, which holds the second the server created it
  const exchangeCreatedAt = objectIdTime(doc.guid);
  return isBefore(createdAt, exchangeCreatedAt) ? 'dated before the exchange was created' : null;
}

function invalidMark(id: string, map: Y.Map<unknown>): string | null {
  // the values as stored, not toJSON's: an embedded type is not a plain value, and a
  // `__proto__` key stays a key (toJSON would make it the object's prototype)
  const parsed = parseMarkFields(Object.fromEntries(map.entries()));
  if (!parsed.success) return `invalid mark: ${describeIssue(parsed.error)}`;
  return parsed.data.id === id ? null : "a mark's key must equal its id";
}

function invalidMarkFields(map: Y.Map<unknown>, keys: ReadonlySet<string>): string | null {
  for (const key of keys) {
    const parsed = parseStoredMarkField(key, map.get(key));
    if (!parsed) return `invalid mark: a mark has no field "${key}"`;
    if (!parsed.success) return `invalid mark: ${describeIssue(parsed.error, [key])}`;
  }
  return null;
}

function invalidEntry(doc: Y.Doc, id: string, map: Y.Map<unknown>): string | null {
  const reactions = map.get('reactions');
  if (!(reactions instanceof Y.Map)) return 'a thread entry needs its reactions map';
  // the values as stored (see invalidMark), with the reactions map read as its keys
  const parsed = parseThreadEntryFields({ ...Object.fromEntries(map.entries()), reactions: reactions.toJSON() });
  if (!parsed.success) return `invalid thread entry: ${describeIssue(parsed.error)}`;
  if (parsed.data.id !== id) return "a thread entry's key must equal its id";
  return annotationsOf(doc).has(parsed.data.annotationId) ? null : 'a thread entry must belong to an existing mark';
}

function writerOf(change: KeyChange, ctx: JudgeContext): string | undefined {
  return change.writerClient === null ? undefined : ctx.ownerOf(change.writerClient);
}

/** Who removed or replaced a value: the writer of the item written over it, else the sender. */
function removerOf(change: KeyChange, ctx: JudgeContext): string | undefined {
  return change.writerClient === null ? ctx.sender : ctx.ownerOf(change.writerClient);
}

/** The one person who wrote a new map and everything in it, or undefined. */
function singleWriter(change: KeyChange, map: Y.Map<unknown>, ctx: JudgeContext): string | undefined {
  const clients = [change.writerClient ?? -1, ...writersOf(map)];
  const owners = new Set(clients.map((client) => ctx.ownerOf(client)));
  const [owner] = owners;
  return owners.size === 1 ? owner : undefined;
}

function futureTime(fields: Record<string, unknown>, ctx: JudgeContext): string | null {
  for (const key of TIME_FIELDS) {
    const value = fields[key];
    if (typeof value === 'number' && value > ctx.now + CLOCK_SKEW_MS) return `${key} is in the future`;
  }
  return null;
}

/** `under`: where the parsed value sits, for an issue's path. */
function describeIssue(
  error: { issues: readonly { path: PropertyKey[]; message: string }[] },
  under: readonly string[] = [],
): string {
  const issue = error.issues[0];
  return issue ? `${[...under, ...issue.path].map(String).join('.') || 'value'}: ${issue.message}` : 'invalid';
}
