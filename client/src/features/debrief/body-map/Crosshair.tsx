import type { Point } from '@kneadback/shared/body/index';

/** Where Enter places a mark: the centre of the view, shown while the map has keyboard focus. */
export function Crosshair({ at }: { at: Point }) {
  return (
    <g className="body-map__crosshair" transform={`translate(${at.x} ${at.y})`} aria-hidden="true">
      <g className="body-map__px">
        <circle r={12} />
        <path d="M-22 0 H-6 M6 0 H22 M0 -22 V-6 M0 6 V22" />
      </g>
    </g>
  );
}
