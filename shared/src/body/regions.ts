// The fixed region catalogue of the body map. Like the numbered regions of research pain maps (CHOIR, Michigan Body
// Map), fixed ids keep critiques comparable across sessions, so an id must never be renamed once marks refer to it.
import { BODY_VIEW_WIDTH } from './geometry.ts';
import type { BodyView } from './geometry.ts';

/** Always the receiver's side, never the viewer's. */
export type BodySide = 'left' | 'right' | 'midline';

export interface BodyRegion {
  /** `<view>-<muscle-key>[-<side>]`, e.g. `posterior-upper-trapezius-left`, `anterior-abdomen`. */
  id: string;
  /** Muscle group as therapists name it, e.g. 'Upper trapezius'. */
  muscle: string;
  side: BodySide;
  view: BodyView;
  /** What the UI shows; sided regions always name the side, e.g. 'Left upper trapezius'. */
  label: string;
  /** Simple polygon in view units. Regions of one view tile the figure without overlapping. */
  outline: readonly [number, number][];
}

/**
 * Which of the receiver's sides appears on the viewer's left. On the back view we stand behind the receiver, so
 * their left is on our left; on the front view we face them, so their left is on our right. Left/right confusion is
 * the most common error in pain maps, so every side decision in this module goes through here.
 */
export function receiverSideOnScreenLeft(view: BodyView): 'left' | 'right' {
  return view === 'posterior' ? 'left' : 'right';
}

const MIDLINE_X = BODY_VIEW_WIDTH / 2;

/** Parses 'x,y x,y ...' (the SVG `points` notation), which keeps the outlines below readable. */
function pts(spec: string): [number, number][] {
  return spec
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [x, y] = pair.split(',').map(Number);
      if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
        throw new Error(`bad outline point '${pair}'`);
      }
      return [x, y];
    });
}

function mirror(outline: readonly [number, number][]): [number, number][] {
  return outline.map(([x, y]) => [BODY_VIEW_WIDTH - x, y]);
}

/**
 * A midline shape is written as its screen-left half, from a point on the midline round to another point on the
 * midline; the right half is its exact mirror, so the shape is symmetric by construction.
 */
function symmetric(halfSpec: string): [number, number][] {
  const half = pts(halfSpec);
  const first = half[0];
  const last = half[half.length - 1];
  if (!first || !last || first[0] !== MIDLINE_X || last[0] !== MIDLINE_X) {
    throw new Error(`a symmetric half must start and end on x = ${MIDLINE_X}`);
  }
  return [...half, ...mirror(half.slice(1, -1)).reverse()];
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function sidedLabel(side: 'left' | 'right', muscle: string): string {
  // Keep acronyms ('IT band') intact; lower-case ordinary words ('Upper trapezius' -> 'upper trapezius').
  const rest = /^[A-Z]{2}/.test(muscle) ? muscle : muscle.charAt(0).toLowerCase() + muscle.slice(1);
  return `${capitalize(side)} ${rest}`;
}

/**
 * Both sides of a bilateral muscle from one outline drawn on the viewer's left half: the other side is its mirror
 * around the midline, so left and right can never drift apart, and which of them is 'left' is decided only by
 * receiverSideOnScreenLeft.
 */
function bilateral(view: BodyView, key: string, muscle: string, screenLeftSpec: string): BodyRegion[] {
  const screenLeft = pts(screenLeftSpec);
  const onScreenLeft = receiverSideOnScreenLeft(view);
  const onScreenRight = onScreenLeft === 'left' ? 'right' : 'left';
  const make = (side: 'left' | 'right', outline: [number, number][]): BodyRegion => ({
    id: `${view}-${key}-${side}`,
    muscle,
    side,
    view,
    label: sidedLabel(side, muscle),
    outline,
  });
  const regions = [make(onScreenLeft, screenLeft), make(onScreenRight, mirror(screenLeft))];
  // List left before right so menus read the same on both views.
  return regions[0]!.side === 'left' ? regions : [regions[1]!, regions[0]!];
}

function midline(view: BodyView, key: string, muscle: string, halfSpec: string): BodyRegion {
  return { id: `${view}-${key}`, muscle, side: 'midline', view, label: muscle, outline: symmetric(halfSpec) };
}

// Shared figure outline (viewer's left half, top of head to crotch). Region outlines reuse these vertices exactly so
// that neighbouring regions share edges: no overlaps, no slivers between them.
const FIGURE_HALF =
  '200,20 182,23 170,33 164,50 163,68 167,86 176,100 180,118 177,138 160,145 140,151 124,160 110,168 101,182 ' +
  '97,205 99,232 93,275 88,320 80,380 80,430 74,445 70,470 76,496 90,500 100,480 104,450 100,428 110,370 117,320 ' +
  '123,272 128,226 130,262 136,300 141,332 138,360 132,384 124,410 123,424 122,438 125,468 128,500 134,540 ' +
  '140,562 138,580 136,610 140,660 150,710 156,742 152,760 154,784 168,790 182,784 184,760 180,742 184,700 ' +
  '191,650 194,600 194,580 193,560 195,540 197,520 200,488';

const FIGURE = symmetric(FIGURE_HALF);

/** Outline of the whole figure, drawn behind the regions. Both views share one silhouette. */
export const BODY_SILHOUETTE: Record<BodyView, readonly [number, number][]> = {
  anterior: FIGURE,
  posterior: FIGURE,
};

// Shapes used identically on both views (the limbs' outlines do not change between front and back).
const MEDIAL_DELTOID = '110,168 118,172 114,200 110,231 99,232 97,205 101,182';
const FRONT_OR_BACK_DELTOID = '124,160 134,170 138,194 128,226 110,231 114,200 118,172 110,168';
const UPPER_ARM = '99,232 110,231 128,226 123,272 117,320 88,320 93,275';
const FOREARM = '88,320 117,320 110,370 100,428 80,430 80,380';
const HAND = '80,430 100,428 104,450 100,480 90,500 76,496 70,470 74,445';
const FOOT = '156,742 180,742 184,760 182,784 168,790 154,784 152,760';

const ANTERIOR: BodyRegion[] = [
  midline('anterior', 'scalp', 'Scalp', '200,20 182,23 170,33 164,50 178,46 200,44'),
  ...bilateral('anterior', 'temporalis', 'Temporalis', '164,50 178,46 180,64 163,68'),
  midline('anterior', 'face', 'Face', '200,44 178,46 180,64 184,86 184,106 200,110'),
  ...bilateral('anterior', 'masseter', 'Masseter', '163,68 180,64 184,86 184,106 176,100 167,86'),
  // The SCM runs from behind the ear to the sternum; the throat between the two muscles is folded into them.
  ...bilateral(
    'anterior',
    'scm',
    'Sternocleidomastoid (SCM)',
    '176,100 184,106 200,110 200,156 194,155 188,134 180,118',
  ),
  ...bilateral('anterior', 'scalenes', 'Scalenes', '180,118 188,134 194,155 170,156 177,138'),
  // Seen from the front, the upper trapezius is the slope between the neck and the shoulder, above the clavicle.
  ...bilateral(
    'anterior',
    'upper-trapezius',
    'Upper trapezius',
    '177,138 170,156 150,160 134,170 124,160 140,151 160,145',
  ),
  ...bilateral('anterior', 'anterior-deltoid', 'Anterior deltoid', FRONT_OR_BACK_DELTOID),
  ...bilateral('anterior', 'medial-deltoid', 'Medial deltoid', MEDIAL_DELTOID),
  ...bilateral(
    'anterior',
    'pectoralis',
    'Pectoralis',
    '200,156 194,155 170,156 150,160 134,170 138,194 128,226 146,238 172,242 200,238',
  ),
  ...bilateral(
    'anterior',
    'intercostals',
    'Intercostals / ribcage',
    '128,226 146,238 172,242 200,238 200,248 180,262 160,282 136,300 130,262',
  ),
  ...bilateral('anterior', 'biceps', 'Biceps', UPPER_ARM),
  ...bilateral('anterior', 'forearm-flexors', 'Forearm flexors', FOREARM),
  ...bilateral('anterior', 'hand', 'Hand / palm', HAND),
  // Includes the obliques down to the inguinal line.
  midline(
    'anterior',
    'abdomen',
    'Abdomen',
    '200,248 180,262 160,282 136,300 141,332 138,360 132,384 150,398 176,416 200,428',
  ),
  ...bilateral(
    'anterior',
    'it-band-tfl',
    'IT band / TFL',
    '132,384 150,398 142,430 140,470 143,510 150,558 140,562 134,540 128,500 125,468 122,438 123,424 124,410',
  ),
  // The quadriceps region includes the patella: the knee is where the quads insert.
  ...bilateral(
    'anterior',
    'quadriceps',
    'Quadriceps',
    '150,398 176,416 178,465 186,515 195,540 193,560 194,580 138,580 140,562 150,558 143,510 140,470 142,430',
  ),
  // The two adductor groups meet at the midline: the groin is no separate region.
  ...bilateral('anterior', 'adductors', 'Adductors', '176,416 200,428 200,488 197,520 195,540 186,515 178,465'),
  ...bilateral(
    'anterior',
    'tibialis-anterior',
    'Tibialis anterior',
    '138,580 172,580 170,640 168,700 166,742 156,742 150,710 140,660 136,610',
  ),
  // From the front, the medial calf (gastrocnemius medial head, soleus) shows on the inner side of the shin.
  ...bilateral(
    'anterior',
    'gastrocnemius-soleus',
    'Gastrocnemius / soleus',
    '172,580 194,580 194,600 191,650 184,700 180,742 166,742 168,700 170,640',
  ),
  ...bilateral('anterior', 'dorsal-foot', 'Dorsal foot', FOOT),
];

const POSTERIOR: BodyRegion[] = [
  midline('posterior', 'scalp', 'Scalp', '200,20 182,23 170,33 164,50 163,68 167,86 176,100 200,100'),
  ...bilateral('posterior', 'suboccipitals', 'Suboccipitals', '176,100 200,100 200,118 180,118'),
  // Covers the back of the neck and the shoulder shelf down to the spine of the scapula.
  ...bilateral(
    'posterior',
    'upper-trapezius',
    'Upper trapezius',
    '180,118 200,118 200,155 185,160 164,166 150,176 134,170 124,160 140,151 160,145 177,138',
  ),
  // Drawn where therapists find it: at the superior angle of the scapula, just under the upper trapezius.
  ...bilateral('posterior', 'levator-scapulae', 'Levator scapulae', '185,160 164,166 164,184 184,180'),
  ...bilateral(
    'posterior',
    'middle-trapezius',
    'Middle trapezius',
    '200,155 185,160 184,180 164,184 166,200 185,200 200,200',
  ),
  ...bilateral('posterior', 'rhomboids', 'Rhomboids', '166,200 185,200 185,248 164,248'),
  ...bilateral('posterior', 'lower-trapezius', 'Lower trapezius', '164,248 185,248 185,305 170,290 156,262'),
  ...bilateral(
    'posterior',
    'infraspinatus-teres',
    'Infraspinatus / teres',
    '134,170 150,176 164,166 164,184 166,200 164,248 156,262 128,226 138,194',
  ),
  ...bilateral('posterior', 'posterior-deltoid', 'Posterior deltoid', FRONT_OR_BACK_DELTOID),
  ...bilateral('posterior', 'medial-deltoid', 'Medial deltoid', MEDIAL_DELTOID),
  ...bilateral(
    'posterior',
    'thoracic-erector-spinae',
    'Thoracic erector spinae',
    '185,200 200,200 200,322 185,322 185,305 185,248',
  ),
  ...bilateral(
    'posterior',
    'latissimus-dorsi',
    'Latissimus dorsi',
    '128,226 156,262 170,290 185,305 185,322 141,332 136,300 130,262',
  ),
  ...bilateral(
    'posterior',
    'lumbar-erector-spinae',
    'Lumbar erector spinae',
    '185,322 200,322 200,410 185,406 185,394',
  ),
  ...bilateral(
    'posterior',
    'quadratus-lumborum',
    'Quadratus lumborum',
    '141,332 185,322 185,394 172,390 132,384 138,360',
  ),
  ...bilateral('posterior', 'triceps', 'Triceps', UPPER_ARM),
  ...bilateral('posterior', 'forearm-extensors', 'Forearm extensors', FOREARM),
  ...bilateral('posterior', 'hand', 'Back of hand', HAND),
  ...bilateral('posterior', 'gluteus-medius', 'Gluteus medius', '132,384 172,390 182,414 150,418 123,424 124,410'),
  // A band across the buttock from the sacrum to the greater trochanter, lying under the gluteus maximus.
  ...bilateral(
    'posterior',
    'piriformis',
    'Piriformis / deep rotators',
    '182,414 150,418 123,424 122,438 150,432 182,426',
  ),
  // Wraps round the medial end of the piriformis band up to the sacrum and the iliac crest.
  ...bilateral(
    'posterior',
    'gluteus-maximus',
    'Gluteus maximus',
    '172,390 185,394 185,406 200,410 200,488 182,490 160,491 140,486 125,468 122,438 150,432 182,426 182,414',
  ),
  ...bilateral('posterior', 'adductors', 'Adductors', '200,488 182,490 186,530 195,540 197,520'),
  ...bilateral(
    'posterior',
    'hamstrings',
    'Hamstrings',
    '140,486 160,491 182,490 186,530 195,540 193,560 149,558 142,520',
  ),
  // The TFL sits at the front of the hip; from behind only the band itself shows.
  ...bilateral('posterior', 'it-band-tfl', 'IT band', '125,468 140,486 142,520 149,558 140,562 134,540 128,500'),
  ...bilateral(
    'posterior',
    'gastrocnemius-soleus',
    'Gastrocnemius / soleus',
    '140,562 149,558 193,560 194,580 194,600 191,650 184,700 180,742 156,742 150,710 140,660 136,610 138,580',
  ),
  // From behind, the heel and sole are what shows of the foot.
  ...bilateral('posterior', 'plantar-foot', 'Plantar foot', FOOT),
];

/** Every region of every view: anterior first, then posterior, each roughly head to foot, left before right. */
export const BODY_REGIONS: readonly BodyRegion[] = [...ANTERIOR, ...POSTERIOR];
