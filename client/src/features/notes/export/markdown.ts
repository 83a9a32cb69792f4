import type { JSONContent } from '@tiptap/core';
import { isSafeLink } from '../editor/safeLink.ts';

/** Characters Markdown would read as formatting when they appear in plain text. */
const ESCAPED = /([\\`*_[\]#<>|~])/g;
const escapeText = (text: string) => text.replace(ESCAPED, '\\$1');

function inline(nodes: JSONContent[] | undefined): string {
  let out = '';
  for (const node of nodes ?? []) {
    if (node.type === 'hardBreak') {
      out += '  \n';
      continue;
    }
    if (node.type !== 'text' || !node.text) continue;
    const marks = node.marks ?? [];
    const has = (type: string) => marks.some((m) => m.type === type);
    let text = has('code') ? `\`${node.text.replace(/`/g, '\u02cb')}\`` : escapeText(node.text);
    if (has('bold')) text = `**${text}**`;
    if (has('italic')) text = `_${text}_`;
    if (has('strike')) text = `~~${text}~~`;
    const link = marks.find((m) => m.type === 'link');
    const href = typeof link?.attrs?.href === 'string' ? link.attrs.href : null;
    if (href && isSafeLink(href)) text = `[${text}](${href.replace(/[()\s]/g, encodeURIComponent)})`;
    out += text;
  }
  return out;
}

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : by + line))
    .join('\n');

function listItems(items: JSONContent[] | undefined, marker: (i: number, item: JSONContent) => string): string {
  return (items ?? [])
    .map((item, i) => {
      const prefix = marker(i, item);
      // A tight list: an item's paragraph and its sub-list on consecutive lines
      return prefix + indent(blocks(item.content, '\n'), ' '.repeat(prefix.length));
    })
    .join('\n');
}

function block(node: JSONContent): string {
  switch (node.type) {
    case 'paragraph':
      return inline(node.content);
    case 'heading': {
      const level = typeof node.attrs?.level === 'number' ? node.attrs.level : 2;
      return `${'#'.repeat(level)} ${inline(node.content)}`;
    }
    case 'blockquote':
      return blocks(node.content)
        .trimEnd()
        .split('\n')
        .map((line) => (line ? `> ${line}` : '>'))
        .join('\n');
    case 'bulletList':
      return listItems(node.content, () => '- ');
    case 'orderedList': {
      const start = typeof node.attrs?.start === 'number' ? node.attrs.start : 1;
      return listItems(node.content, (i) => `${start + i}. `);
    }
    case 'taskList':
      return listItems(node.content, (_i, item) => (item.attrs?.checked ? '- [x] ' : '- [ ] '));
    case 'codeBlock': {
      const text = (node.content ?? []).map((n) => n.text ?? '').join('');
      return `\`\`\`\n${text.replace(/```/g, '`\u200b``')}\n\`\`\``;
    }
    case 'horizontalRule':
      return '---';
    default:
      // Unknown blocks keep their words
      return node.content ? blocks(node.content) : '';
  }
}

function blocks(nodes: JSONContent[] | undefined, separator = '\n\n'): string {
  return (nodes ?? [])
    .map(block)
    .filter((text) => text !== '')
    .join(separator);
}

/** A note's body (the editor's JSON) as Markdown, under its title. */
export function noteToMarkdown(title: string, body: JSONContent): string {
  const text = blocks(body.content);
  return `# ${escapeText(title)}\n\n${text}\n`;
}
