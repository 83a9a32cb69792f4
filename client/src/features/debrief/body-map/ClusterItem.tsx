import { memo } from 'react';
import { ClusterGlyph } from './MarkGlyph.tsx';
import { HIT_RADIUS } from './MarkItem.tsx';

/** Marks too close to tell apart at this zoom, drawn as one button with their count. */
export const ClusterItem = memo(function ClusterItem({
  id,
  x,
  y,
  count,
  label,
}: {
  id: string;
  x: number;
  y: number;
  count: number;
  label: string;
}) {
  return (
    <g
      className="body-map__cluster"
      transform={`translate(${x} ${y})`}
      data-cluster-id={id}
      role="button"
      tabIndex={0}
      aria-label={label}
    >
      <g className="body-map__px">
        <circle className="body-map__hit" r={HIT_RADIUS + 2} />
        <circle className="body-map__focus-ring" r={21} />
        <ClusterGlyph count={count} />
      </g>
    </g>
  );
});
