import type { Ref } from 'react';
import { cx } from '../../../app/ui/cx.ts';
import type { DragPreview } from './gesture.ts';
import { REGION_NAMES } from './labels.ts';

/** Names the region under the pointer, or where a dragged mark would land; useMapTooltip positions it. */
export function MapTooltip({
  ref,
  drag,
  hoverRegionId,
}: {
  ref: Ref<HTMLDivElement>;
  drag: DragPreview | null;
  hoverRegionId: string | null;
}) {
  const text = drag
    ? drag.regionId
      ? (REGION_NAMES.get(drag.regionId) ?? null)
      : 'Outside the body: dropping here cancels the move'
    : hoverRegionId
      ? (REGION_NAMES.get(hoverRegionId) ?? null)
      : null;
  return (
    <div
      ref={ref}
      className={cx('body-map__tooltip', drag && drag.regionId === null && 'is-warning')}
      aria-hidden="true"
      hidden={!text}
    >
      {text}
    </div>
  );
}
