import type { Category } from '@kneadback/shared/vocabulary';
import { cachedShapePath, MARK_HALO_COLOR, MARK_STYLES } from './body-map/markStyles.ts';

/** The category's map mark (colour and shape), so list and editor read like the map. */
export function CategoryGlyph({ category, size = 20 }: { category: Category; size?: number }) {
  const style = MARK_STYLES[category];
  return (
    <svg className="category-glyph" width={size} height={size} viewBox="-12 -12 24 24" aria-hidden="true" focusable="false">
      <path d={cachedShapePath(style.shape, 8)} fill={style.color} stroke={MARK_HALO_COLOR} strokeWidth={2} />
    </svg>
  );
}
