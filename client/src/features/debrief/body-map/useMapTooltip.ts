import { useRef, useState } from 'react';
import type { Point } from '@kneadback/shared/body/index';

/**
 * The region under the pointer, and the tooltip that names it. The tooltip follows the pointer by a direct style write,
 * so pointer moves re-render nothing while the region stays the same.
 */
export function useMapTooltip() {
  const tooltipRef = useRef<HTMLDivElement>(null);
  const [hoverRegionId, setHoverRegionId] = useState<string | null>(null);

  /** Names regionId (null: nothing) at `at` in stage pixels; `above` lifts it clear of a finger dragging a mark. */
  function showTooltip(regionId: string | null, at: Point | null, above: boolean) {
    setHoverRegionId(regionId);
    const el = tooltipRef.current;
    if (!el || !at) return;
    el.style.transform = above
      ? `translate(${at.x}px, ${at.y - 56}px) translate(-50%, -100%)`
      : `translate(${at.x + 16}px, ${at.y + 20}px)`;
  }

  return { tooltipRef, hoverRegionId, showTooltip };
}
