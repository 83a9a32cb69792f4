import type { Category } from '@kneadback/shared/vocabulary';
import { MARK_HALO_COLOR, MARK_STYLES, markShapePath } from '../debrief/body-map/index.ts';

/** The category's glyph as the body map draws it (colour and shape), so a list entry reads like a mark. */
export function CategoryMark({ category, size = 20 }: { category: Category; size?: number }) {
  const style = MARK_STYLES[category];
  return (
    <svg
      className="category-mark"
      width={size}
      height={size}
      viewBox="-12 -12 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={markShapePath(style.shape, 8)}
        fill={style.color}
        stroke={MARK_HALO_COLOR}
        strokeWidth={2}
        strokeLinejoin="round"
      />
    </svg>
  );
}

export function categoryLabel(category: Category): string {
  return MARK_STYLES[category].label;
}
