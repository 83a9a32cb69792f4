import type { Category } from '@kneadback/shared/vocabulary';
import { cx } from '../../../app/ui/cx.ts';
import { ClusterGlyph, MarkIcon } from './MarkGlyph.tsx';
import { MARK_CATEGORIES, MARK_STYLES } from './markStyles.ts';
import './bodyMap.css';

export interface BodyMapLegendProps {
  /** Which categories to list, in this order. Default: all, in vocabulary order. */
  categories?: readonly Category[];
  /** Optional counts shown after each label (e.g. marks per category in this round). */
  counts?: Partial<Record<Category, number>>;
  /** Also explain the "resolved" look and the cluster bubble. Default true. */
  showStates?: boolean;
  /** Default 'horizontal' (wrapping row); 'vertical' for a side panel. */
  orientation?: 'horizontal' | 'vertical';
  /** Accessible name of the list. Default "Mark legend". */
  label?: string;
  className?: string;
}

/** Category colour + shape key for the body map (and anything else that draws MARK_STYLES glyphs). */
export function BodyMapLegend({
  categories = MARK_CATEGORIES,
  counts,
  showStates = true,
  orientation = 'horizontal',
  label = 'Mark legend',
  className,
}: BodyMapLegendProps) {
  return (
    <ul
      className={cx('body-map-legend', orientation === 'vertical' && 'body-map-legend--vertical', className)}
      aria-label={label}
    >
      {categories.map((category) => {
        const style = MARK_STYLES[category];
        const count = counts?.[category];
        return (
          <li key={category} className="body-map-legend__item">
            <MarkIcon category={category} size={24} />
            <span>
              {style.label}
              <span className="visually-hidden"> ({style.shapeName})</span>
            </span>
            {count !== undefined && <span className="body-map-legend__count">{count}</span>}
          </li>
        );
      })}
      {showStates && (
        <>
          <li className="body-map-legend__item">
            <MarkIcon category="pressure" resolved size={24} />
            <span>Resolved (outlined)</span>
          </li>
          <li className="body-map-legend__item">
            <svg width={28} height={28} viewBox="-14 -14 28 28" aria-hidden="true" focusable="false">
              <ClusterGlyph count={3} radius={11} />
            </svg>
            <span>Several marks close together: tap to zoom in</span>
          </li>
        </>
      )}
    </ul>
  );
}
