import { memo } from 'react';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import { cx } from '../../../app/ui/cx.ts';
import { markLabel } from './labels.ts';
import { MarkGlyph } from './MarkGlyph.tsx';

/** Hit radius of marks and clusters, CSS pixels (a 40px target; neighbours closer than that are clustered anyway). */
export const HIT_RADIUS = 20;

/** One mark, a button at a constant screen size; the selected one is ringed. */
export const MarkItem = memo(function MarkItem({
  mark,
  x,
  y,
  selected = false,
  dragging = false,
  invalidDrop = false,
}: {
  mark: Annotation;
  x: number;
  y: number;
  selected?: boolean;
  dragging?: boolean;
  invalidDrop?: boolean;
}) {
  return (
    <g
      className={cx(
        'body-map__mark',
        selected && 'is-selected',
        dragging && 'is-dragging',
        invalidDrop && 'is-invalid',
        mark.status === 'resolved' && 'is-resolved',
      )}
      transform={`translate(${x} ${y})`}
      data-mark-id={mark.id}
      data-category={mark.category}
      role="button"
      tabIndex={0}
      aria-label={markLabel(mark)}
      aria-current={selected ? 'true' : undefined}
    >
      <g className="body-map__px">
        <circle className="body-map__hit" r={HIT_RADIUS} />
        {selected && (
          <>
            <circle className="body-map__selection-halo" r={16} />
            <circle className="body-map__selection-ring" r={16} />
          </>
        )}
        <circle className="body-map__focus-ring" r={selected ? 21 : 15} />
        <MarkGlyph
          category={mark.category}
          resolved={mark.status === 'resolved'}
          value={mark.category === 'pressure' ? mark.pressure : null}
        />
      </g>
    </g>
  );
});
