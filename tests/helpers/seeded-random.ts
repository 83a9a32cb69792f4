// A small seeded PRNG (mulberry32) and generators of hostile input built on it, so a drill run
// can be repeated exactly: the same seed gives the same cases, byte for byte.

export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A derived generator for item `index`, independent of how many numbers others drew. */
  static forCase(seed: number, index: number): Rng {
    let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    return new Rng((h ^ (h >>> 16)) >>> 0);
  }

  /** [0, 1) */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: [[weight, value], ...]. */
  weighted<T>(entries: readonly (readonly [number, T])[]): T {
    const total = entries.reduce((sum, [w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [w, value] of entries) {
      r -= w;
      if (r < 0) return value;
    }
    return entries.at(-1)![1];
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i += 4) {
      const v = Math.floor(this.next() * 4294967296);
      for (let j = 0; j < 4 && i + j < n; j++) out[i + j] = (v >>> (j * 8)) & 0xff;
    }
    return out;
  }

  hex(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[this.int(0, 15)];
    return s;
  }

  /** Mostly printable, with control characters, lone surrogates and non-ASCII mixed in. */
  text(n: number): string {
    const chars: string[] = [];
    for (let i = 0; i < n; i++) {
      const kind = this.int(0, 19);
      if (kind < 14) chars.push(String.fromCharCode(this.int(0x20, 0x7e)));
      else if (kind < 16) chars.push(String.fromCharCode(this.int(0, 0x1f)));
      else if (kind < 18) chars.push(String.fromCharCode(this.int(0xa0, 0x2fff)));
      else if (kind < 19) chars.push(String.fromCharCode(this.int(0xd800, 0xdfff)));
      else chars.push(this.pick(['\u0000', '\u2028', '\ufeff', '💆', '\\', '"', '%', '$', '.']));
    }
    return chars.join('');
  }
}

const DANGEROUS_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '$where',
  '$gt',
];
const ODD_NUMBERS = [0, -0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.1, 1e-320, 4294967296, -2147483649];

/**
 * A random JSON value: wrong types, odd numbers, long strings, operator and prototype keys,
 * arrays where objects belong. Depth and size stay modest; hugeJsonText() builds the extremes.
 */
export function randomJson(rng: Rng, depth = 0): unknown {
  const kind = rng.int(0, depth > 3 ? 5 : 8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return rng.bool();
    case 2:
      return rng.bool() ? rng.pick(ODD_NUMBERS) : rng.int(-1000, 1000);
    case 3:
      return rng.text(rng.int(0, 40));
    case 4:
      return rng.pick(['', 'true', 'null', '2026-11-27', 'ffffffffffffffffffffffff', '../../etc/passwd', '%00']);
    case 5:
      return rng.hex(24);
    case 6:
    case 7: {
      const out: Record<string, unknown> = {};
      const n = rng.int(0, 6);
      for (let i = 0; i < n; i++) {
        const key = rng.bool(0.3) ? rng.pick(DANGEROUS_KEYS) : rng.text(rng.int(0, 12));
        out[key] = randomJson(rng, depth + 1);
      }
      return out;
    }
    default:
      return Array.from({ length: rng.int(0, 6) }, () => randomJson(rng, depth + 1));
  }
}

/** Replaces, drops or adds fields of a valid body: the "almost right" input validators miss. */
export function mutateBody(rng: Rng, valid: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = { ...valid };
  const keys = Object.keys(out);
  const edits = rng.int(1, 3);
  for (let i = 0; i < edits; i++) {
    const op = rng.int(0, 4);
    const key = keys.length > 0 ? rng.pick(keys) : 'x';
    if (op === 0) delete out[key];
    else if (op === 1) out[key] = randomJson(rng, 2);
    else if (op === 2) out[rng.pick(DANGEROUS_KEYS)] = randomJson(rng, 2);
    else if (op === 3) out[key] = rng.text(rng.int(100, 5_000));
    else out[key] = [out[key]];
  }
  return rng.bool(0.1) ? [out] : out;
}

/** JSON text no JSON.stringify of a plain value produces: extreme nesting, size, duplicate and prototype keys. */
export function hugeJsonText(rng: Rng, limitBytes: number): string {
  const kind = rng.int(0, 5);
  switch (kind) {
    case 0: {
      const depth = rng.int(1_000, Math.floor(limitBytes / 2));
      return '['.repeat(depth) + ']'.repeat(depth);
    }
    case 1: {
      const depth = rng.int(1_000, Math.floor(limitBytes / 6));
      return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    }
    case 2:
      return JSON.stringify({ text: 'x'.repeat(rng.int(limitBytes - 100, limitBytes * 3)) });
    case 3:
      return '{"__proto__":{"admin":true,"polluted":1},"constructor":{"prototype":{"polluted":1}},"__proto__":[]}';
    case 4: {
      const n = rng.int(1_000, Math.floor(limitBytes / 8));
      return '{' + Array.from({ length: n }, (_, i) => `"k${i % 50}":${i}`).join(',') + '}';
    }
    default:
      return JSON.stringify(Array.from({ length: rng.int(1_000, Math.floor(limitBytes / 3)) }, () => 0));
  }
}

/** Cuts text or bytes somewhere in the middle, like a dropped connection would. */
export function truncate<T extends string | Uint8Array>(rng: Rng, value: T): T {
  if (value.length < 2) return value;
  return value.slice(0, rng.int(1, value.length - 1)) as T;
}
