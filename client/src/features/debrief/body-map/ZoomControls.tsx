import { clampViewport, DEFAULT_VIEWPORT, MAX_SCALE, MIN_SCALE, zoomBy } from './geometry.ts';
import type { Size, Viewport } from './geometry.ts';
import { formatScale, ZOOM_STEP } from './zoom.ts';

export function ZoomControls({
  vp,
  size,
  onViewportChange,
}: {
  vp: Viewport;
  size: Size;
  onViewportChange: (viewport: Viewport) => void;
}) {
  return (
    <div className="body-map__zoom" role="group" aria-label="Zoom">
      <ZoomButton
        label="Zoom in"
        icon="M-6 0 H6 M0 -6 V6"
        disabled={vp.scale >= MAX_SCALE}
        onClick={() => onViewportChange(zoomBy(vp, size, ZOOM_STEP))}
      />
      <ZoomButton
        label="Zoom out"
        icon="M-6 0 H6"
        disabled={vp.scale <= MIN_SCALE}
        onClick={() => onViewportChange(zoomBy(vp, size, 1 / ZOOM_STEP))}
      />
      <ZoomButton
        label="Show the whole body"
        icon="M-7 -3 V-7 H-3 M3 -7 H7 V-3 M7 3 V7 H3 M-3 7 H-7 V3"
        disabled={vp.scale <= MIN_SCALE}
        onClick={() => onViewportChange(clampViewport(DEFAULT_VIEWPORT, size))}
      />
      <span className="body-map__zoom-level" aria-label={`Zoom ${formatScale(vp.scale)}`}>
        {formatScale(vp.scale)}
      </span>
    </div>
  );
}

function ZoomButton({
  label,
  icon,
  disabled,
  onClick,
}: {
  label: string;
  /** Path data in a 20×20 box centred on 0, 0. */
  icon: string;
  disabled: boolean;
  onClick: () => void;
}) {
  return (
    <button type="button" className="body-map__zoom-button" aria-label={label} disabled={disabled} onClick={onClick}>
      <svg viewBox="-10 -10 20 20" aria-hidden="true" focusable="false">
        <path d={icon} />
      </svg>
    </button>
  );
}
