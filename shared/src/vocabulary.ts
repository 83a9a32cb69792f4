// The words therapists use, declared once; schemas, UI and projections all read them from here.

export const MODALITIES = [
  'swedish',
  'deep-tissue',
  'sports',
  'trigger-point',
  'myofascial-release',
  'lymphatic-drainage',
  'reflexology',
  'shiatsu',
  'thai',
  'hot-stone',
  'prenatal',
] as const;
export type Modality = (typeof MODALITIES)[number];

export const MODALITY_LABELS: Record<Modality, string> = {
  swedish: 'Swedish / wellness',
  'deep-tissue': 'Deep tissue',
  sports: 'Sports',
  'trigger-point': 'Trigger point',
  'myofascial-release': 'Myofascial release',
  'lymphatic-drainage': 'Lymphatic drainage',
  reflexology: 'Reflexology',
  shiatsu: 'Shiatsu',
  thai: 'Thai',
  'hot-stone': 'Hot stone / LaStone',
  prenatal: 'Prenatal',
};

export const CATEGORIES = ['pressure', 'thumb-technique', 'habit', 'praise', 'question'] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  pressure: 'Pressure',
  'thumb-technique': 'Thumb technique',
  habit: 'Habit',
  praise: 'Praise',
  question: 'Question',
};

export const PRESSURE_VERDICTS = ['too-light', 'just-right', 'too-deep'] as const;
export type PressureVerdict = (typeof PRESSURE_VERDICTS)[number];

export const VERDICT_LABELS: Record<PressureVerdict, string> = {
  'too-light': 'Too light',
  'just-right': 'Just right',
  'too-deep': 'Too deep',
};

export const PRESSURE_MIN = 1;
export const PRESSURE_MAX = 10;

export const ANNOTATION_STATUSES = ['open', 'resolved'] as const;
export type AnnotationStatus = (typeof ANNOTATION_STATUSES)[number];

/** Starting tags per category; users add their own (free tags are kebab-case words). */
export const STARTER_TAGS: Record<Category, readonly string[]> = {
  pressure: [],
  'thumb-technique': [
    'hyperextended-thumb',
    'collapsing-thumb',
    'tip-not-pad',
    'unsupported-thumb',
    'not-perpendicular',
    'poking',
    'sliding-off-muscle',
    'static-hold-too-long',
    'uneven-thumbs',
  ],
  habit: [
    'bending-at-waist',
    'shoulders-hunched',
    'wrist-bent-under-load',
    'muscling-not-leaning',
    'table-height-wrong',
    'losing-contact',
    'rushing',
    'draping-gaps',
    'talking-too-much',
    'cold-hands',
    'too-much-lubricant',
    'too-little-lubricant',
    'not-checking-in',
  ],
  praise: ['pressure-just-right', 'great-transition', 'good-anchoring', 'good-pacing', 'loved-this-stroke'],
  question: [],
};

/** "tip-not-pad" -> "Tip not pad": tags are stored as slugs and shown as words. */
export function tagLabel(tag: string): string {
  const words = tag.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
