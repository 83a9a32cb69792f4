/** Past this many line pairs a diff is not worth computing exactly: the whole text counts as changed. */
const MAX_CELLS = 4_000_000;

export interface DiffPart {
  op: 'same' | 'added' | 'removed';
  text: string;
}

/**
 * Lines of `before` and `after`, in order, each marked as kept, removed (only before) or added
 * (only after): a longest-common-subsequence diff, runs of one kind joined.
 */
export function lineDiff(before: string, after: string): DiffPart[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > MAX_CELLS) return joined([...a.map(removed), ...b.map(added)]);
  // lengths[i][j]: common lines of a[i..] and b[j..]
  const width = b.length + 1;
  const lengths = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i * width + j] =
        a[i] === b[j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
    }
  }
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      parts.push({ op: 'same', text: a[i]! });
      i++;
      j++;
    } else if (lengths[(i + 1) * width + j]! >= lengths[i * width + j + 1]!) {
      parts.push(removed(a[i++]!));
    } else {
      parts.push(added(b[j++]!));
    }
  }
  return joined([...parts, ...a.slice(i).map(removed), ...b.slice(j).map(added)]);
}

const removed = (text: string): DiffPart => ({ op: 'removed', text });
const added = (text: string): DiffPart => ({ op: 'added', text });

function joined(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const part of parts) {
    const last = out.at(-1);
    if (last?.op === part.op) last.text += '\n' + part.text;
    else out.push({ ...part });
  }
  return out;
}
