import * as Y from 'yjs';
import { z } from 'zod';
import {
  NOTE_FIELD_DEFAULTS,
  NOTE_FIELD_SCHEMAS,
  noteKindSchema,
  type NoteFields,
  type NoteKind,
} from '../schemas/note.ts';
import { CLIENT_ORIGIN } from './origins.ts';

/**
 * The only code that knows the Yjs shape of a technique note. Everything else calls these functions.
 *
 * Document name on the collab endpoint: `note:<noteId>` (noteDocName); a debrief's is its
 * exchange id, so the prefix tells the hub which kind a document is.
 *
 * Shape (schema version 1):
 *   meta:   Y.Map  { schemaVersion: 1, kind: 'technique'|'situation'|'lesson' }  written by the
 *                  server when the note is created; clients never write here
 *   fields: Y.Map<key, JSON value>  one key per field of the kind (schemas/note.ts: title, tags,
 *                  regions, then the kind's own), so concurrent edits of different fields both
 *                  survive; a missing key reads as its default
 *   body:   Y.XmlFragment  the rich text, as y-prosemirror (Tiptap's Collaboration extension)
 *                  writes it: pass `fragment: noteBody(doc)` (or `field: NOTE_BODY_FIELD`).
 *                  Only the nodes and marks of NOTE_BODY_NODES / NOTE_BODY_MARKS, with their
 *                  attributes, are accepted by the server (note-rules.ts); links only http(s)/mailto.
 */
export const NOTE_SCHEMA_VERSION = 1;
export const NOTE_DOC_PREFIX = 'note:';
export const NOTE_BODY_FIELD = 'body';
/** The map roots of a note; `body` is its one XmlFragment root. */
export const NOTE_ROOTS = ['meta', 'fields'] as const;
export const NOTE_FRAGMENTS = [NOTE_BODY_FIELD] as const;
const [META, FIELDS] = NOTE_ROOTS;
export const SCHEMA_VERSION_KEY = 'schemaVersion';
export const KIND_KEY = 'kind';

const NOTE_ID = /^[a-f0-9]{24}$/;

export function noteDocName(noteId: string): string {
  return NOTE_DOC_PREFIX + noteId;
}

/** The note id behind a document name, or null when the name is not a note's. */
export function noteIdFromDocName(docName: string): string | null {
  if (!docName.startsWith(NOTE_DOC_PREFIX)) return null;
  const id = docName.slice(NOTE_DOC_PREFIX.length);
  return NOTE_ID.test(id) ? id : null;
}

// metaOf/fieldsOf are exported for note-rules.ts (the same shape's rules); everyone else calls
// the functions below.
export const metaOf = (doc: Y.Doc) => doc.getMap<unknown>(META);
export const fieldsOf = (doc: Y.Doc) => doc.getMap<unknown>(FIELDS);
/** The rich-text body, for the editor binding (Tiptap Collaboration `fragment`). */
export const noteBody = (doc: Y.Doc) => doc.getXmlFragment(NOTE_BODY_FIELD);

// ---------- the editor schema the server accepts ----------

type AttrRule = (value: unknown) => boolean;
const anyOf =
  (...values: unknown[]): AttrRule =>
  (v) =>
    values.includes(v);
const shortString =
  (max: number): AttrRule =>
  (v) =>
    v === null || (typeof v === 'string' && v.length <= max);
const intBetween =
  (min: number, max: number): AttrRule =>
  (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Link targets a reader's click may open: web pages and e-mail, nothing that runs code. */
export function isSafeHref(href: unknown): boolean {
  if (typeof href !== 'string' || href.length > 2_000) return false;
  // no leading spaces or control characters: browsers skip them and read what follows as the scheme
  return /^(https?:\/\/|mailto:)/i.test(href) && ![...href].some((c) => c.charCodeAt(0) < 0x20);
}

/**
 * Nodes (Tiptap names) and the attributes y-prosemirror stores on them (null attributes are not
 * stored). The client's editor must use exactly these; the server refuses any other node.
 */
export const NOTE_BODY_NODES: Readonly<Record<string, Readonly<Record<string, AttrRule>>>> = {
  paragraph: {},
  heading: { level: intBetween(1, 4) },
  bulletList: {},
  orderedList: { start: intBetween(0, 10_000), type: shortString(8) },
  listItem: {},
  taskList: {},
  taskItem: { checked: anyOf(true, false) },
  blockquote: {},
  codeBlock: { language: shortString(40) },
  horizontalRule: {},
  hardBreak: {},
};

/** Marks and their attributes, stored by y-prosemirror as the text's formatting attributes. */
export const NOTE_BODY_MARKS: Readonly<Record<string, Readonly<Record<string, AttrRule>>>> = {
  bold: {},
  italic: {},
  strike: {},
  underline: {},
  code: {},
  link: {
    href: isSafeHref,
    target: anyOf(null, '_blank', '_self'),
    rel: shortString(100),
    class: anyOf(null),
    title: shortString(200),
  },
};

/** Deepest nesting of elements (lists in lists in quotes...). */
export const MAX_NOTE_BODY_DEPTH = 16;

// ---------- creating and reading ----------

export class NoteDocError extends Error {}

/**
 * Writes a new note's kind and first fields (server side, inside its own transaction). The body
 * may start with a quote (e.g. the text of the mark the note is about).
 */
export function initNoteDoc(doc: Y.Doc, kind: NoteKind, fields: Partial<NoteFieldValues>, quote?: string): void {
  const meta = metaOf(doc);
  meta.set(SCHEMA_VERSION_KEY, NOTE_SCHEMA_VERSION);
  meta.set(KIND_KEY, kind);
  const shape = NOTE_FIELD_SCHEMAS[kind].partial();
  const parsed = shape.parse(fields) as Record<string, unknown>;
  for (const [key, value] of Object.entries(parsed)) if (value !== undefined) fieldsOf(doc).set(key, value);
  if (quote) {
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText(quote)]);
    const blockquote = new Y.XmlElement('blockquote');
    blockquote.insert(0, [paragraph]);
    noteBody(doc).insert(0, [blockquote, new Y.XmlElement('paragraph')]);
  }
}

/** Union of every kind's field values, keyed by field name. */
export type NoteFieldValues = {
  [K in NoteKind]: z.infer<(typeof NOTE_FIELD_SCHEMAS)[K]>;
}[NoteKind];

/** The note's kind, or null before the server created it. */
export function readNoteKind(doc: Y.Doc): NoteKind | null {
  const parsed = noteKindSchema.safeParse(metaOf(doc).get(KIND_KEY));
  return parsed.success ? parsed.data : null;
}

/** Every field of the note's kind; invalid or missing values read as their defaults. */
export function readNoteFields(doc: Y.Doc): NoteFields | null {
  const kind = readNoteKind(doc);
  if (!kind) return null;
  const defaults: Record<string, unknown> = NOTE_FIELD_DEFAULTS[kind];
  const schema = NOTE_FIELD_SCHEMAS[kind].shape as Record<string, z.ZodType>;
  const out: Record<string, unknown> = { kind };
  for (const [key, fallback] of Object.entries(defaults)) {
    const parsed = schema[key]!.safeParse(fieldsOf(doc).get(key));
    out[key] = parsed.success ? parsed.data : fallback;
  }
  return out as NoteFields;
}

/** Sets one field, validated against the note's kind (throws NoteDocError with the reason). */
export function setNoteField(doc: Y.Doc, key: string, value: unknown, origin: unknown = CLIENT_ORIGIN): void {
  const kind = readNoteKind(doc);
  if (!kind) throw new NoteDocError('this note is not loaded yet');
  const reason = invalidNoteField(kind, key, value);
  if (reason) throw new NoteDocError(reason);
  doc.transact(() => fieldsOf(doc).set(key, value), origin);
}

/** Why `value` cannot be the `key` field of a note of `kind`, or null when it can. */
export function invalidNoteField(kind: NoteKind, key: string, value: unknown): string | null {
  const schema = (NOTE_FIELD_SCHEMAS[kind].shape as Record<string, z.ZodType | undefined>)[key];
  if (!schema) return `a ${kind} note has no field "${key}"`;
  const parsed = schema.safeParse(value);
  if (!parsed.success) return `${key}: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
  // stored exactly as validated: a value the schema would trim or lower-case is refused
  return JSON.stringify(parsed.data) === JSON.stringify(value) ? null : `${key}: not in its normal form`;
}

/** Calls back after every change to the note (fields or body), local or remote. */
export function observeNote(doc: Y.Doc, onChange: (origin: unknown) => void): () => void {
  const handler = (_events: unknown, tx: Y.Transaction) => onChange(tx.origin);
  const roots = [fieldsOf(doc), noteBody(doc)] as const;
  for (const root of roots) root.observeDeep(handler);
  return () => {
    for (const root of roots) root.unobserveDeep(handler);
  };
}

/**
 * Makes the live note read like `version` (restoring a version): a new change on top of the
 * live document's history, so everyone connected sees it and nothing stored is rewritten.
 */
export function restoreNoteFrom(doc: Y.Doc, version: Y.Doc): void {
  const fields = fieldsOf(doc);
  const then = fieldsOf(version);
  for (const key of [...fields.keys()]) if (!then.has(key)) fields.delete(key);
  for (const [key, value] of then.entries()) {
    if (JSON.stringify(fields.get(key)) !== JSON.stringify(value)) fields.set(key, value);
  }
  const body = noteBody(doc);
  body.delete(0, body.length);
  body.insert(
    0,
    noteBody(version)
      .toArray()
      .map((node) => node.clone() as Y.XmlElement | Y.XmlText),
  );
}
