// Layout of the marks on a printed view. Paper cannot zoom or cluster, so every mark is drawn: glyphs that would
// cover each other are spread apart (a leader line runs back to the exact spot), and each number is nudged to a free
// spot beside its glyph, off the other glyphs and the numbers already placed.

export interface Circle {
  x: number;
  y: number;
  r: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PlacedNumber {
  x: number;
  y: number;
}

/** Try beside the glyph first (upper right reads as a footnote), then the other diagonals, sides and poles. */
const DIRECTIONS_DEG = [-45, -135, 45, 135, 0, 180, -90, 90];

function overlaps(a: Circle, b: Circle, gap: number): boolean {
  return Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r + gap;
}

function inside(c: Circle, box: Box): boolean {
  return c.x - c.r >= box.x && c.y - c.r >= box.y && c.x + c.r <= box.x + box.width && c.y + c.r <= box.y + box.height;
}

/**
 * One badge position per glyph, in the glyphs' order. Each badge of radius `badgeRadius` sits just outside its own
 * glyph, in the first direction that clears every glyph, every earlier badge and the drawing box; when none is free
 * (a dense knot of marks), the direction with the fewest collisions wins.
 */
export function placeNumbers(glyphs: readonly Circle[], badgeRadius: number, box: Box): PlacedNumber[] {
  const placed: Circle[] = [];
  const gap = 1;
  for (const g of glyphs) {
    const distance = g.r + badgeRadius + gap;
    let best: { c: Circle; collisions: number } | null = null;
    for (const deg of DIRECTIONS_DEG) {
      const a = (deg * Math.PI) / 180;
      const c: Circle = { x: g.x + distance * Math.cos(a), y: g.y + distance * Math.sin(a), r: badgeRadius };
      const collisions =
        (inside(c, box) ? 0 : 100) +
        glyphs.filter((other) => other !== g && overlaps(c, other, gap)).length +
        placed.filter((p) => overlaps(c, p, gap)).length;
      if (!best || collisions < best.collisions) best = { c, collisions };
      if (collisions === 0) break;
    }
    placed.push(best!.c);
  }
  return placed.map(({ x, y }) => ({ x, y }));
}

/**
 * Glyph centres moved apart until no two are closer than `minDistance` (or `iterations` run out), each kept within
 * `box`. Marks far from the others do not move. Identical points part in a fixed direction per index, so the layout is
 * the same on every print.
 */
export function spreadGlyphs(
  points: readonly { x: number; y: number }[],
  minDistance: number,
  box: Box,
  iterations = 60,
): { x: number; y: number }[] {
  const out = points.map((p) => ({ x: p.x, y: p.y }));
  const margin = minDistance / 2;
  for (let step = 0; step < iterations; step++) {
    let moved = false;
    for (let i = 0; i < out.length; i++) {
      for (let j = i + 1; j < out.length; j++) {
        const a = out[i]!;
        const b = out[j]!;
        let dx = b.x - a.x;
        let dy = b.y - a.y;
        let d = Math.hypot(dx, dy);
        if (d >= minDistance) continue;
        if (d < 1e-6) {
          // The golden angle spreads any number of identical points evenly round the spot
          const angle = j * 2.39996;
          dx = Math.cos(angle);
          dy = Math.sin(angle);
          d = 1;
        }
        const push = (minDistance - d) / 2 + 0.01;
        a.x -= (dx / d) * push;
        a.y -= (dy / d) * push;
        b.x += (dx / d) * push;
        b.y += (dy / d) * push;
        moved = true;
      }
    }
    for (const p of out) {
      p.x = Math.min(Math.max(p.x, box.x + margin), box.x + box.width - margin);
      p.y = Math.min(Math.max(p.y, box.y + margin), box.y + box.height - margin);
    }
    if (!moved) break;
  }
  return out;
}
