import { memo } from 'react';
import { BODY_REGIONS, polygonToPath, regionsOfView } from '@kneadback/shared/body/index';
import type { BodyView } from '@kneadback/shared/body/index';
import { cx } from '../../../app/ui/cx.ts';
import { REGION_NAMES } from './labels.ts';

// Path strings are computed once, not per render.
const REGION_PATHS: ReadonlyMap<string, string> = new Map(BODY_REGIONS.map((r) => [r.id, polygonToPath(r.outline)]));

/** The view's regions, each named for screen readers. Memoized so pans and pointer moves do not re-render them. */
export const RegionsLayer = memo(function RegionsLayer({
  view,
  highlightedKey,
  selectedRegionId,
  dropRegionId,
  hoverRegionId,
}: {
  view: BodyView;
  /** Highlighted region ids joined with '\n': a string keeps memo working when the parent passes a new array. */
  highlightedKey: string;
  selectedRegionId: string | null;
  dropRegionId: string | null;
  hoverRegionId: string | null;
}) {
  const highlighted = new Set(highlightedKey ? highlightedKey.split('\n') : []);
  return (
    <g className="body-map__regions">
      {regionsOfView(view).map((r) => (
        <path
          key={r.id}
          d={REGION_PATHS.get(r.id)}
          className={cx(
            'body-map__region',
            highlighted.has(r.id) && 'is-highlighted',
            (r.id === selectedRegionId || r.id === dropRegionId) && 'is-selected',
            r.id === hoverRegionId && 'is-hover',
          )}
          data-region-id={r.id}
          role="img"
          aria-label={REGION_NAMES.get(r.id)}
        />
      ))}
    </g>
  );
});
