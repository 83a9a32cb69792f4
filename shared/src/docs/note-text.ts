import * as Y from 'yjs';
import { MODALITY_LABELS } from '../vocabulary.ts';
import { regionById } from '../body/lookup.ts';
import { SITUATION_LABELS, type NoteFields } from '../schemas/note.ts';
import { noteBody, readNoteFields } from './note-doc.ts';

/**
 * A note as plain text (for search and comparing versions) and as Markdown (export, print,
 * version views), read from its Yjs document. Blocks are separated by a blank line in Markdown
 * and by a newline in plain text.
 */

/** The body's text, one line per block (paragraph, heading, list item...). */
export function noteBodyText(doc: Y.Doc): string {
  const lines: string[] = [];
  for (const node of noteBody(doc).toArray()) textLines(node, lines);
  return lines.join('\n');
}

function textLines(node: unknown, lines: string[]): void {
  if (node instanceof Y.XmlText) {
    lines.push(node.toString().length > 0 ? plainOf(node) : '');
    return;
  }
  if (!(node instanceof Y.XmlElement)) return;
  const children = node.toArray();
  if (children.every((c) => c instanceof Y.XmlText || isInline(c))) {
    lines.push(inlineText(children));
    return;
  }
  for (const child of children) textLines(child, lines);
}

const isInline = (node: unknown) => node instanceof Y.XmlElement && node.nodeName === 'hardBreak';

function plainOf(text: Y.XmlText): string {
  let out = '';
  for (const op of text.toDelta() as { insert: unknown }[]) if (typeof op.insert === 'string') out += op.insert;
  return out;
}

function inlineText(children: unknown[]): string {
  return children.map((c) => (c instanceof Y.XmlText ? plainOf(c) : ' ')).join('');
}

/** The whole note as Markdown: title, the kind's fields, then the body. */
export function noteMarkdown(doc: Y.Doc): string {
  const fields = readNoteFields(doc);
  const parts: string[] = [];
  if (fields) {
    parts.push(`# ${escapeInline(fields.title.trim()) || 'Untitled note'}`);
    const facts = fieldFacts(fields);
    if (facts.length > 0) parts.push(facts.map((f) => `- **${f[0]}:** ${escapeInline(f[1])}`).join('\n'));
    if (fields.kind === 'technique' && fields.steps.length > 0) {
      parts.push('## Steps\n\n' + fields.steps.map((s, i) => `${i + 1}. ${escapeInline(s)}`).join('\n'));
    }
    if (fields.kind === 'situation') {
      const sections: [string, string][] = [
        ['What happened', fields.whatHappened],
        ['What helped', fields.whatHelped],
        ['What to try next', fields.tryNext],
      ];
      for (const [heading, text] of sections)
        if (text.trim()) parts.push(`## ${heading}\n\n${escapeInline(text.trim())}`);
    }
  }
  const body = noteBody(doc)
    .toArray()
    .map((node) => blockMarkdown(node, ''))
    .filter((b) => b.length > 0);
  parts.push(...body);
  return parts.join('\n\n') + '\n';
}

function fieldFacts(fields: NoteFields): [string, string][] {
  const facts: [string, string][] = [];
  if (fields.kind === 'technique' && fields.modality) facts.push(['Modality', MODALITY_LABELS[fields.modality]]);
  if (fields.kind === 'situation' && fields.situation) facts.push(['Situation', SITUATION_LABELS[fields.situation]]);
  if (fields.kind === 'lesson' && fields.teacherName) {
    const certified = fields.teacherClaimsCertification
      ? ` (certified${fields.certification ? `: ${fields.certification}` : ''}, as the writer says)`
      : '';
    facts.push(['Taught by', fields.teacherName + certified]);
  }
  if (fields.regions.length > 0) {
    facts.push(['Body regions', fields.regions.map((id) => regionById(id)?.label ?? id).join(', ')]);
  }
  if (fields.tags.length > 0) facts.push(['Tags', fields.tags.join(', ')]);
  return facts;
}

function blockMarkdown(node: unknown, indent: string): string {
  if (node instanceof Y.XmlText) return indent + inlineMarkdown([node]);
  if (!(node instanceof Y.XmlElement)) return '';
  const children = node.toArray();
  switch (node.nodeName) {
    case 'paragraph':
      return indent + inlineMarkdown(children);
    case 'heading': {
      const level = Number(node.getAttribute('level') ?? 1) + 1; // the note's title is the # heading
      return indent + '#'.repeat(Math.min(6, level)) + ' ' + inlineMarkdown(children);
    }
    case 'blockquote':
      return children
        .map((c) => blockMarkdown(c, ''))
        .join('\n\n')
        .split('\n')
        .map((line) => `${indent}> ${line}`.trimEnd())
        .join('\n');
    case 'codeBlock': {
      const code = children.map((c) => (c instanceof Y.XmlText ? plainOf(c) : '')).join('');
      const fence = backtickFence(code, 3);
      return `${indent}${fence}\n${code}\n${indent}${fence}`;
    }
    case 'horizontalRule':
      return indent + '---';
    case 'bulletList':
    case 'orderedList':
    case 'taskList': {
      const start = Number(node.getAttribute('start') ?? 1);
      return children
        .map((item, i) => {
          const marker =
            node.nodeName === 'orderedList'
              ? `${start + i}. `
              : node.nodeName === 'taskList'
                ? `- [${item instanceof Y.XmlElement && (item.getAttribute('checked') as unknown) === true ? 'x' : ' '}] `
                : '- ';
          return listItemMarkdown(item, indent, marker);
        })
        .join('\n');
    }
    default:
      return children.map((c) => blockMarkdown(c, indent)).join('\n\n');
  }
}

function listItemMarkdown(item: unknown, indent: string, marker: string): string {
  if (!(item instanceof Y.XmlElement)) return '';
  const inner = item
    .toArray()
    .map((c) => blockMarkdown(c, indent + ' '.repeat(marker.length)))
    .join('\n');
  return indent + marker + inner.slice(indent.length + marker.length);
}

const MARK_WRAP: Record<string, string> = { bold: '**', italic: '_', strike: '~~' };

function inlineMarkdown(children: unknown[]): string {
  let out = '';
  for (const child of children) {
    if (child instanceof Y.XmlElement && child.nodeName === 'hardBreak') out += '  \n';
    if (!(child instanceof Y.XmlText)) continue;
    for (const op of child.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
      if (typeof op.insert !== 'string') continue;
      const attrs = op.attributes ?? {};
      let text = attrs.code ? codeSpan(op.insert) : escapeInline(op.insert);
      for (const [mark, wrap] of Object.entries(MARK_WRAP)) if (attrs[mark]) text = wrap + text + wrap;
      const link = attrs.link as { href?: unknown } | undefined;
      if (link && typeof link.href === 'string') text = `[${text}](${link.href.replace(/[()\s]/g, encodeURI)})`;
      out += text;
    }
  }
  return out;
}

/** More backticks (at least `min`) than any run in the code, so nothing in it can close its span or block early. */
function backtickFence(code: string, min: number): string {
  return '`'.repeat(Math.max(min - 1, ...(code.match(/`+/g) ?? []).map((run) => run.length)) + 1);
}

function codeSpan(text: string): string {
  const fence = backtickFence(text, 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return fence + pad + text + pad + fence;
}

function escapeInline(text: string): string {
  return text.replace(/([\\`*_[\]#<>])/g, '\\$1');
}
