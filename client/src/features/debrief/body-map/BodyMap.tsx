import { useId, useRef } from 'react';
import type { CSSProperties, ReactNode } from 'react';
import { BODY_SILHOUETTE, BODY_VIEW_LABELS, polygonToPath, sideLabel } from '@kneadback/shared/body/index';
import type { BodyView } from '@kneadback/shared/body/index';
import type { Annotation, MarkPosition } from '@kneadback/shared/schemas/annotation';
import { cx } from '../../../app/ui/cx.ts';
import { Crosshair } from './Crosshair.tsx';
import { BodyMapToolbar } from './BodyMapToolbar.tsx';
import { clampViewport, MAX_SCALE, pixelsPerUnit, visibleRect } from './geometry.ts';
import type { Viewport } from './geometry.ts';
import { KeyboardHelp } from './KeyboardHelp.tsx';
import { MapTooltip } from './MapTooltip.tsx';
import { MarkItem } from './MarkItem.tsx';
import { MarksLayer } from './MarksLayer.tsx';
import { RegionsLayer } from './RegionsLayer.tsx';
import { RemotePointers, RemotePointersElsewhere } from './RemotePointers.tsx';
import type { RemotePointer } from './RemotePointers.tsx';
import { EdgeLetters, OrientationBar } from './SideLabels.tsx';
import { useMapGestures } from './useMapGestures.ts';
import { useMapInteraction } from './useMapInteraction.ts';
import { useMapKeyboard } from './useMapKeyboard.ts';
import { useMapMarks } from './useMapMarks.ts';
import { useMapTooltip } from './useMapTooltip.ts';
import { usePointerReports } from './usePointerReports.ts';
import type { PointerPosition } from './usePointerReports.ts';
import { useStageSize } from './useStageSize.ts';
import { useWheelZoom } from './useWheelZoom.ts';
import { ZoomControls } from './ZoomControls.tsx';
import './bodyMap.css';

export interface BodyMapProps {
  /** The view shown (one at a time). The component renders the Front/Back toggle. */
  view: BodyView;
  /**
   * The Front/Back toggle was used. The component also calls onViewportChange with the same zoom and the x mirrored,
   * so the map stays on the same body part and side (the receiver's left shoulder is on screen right from the front
   * and on screen left from the back).
   */
  onViewChange: (view: BodyView) => void;
  /** The round's marks, both views; only those on `view` are drawn. Keep the array (and its items) referentially stable
   * between unrelated renders: marks are memoized by object identity. */
  marks: readonly Annotation[];
  /** The selected mark: drawn ringed, never clustered, draggable when onMove is given. */
  selectedId: string | null;
  /** A mark or cluster-at-max-zoom was tapped (id), or the background was tapped / Escape pressed (null). */
  onSelect: (id: string | null) => void;
  /**
   * A tap on the body (or Enter on the keyboard crosshair) asks for a new mark here; regionId is resolved with
   * regionAt (snapping up to REGION_SNAP_DISTANCE). Taps outside the body, pans, pinches and drags never call it. Not
   * called while `readOnly` or `hideMarks`.
   */
  onPlace: (position: MarkPosition) => void;
  /**
   * The selected mark was dragged (pointer) or nudged (arrow keys while the mark has focus) to a new position. Called
   * once on drop, not during the drag. Drops outside the body are cancelled. Omit to make marks immovable.
   */
  onMove?: (id: string, position: MarkPosition) => void;
  /** Regions to emphasise (e.g. the region of a mark hovered in the list panel). The selected mark's region is
   * emphasised automatically. */
  highlightedRegionIds?: readonly string[];
  /** Hide all marks for a clean look at the body; a note says how many are hidden. Taps do not place while hidden. */
  hideMarks?: boolean;
  /** Partners' pointers; those on the other view are listed as text under the map. */
  remotePointers?: readonly RemotePointer[];
  /** The local pointer moved over the map (throttled to ~20 per second on animation frames) or left it (null). */
  onPointerMove?: (pointer: PointerPosition | null) => void;
  /** Controlled zoom and pan; see Viewport. Values from a partner are clamped to this screen. */
  viewport: Viewport;
  /** Pinch, wheel, drag-to-pan, keys, zoom buttons and cluster taps ask for a new viewport. */
  onViewportChange: (viewport: Viewport) => void;
  /** No placing and no moving (reviewing a past debrief); selecting, zooming and panning still work. */
  readOnly?: boolean;
  /** Accessible name of the map, e.g. "Sam's body, round 1". Default "Receiver's body". */
  label?: string;
  /** Extra controls rendered in the map's toolbar, after the Front/Back toggle (e.g. Hide marks, Follow partner). */
  toolbar?: ReactNode;
  className?: string;
}

// Path strings are computed once, not per render.
const SILHOUETTE_PATHS: Record<BodyView, string> = {
  anterior: polygonToPath(BODY_SILHOUETTE.anterior),
  posterior: polygonToPath(BODY_SILHOUETTE.posterior),
};

/**
 * The receiver's body, one view at a time, with the round's marks. Presentational and fully controlled: the parent
 * owns view, viewport, selection and marks, and hears about taps, drags and gestures through callbacks.
 *
 * Give its container a height; the map fills it (the drawing area is at least 24rem tall, or --body-map-min-height).
 *
 * Pointer: tap the body to place, tap a mark to select, drag the selected mark to move it, drag elsewhere (or one
 * finger) to pan, pinch or wheel to zoom. A pointer that moves more than 8px is never a tap.
 * Keyboard (map focused): arrows pan, + / - zoom, 0 shows the whole body, Enter places a mark at the crosshair,
 * Escape clears the selection; Tab reaches each mark and cluster (Enter selects / opens; arrows nudge the selected mark).
 */
export function BodyMap({
  view,
  onViewChange,
  marks,
  selectedId,
  onSelect,
  onPlace,
  onMove,
  highlightedRegionIds,
  hideMarks = false,
  remotePointers,
  onPointerMove,
  viewport,
  onViewportChange,
  readOnly = false,
  label = "Receiver's body",
  toolbar,
  className,
}: BodyMapProps) {
  const stageRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const helpId = useId();

  const size = useStageSize(stageRef);
  const vp = clampViewport(viewport, size);
  const ppu = pixelsPerUnit(vp, size);
  const box = visibleRect(vp, size);
  const canPlace = !readOnly && !hideMarks;
  const canMove = !readOnly && !hideMarks && onMove !== undefined;

  const { countsByView, viewMarks, selectedMark, clusters } = useMapMarks(marks, view, selectedId, ppu);
  const map = useMapInteraction(
    { view, vp, size, ppu, selectedId, selectedMark, clusters, canPlace, canMove, onSelect, onPlace, onMove },
    { svgRef, onViewChange, onViewportChange },
  );
  const reportPointer = usePointerReports(onPointerMove);
  useWheelZoom(svgRef, map.latest);
  const { tooltipRef, hoverRegionId, showTooltip } = useMapTooltip();
  const { drag, handlers: pointerHandlers } = useMapGestures(map, { svgRef, showTooltip, reportPointer });
  const { keyboardFocus, handlers: keyboardHandlers } = useMapKeyboard(map);

  const svgStyle = { '--bm-px': String(1 / ppu) } as CSSProperties;
  const sides = sideLabel(view);
  const hiddenCount = hideMarks ? viewMarks.length : 0;

  return (
    <div className={cx('body-map', className)}>
      <BodyMapToolbar view={view} countsByView={countsByView} onViewChange={map.changeView}>
        {toolbar}
      </BodyMapToolbar>
      <OrientationBar view={view} sides={sides} />

      <div className="body-map__stage" ref={stageRef} data-view={view}>
        <svg
          ref={svgRef}
          className={cx('body-map__svg', readOnly && 'is-read-only', canMove && 'can-move')}
          viewBox={`${box.x} ${box.y} ${box.width} ${box.height}`}
          preserveAspectRatio="xMidYMid meet"
          style={svgStyle}
          tabIndex={0}
          role="group"
          aria-roledescription="body map"
          aria-label={`${label}, ${BODY_VIEW_LABELS[view].toLowerCase()} view: ${sides.screenLeft} on the screen's left`}
          aria-describedby={helpId}
          {...pointerHandlers}
          {...keyboardHandlers}
          onContextMenu={(e) => e.preventDefault()}
        >
          <path className="body-map__silhouette" d={SILHOUETTE_PATHS[view]} />
          <RegionsLayer
            view={view}
            highlightedKey={highlightedRegionIds?.join('\n') ?? ''}
            selectedRegionId={selectedMark?.position.regionId ?? null}
            dropRegionId={drag?.regionId ?? null}
            hoverRegionId={hoverRegionId}
          />
          {!hideMarks && <MarksLayer clusters={clusters} view={view} canZoom={vp.scale < MAX_SCALE} />}
          {!hideMarks && selectedMark && (
            <MarkItem
              mark={selectedMark}
              x={drag?.id === selectedMark.id ? drag.x : selectedMark.position.x}
              y={drag?.id === selectedMark.id ? drag.y : selectedMark.position.y}
              selected
              dragging={drag?.id === selectedMark.id}
              invalidDrop={drag?.id === selectedMark.id && drag.regionId === null}
            />
          )}
          {remotePointers && remotePointers.length > 0 && <RemotePointers pointers={remotePointers} view={view} />}
          {keyboardFocus && <Crosshair at={vp} />}
        </svg>

        <EdgeLetters sides={sides} />
        <MapTooltip ref={tooltipRef} drag={drag} hoverRegionId={hoverRegionId} />

        {hiddenCount > 0 && (
          <p className="body-map__hidden-note">
            {hiddenCount} {hiddenCount === 1 ? 'mark' : 'marks'} hidden
          </p>
        )}

        <ZoomControls vp={vp} size={size} onViewportChange={map.emitViewport} />
      </div>

      {remotePointers && remotePointers.length > 0 && <RemotePointersElsewhere pointers={remotePointers} view={view} />}

      <KeyboardHelp id={helpId} readOnly={readOnly} keyboardFocus={keyboardFocus} view={view} vp={vp} />
    </div>
  );
}
