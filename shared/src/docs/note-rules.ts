import * as Y from 'yjs';
import type { DocChange } from './doc-changes.ts';
import type { DocKind } from './doc-guard.ts';
import {
  MAX_NOTE_BODY_DEPTH,
  NOTE_BODY_FIELD,
  NOTE_BODY_MARKS,
  NOTE_BODY_NODES,
  NOTE_FRAGMENTS,
  NOTE_ROOTS,
  invalidNoteField,
  isSafeHref,
  noteBody,
  readNoteKind,
} from './note-doc.ts';

/**
 * What a change to a note may do, judged on its effects (see doc-guard.ts). Who may change a
 * note at all is decided before: readers' connections are read-only. The rules:
 * 1. Only `meta`, `fields` and the `body` fragment exist (plus the server's `devices`).
 * 2. `meta` (schema version, kind) is the server's: clients never write it; a note the server
 *    has not created takes no changes.
 * 3. Each key of `fields` is a field of the note's kind with a valid value (schemas/note.ts);
 *    a field may be cleared.
 * 4. The body holds only the editor's known nodes and marks with their known attributes
 *    (NOTE_BODY_NODES / NOTE_BODY_MARKS in note-doc.ts); links go only to http(s) or mailto;
 *    no embedded objects; at most MAX_NOTE_BODY_DEPTH levels. Pasted HTML or script that a
 *    modified client writes anyway is refused here, not only dropped by the editor.
 * 5. The encoded document stays under MAX_NOTE_BYTES.
 */
export const MAX_NOTE_BYTES = 512 * 1024;

export const noteKind: DocKind = {
  name: 'note',
  roots: NOTE_ROOTS,
  fragments: NOTE_FRAGMENTS,
  maxBytes: MAX_NOTE_BYTES,
  judge: judgeNoteChanges,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types its types this way
type AnyType = Y.AbstractType<any>;

function judgeNoteChanges(doc: Y.Doc, changes: readonly DocChange[]): string | null {
  const kind = readNoteKind(doc);
  if (!kind) return 'this note does not exist yet';
  const bodyChanged = new Set<AnyType>();
  for (const change of changes) {
    const [root, ...below] = change.path;
    if (root === 'meta') return "a note's kind is set when it is created";
    if (root === NOTE_BODY_FIELD) {
      // a map entry inside the body is no editor content: judging the whole body finds it
      bodyChanged.add(change.kind === 'content' ? change.type : noteBody(doc));
      continue;
    }
    if (change.kind !== 'key' || below.length > 0) return "content outside the note's fields";
    if (change.action === 'delete') continue;
    const reason = invalidNoteField(kind, change.key, change.newValue);
    if (reason) return reason;
  }
  for (const type of outermost(bodyChanged)) {
    const reason = invalidBodyPart(type, depthOf(type));
    if (reason) return reason;
  }
  return null;
}

/** The changed types not inside another changed type: judging those covers the rest. */
function outermost(types: Set<AnyType>): AnyType[] {
  return [...types].filter((type) => {
    for (let parent = parentOf(type); parent; parent = parentOf(parent)) if (types.has(parent)) return false;
    return true;
  });
}

const parentOf = (type: AnyType): AnyType | null => (type._item?.parent as AnyType | undefined) ?? null;

function depthOf(type: AnyType): number {
  let depth = 0;
  for (let parent = parentOf(type); parent; parent = parentOf(parent)) depth++;
  return depth;
}

/** Why this part of the body (a fragment, element or text) is not editor content, or null. */
function invalidBodyPart(node: unknown, depth: number): string | null {
  if (depth > MAX_NOTE_BODY_DEPTH) return `the note's text is nested more than ${MAX_NOTE_BODY_DEPTH} levels deep`;
  if (node instanceof Y.XmlText) return invalidText(node);
  if (node instanceof Y.XmlElement) {
    const rules = NOTE_BODY_NODES[node.nodeName];
    if (!rules || !Object.hasOwn(NOTE_BODY_NODES, node.nodeName)) {
      return `the note's text cannot hold "${node.nodeName.slice(0, 40)}"`;
    }
    for (const [key, value] of Object.entries(node.getAttributes() as Record<string, unknown>)) {
      const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
      if (!rule) return `${node.nodeName} has no attribute "${key.slice(0, 40)}"`;
      if (!rule(value)) return `${node.nodeName} has an invalid ${key}`;
    }
  } else if (node instanceof Y.XmlFragment) {
    if (hasAttributes(node)) return "the note's text carries hidden content";
  } else {
    return "content the note's editor does not know";
  }
  for (const child of node.toArray()) {
    const reason = invalidBodyPart(child, depth + 1);
    if (reason) return reason;
  }
  return null;
}

function invalidText(text: Y.XmlText): string | null {
  if (Object.keys(text.getAttributes()).length > 0) return 'text carries attributes';
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== 'string') return 'embedded content in text';
    for (const [mark, attrs] of Object.entries(op.attributes ?? {})) {
      const reason = invalidMark(mark, attrs);
      if (reason) return reason;
    }
  }
  return null;
}

function invalidMark(mark: string, attrs: unknown): string | null {
  const rules = Object.hasOwn(NOTE_BODY_MARKS, mark) ? NOTE_BODY_MARKS[mark] : undefined;
  if (!rules) return `unknown formatting "${mark.slice(0, 40)}"`;
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) return `invalid ${mark} formatting`;
  for (const [key, value] of Object.entries(attrs)) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    if (!rule) return `${mark} formatting has no "${key.slice(0, 40)}"`;
    if (!rule(value)) {
      return mark === 'link' && key === 'href'
        ? 'links may only go to web (http/https) or e-mail (mailto) addresses'
        : `${mark} formatting has an invalid ${key}`;
    }
  }
  if (mark === 'link' && !isSafeHref((attrs as { href?: unknown }).href)) return 'a link needs a web or e-mail address';
  return null;
}

/** Whether a fragment carries map entries (Y.XmlFragment.insert never writes any). */
function hasAttributes(fragment: Y.XmlFragment): boolean {
  for (const item of fragment._map.values()) if (!item.deleted) return true;
  return false;
}
