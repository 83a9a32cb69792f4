import { memo, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type {
  CSSProperties,
  FocusEvent as ReactFocusEvent,
  KeyboardEvent as ReactKeyboardEvent,
  MouseEvent as ReactMouseEvent,
  PointerEvent as ReactPointerEvent,
  ReactNode,
} from 'react';
import {
  BODY_REGIONS,
  BODY_SILHOUETTE,
  BODY_VIEW_LABELS,
  BODY_VIEW_WIDTH,
  BODY_VIEWS,
  polygonToPath,
  regionAt,
  regionsOfView,
  sideLabel,
} from '@kneadback/shared/body/index';
import type { BodyView, Point } from '@kneadback/shared/body/index';
import type { Annotation, MarkPosition } from '@kneadback/shared/schemas/annotation';
import { cx } from '../../../app/ui/cx.ts';
import {
  CLUSTER_DISTANCE_PX,
  clampViewport,
  clusterPoints,
  DEFAULT_VIEWPORT,
  distance,
  exceedsTapThreshold,
  isInsideView,
  MAX_SCALE,
  MIN_SCALE,
  panByScreen,
  pinchViewport,
  pixelsPerUnit,
  roundViewPoint,
  sameViewport,
  screenToView,
  visibleRect,
  zoomAround,
  zoomBy,
  zoomToCluster,
} from './geometry.ts';
import type { Cluster, PinchFrame, Size, Viewport } from './geometry.ts';
import { categorySummary, clusterLabel, markLabel, regionName } from './labels.ts';
import { ClusterGlyph, MarkGlyph } from './MarkGlyph.tsx';
import { createRafThrottle } from './rafThrottle.ts';
import type { RafThrottle } from './rafThrottle.ts';
import { RemotePointers, RemotePointersElsewhere } from './RemotePointers.tsx';
import type { RemotePointer } from './RemotePointers.tsx';
import './bodyMap.css';

/** Where the local pointer is on the shown view (view units), for partners to see; null when it left the map. */
export interface PointerPosition {
  view: BodyView;
  x: number;
  y: number;
}

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

// ------------------------------------------------------------------------------------------------------------------
// Module-level constants: path strings are computed once, not per render.

const REGION_PATHS: ReadonlyMap<string, string> = new Map(BODY_REGIONS.map((r) => [r.id, polygonToPath(r.outline)]));
const REGION_NAMES: ReadonlyMap<string, string> = new Map(BODY_REGIONS.map((r) => [r.id, regionName(r.id, r.view)]));
const SILHOUETTE_PATHS: Record<BodyView, string> = {
  anterior: polygonToPath(BODY_SILHOUETTE.anterior),
  posterior: polygonToPath(BODY_SILHOUETTE.posterior),
};
const VIEW_HINTS: Record<BodyView, string> = {
  anterior: 'you face the receiver',
  posterior: 'you stand behind the receiver',
};

/** Zoom factor of one button press or +/- key. */
const ZOOM_STEP = 1.5;
/** Arrow keys pan this many CSS pixels (Shift: three times as far). */
const KEY_PAN_PX = 48;
/** Arrow keys nudge a selected mark this many CSS pixels (Shift: four times as far). */
const KEY_NUDGE_PX = 4;
/** Local pointer reports per second at most. */
const POINTER_REPORT_INTERVAL_MS = 50;
/** Hit radius of marks and clusters, CSS pixels (a 40px target; neighbours closer than that are clustered anyway). */
const HIT_RADIUS = 20;

interface MarkPoint {
  id: string;
  x: number;
  y: number;
  mark: Annotation;
}

type HitTarget = { kind: 'mark'; id: string } | { kind: 'cluster'; id: string } | { kind: 'map' };

type Gesture =
  | { kind: 'idle' }
  /** One pointer down, not yet past the tap threshold. */
  | { kind: 'press'; pointerId: number; start: Point; target: HitTarget; startViewport: Viewport }
  | { kind: 'pan'; pointerId: number; start: Point; startViewport: Viewport }
  /** Dragging the selected mark; grab is the mark's offset from the pointer in view units. */
  | { kind: 'drag'; pointerId: number; id: string; grab: Point }
  | { kind: 'pinch'; ids: [number, number]; from: PinchFrame; startViewport: Viewport };

interface DragPreview {
  id: string;
  x: number;
  y: number;
  regionId: string | null;
}

function hitTarget(el: EventTarget | null): HitTarget {
  if (!(el instanceof Element)) return { kind: 'map' };
  const mark = el.closest('[data-mark-id]');
  const markId = mark?.getAttribute('data-mark-id');
  if (markId) return { kind: 'mark', id: markId };
  const cluster = el.closest('[data-cluster-id]');
  const clusterId = cluster?.getAttribute('data-cluster-id');
  if (clusterId) return { kind: 'cluster', id: clusterId };
  return { kind: 'map' };
}

function pinchFrame(a: Point, b: Point): PinchFrame {
  return { mid: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, distance: distance(a, b) };
}

function formatScale(scale: number): string {
  return `${Math.round(scale * 10) / 10}×`;
}

// ------------------------------------------------------------------------------------------------------------------

/**
 * The receiver's body, one view at a time, with the round's marks. Presentational and fully controlled: the parent
 * owns view, viewport, selection and marks, and hears about taps, drags and gestures through callbacks.
 *
 * Give its container a height; the map fills it (the drawing area is at least 24rem tall).
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
  const tooltipRef = useRef<HTMLDivElement>(null);
  const gesture = useRef<Gesture>({ kind: 'idle' });
  const activePointers = useRef(new Map<number, Point>());
  const helpId = useId();

  const [size, setSize] = useState<Size>({ width: 0, height: 0 });
  const [hoverRegionId, setHoverRegionId] = useState<string | null>(null);
  const [drag, setDrag] = useState<DragPreview | null>(null);
  const [keyboardFocus, setKeyboardFocus] = useState(false);

  const vp = clampViewport(viewport, size);
  const ppu = pixelsPerUnit(vp, size);
  const box = visibleRect(vp, size);
  const canPlace = !readOnly && !hideMarks;
  const canMove = !readOnly && !hideMarks && onMove !== undefined;

  // Latest values for listeners that outlive a render (wheel, animation frames).
  const latest = useRef({ vp, size, onViewportChange, onPointerMove });
  useLayoutEffect(() => {
    latest.current = { vp, size, onViewportChange, onPointerMove };
  });

  // Measure the drawing area; the viewBox and constant-size glyphs depend on it.
  useLayoutEffect(() => {
    const el = stageRef.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      setSize((prev) =>
        prev.width === r.width && prev.height === r.height ? prev : { width: r.width, height: r.height },
      );
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Local pointer reports, throttled; a final null on unmount so partners' arrows for us disappear.
  const pointerThrottle = useRef<RafThrottle<PointerPosition> | null>(null);
  useEffect(() => {
    const throttle = createRafThrottle<PointerPosition>(POINTER_REPORT_INTERVAL_MS, (p) =>
      latest.current.onPointerMove?.(p),
    );
    pointerThrottle.current = throttle;
    return () => {
      pointerThrottle.current = null;
      if (throttle.cancel()) latest.current.onPointerMove?.(null);
    };
  }, []);

  // Wheel zoom towards the cursor. A native listener: React's wheel listener is passive and cannot preventDefault.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (e: WheelEvent) => {
      const { vp: current, size: s, onViewportChange: emit } = latest.current;
      const lineHeight = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? Math.max(s.height, 400) : 1;
      // Trackpad pinches arrive as ctrl+wheel with small deltas.
      const sensitivity = e.ctrlKey ? 0.01 : 0.002;
      const factor = Math.exp(-e.deltaY * lineHeight * sensitivity);
      const r = svg.getBoundingClientRect();
      const next = zoomAround(current, s, { x: e.clientX - r.left, y: e.clientY - r.top }, current.scale * factor);
      // At a zoom limit let the page scroll instead of swallowing the wheel.
      if (sameViewport(next, current)) return;
      e.preventDefault();
      latest.current.vp = next;
      emit(next);
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, []);

  // ----- derived data (memoized so pointer moves and pans do not touch the marks) -----

  const countsByView = useMemo(() => {
    const counts: Record<BodyView, number> = { anterior: 0, posterior: 0 };
    for (const m of marks) counts[m.position.view] += 1;
    return counts;
  }, [marks]);

  const viewMarks = useMemo(() => marks.filter((m) => m.position.view === view), [marks, view]);

  const selectedMark = useMemo(
    () => (selectedId === null ? null : (viewMarks.find((m) => m.id === selectedId) ?? null)),
    [viewMarks, selectedId],
  );

  // Resolved marks first so open ones are drawn on top; the selected mark is drawn on its own, above everything.
  const clusterInput = useMemo(() => {
    const resolved: MarkPoint[] = [];
    const open: MarkPoint[] = [];
    for (const m of viewMarks) {
      if (m.id === selectedId) continue;
      const point = { id: m.id, x: m.position.x, y: m.position.y, mark: m };
      (m.status === 'resolved' ? resolved : open).push(point);
    }
    return [...resolved, ...open];
  }, [viewMarks, selectedId]);

  const clusters = useMemo(() => clusterPoints(clusterInput, CLUSTER_DISTANCE_PX / ppu), [clusterInput, ppu]);

  const highlightedKey = highlightedRegionIds?.join('\n') ?? '';
  const sides = sideLabel(view);
  const centreRegion = keyboardFocus ? regionAt(view, { x: vp.x, y: vp.y }) : null;
  const tooltipText = drag
    ? drag.regionId
      ? (REGION_NAMES.get(drag.regionId) ?? null)
      : 'Outside the body: dropping here cancels the move'
    : hoverRegionId
      ? (REGION_NAMES.get(hoverRegionId) ?? null)
      : null;

  // ----- helpers used by event handlers -----

  function emitViewport(next: Viewport) {
    if (sameViewport(next, latest.current.vp)) return;
    latest.current.vp = next;
    onViewportChange(next);
  }

  function stagePoint(e: { clientX: number; clientY: number }): Point {
    const r = svgRef.current?.getBoundingClientRect();
    return r ? { x: e.clientX - r.left, y: e.clientY - r.top } : { x: e.clientX, y: e.clientY };
  }

  function positionAt(point: Point): MarkPosition | null {
    if (!isInsideView(point)) return null;
    const region = regionAt(view, point);
    if (!region) return null;
    return { view, ...roundViewPoint(point), regionId: region.id };
  }

  function showTooltip(regionId: string | null, at: Point | null, above: boolean) {
    setHoverRegionId(regionId);
    const el = tooltipRef.current;
    if (!el || !at) return;
    el.style.transform = above
      ? `translate(${at.x}px, ${at.y - 56}px) translate(-50%, -100%)`
      : `translate(${at.x + 16}px, ${at.y + 20}px)`;
  }

  function setPanning(on: boolean) {
    svgRef.current?.classList.toggle('is-panning', on);
  }

  function activateCluster(id: string, fromKeyboard: boolean) {
    const cluster: Cluster<MarkPoint> | undefined = clusters.find((c) => c.id === id);
    if (!cluster) return;
    const next = zoomToCluster(vp, size, cluster);
    if (next) emitViewport(next);
    else onSelect(cluster.members[0]!.id);
    // The cluster unmounts when it opens up; keep keyboard focus on the map instead of losing it to <body>.
    if (fromKeyboard) svgRef.current?.focus();
  }

  function tap(target: HitTarget, at: Point) {
    if (target.kind === 'mark') {
      if (target.id !== selectedId) onSelect(target.id);
      return;
    }
    if (target.kind === 'cluster') {
      activateCluster(target.id, false);
      return;
    }
    const position = canPlace ? positionAt(screenToView(at, vp, size)) : null;
    if (position) onPlace(position);
    else if (selectedId !== null) onSelect(null);
  }

  function dragTo(g: Extract<Gesture, { kind: 'drag' }>, at: Point): DragPreview {
    const raw = screenToView(at, latest.current.vp, size);
    const point = roundViewPoint({ x: raw.x + g.grab.x, y: raw.y + g.grab.y });
    const region = regionAt(view, point);
    return { id: g.id, ...point, regionId: region?.id ?? null };
  }

  function changeView(next: BodyView) {
    if (next === view) return;
    onViewChange(next);
    // Same body part, same side: mirror x, since the receiver's left swaps screen sides between front and back.
    emitViewport(clampViewport({ scale: vp.scale, x: BODY_VIEW_WIDTH - vp.x, y: vp.y }, size));
  }

  // ----- pointer events -----

  function handlePointerDown(e: ReactPointerEvent<SVGSVGElement>) {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    const at = stagePoint(e);
    const pointers = activePointers.current;
    if (pointers.size >= 2) return; // a third finger changes nothing
    pointers.set(e.pointerId, at);
    try {
      e.currentTarget.setPointerCapture(e.pointerId);
    } catch {
      // capture is a nicety (keeps the drag alive outside the map); not every pointer supports it
    }
    if (pointers.size === 1) {
      gesture.current = {
        kind: 'press',
        pointerId: e.pointerId,
        start: at,
        target: hitTarget(e.target),
        startViewport: vp,
      };
      return;
    }
    // Second finger: whatever the first was doing becomes a pinch.
    const [a, b] = [...pointers.entries()];
    if (gesture.current.kind === 'drag') setDrag(null);
    showTooltip(null, null, false);
    gesture.current = {
      kind: 'pinch',
      ids: [a![0], b![0]],
      from: pinchFrame(a![1], b![1]),
      startViewport: latest.current.vp,
    };
  }

  function handlePointerMove(e: ReactPointerEvent<SVGSVGElement>) {
    const at = stagePoint(e);
    const viewPoint = screenToView(at, vp, size);
    pointerThrottle.current?.push(isInsideView(viewPoint) ? { view, ...roundViewPoint(viewPoint) } : null);

    const pointers = activePointers.current;
    if (!pointers.has(e.pointerId)) {
      // Hovering (mouse, pen): show which region a click would land on.
      if (e.pointerType !== 'touch') {
        const overMark = hitTarget(e.target).kind !== 'map';
        const region = !overMark && isInsideView(viewPoint) ? regionAt(view, viewPoint) : null;
        showTooltip(region?.id ?? null, at, false);
      }
      return;
    }
    pointers.set(e.pointerId, at);
    const g = gesture.current;
    switch (g.kind) {
      case 'press': {
        if (g.pointerId !== e.pointerId || !exceedsTapThreshold(g.start, at)) return;
        if (g.target.kind === 'mark' && g.target.id === selectedId && canMove && selectedMark) {
          const grabbedAt = screenToView(g.start, g.startViewport, size);
          const next: Gesture = {
            kind: 'drag',
            pointerId: g.pointerId,
            id: selectedMark.id,
            grab: { x: selectedMark.position.x - grabbedAt.x, y: selectedMark.position.y - grabbedAt.y },
          };
          gesture.current = next;
          const preview = dragTo(next, at);
          setDrag(preview);
          showTooltip(preview.regionId, at, true);
          return;
        }
        gesture.current = { kind: 'pan', pointerId: g.pointerId, start: g.start, startViewport: g.startViewport };
        setPanning(true);
        showTooltip(null, null, false);
        emitViewport(panByScreen(g.startViewport, size, at.x - g.start.x, at.y - g.start.y));
        return;
      }
      case 'pan':
        if (g.pointerId !== e.pointerId) return;
        emitViewport(panByScreen(g.startViewport, size, at.x - g.start.x, at.y - g.start.y));
        return;
      case 'drag': {
        if (g.pointerId !== e.pointerId) return;
        const preview = dragTo(g, at);
        setDrag(preview);
        showTooltip(preview.regionId, at, true);
        return;
      }
      case 'pinch': {
        const a = pointers.get(g.ids[0]);
        const b = pointers.get(g.ids[1]);
        if (!a || !b) return;
        emitViewport(pinchViewport(g.startViewport, size, g.from, pinchFrame(a, b)));
        return;
      }
      case 'idle':
        return;
    }
  }

  function endPointer(e: ReactPointerEvent<SVGSVGElement>, cancelled: boolean) {
    const pointers = activePointers.current;
    if (!pointers.delete(e.pointerId)) return;
    const at = stagePoint(e);
    const g = gesture.current;
    switch (g.kind) {
      case 'press':
        gesture.current = { kind: 'idle' };
        if (!cancelled && g.pointerId === e.pointerId) tap(g.target, at);
        return;
      case 'drag': {
        gesture.current = { kind: 'idle' };
        setDrag(null);
        showTooltip(null, null, false);
        if (cancelled || !onMove) return;
        const drop = dragTo(g, at);
        if (drop.regionId) onMove(g.id, { view, x: drop.x, y: drop.y, regionId: drop.regionId });
        return;
      }
      case 'pan':
        gesture.current = { kind: 'idle' };
        setPanning(false);
        return;
      case 'pinch': {
        // The finger left on the glass keeps panning from where it is; lifting it is not a tap.
        const rest = [...pointers.entries()][0];
        gesture.current = rest
          ? { kind: 'pan', pointerId: rest[0], start: rest[1], startViewport: latest.current.vp }
          : { kind: 'idle' };
        return;
      }
      case 'idle':
        return;
    }
  }

  function handlePointerLeave(e: ReactPointerEvent<SVGSVGElement>) {
    if (activePointers.current.has(e.pointerId)) return;
    showTooltip(null, null, false);
    pointerThrottle.current?.push(null);
  }

  // ----- keyboard -----

  function handleKeyDown(e: ReactKeyboardEvent<SVGSVGElement>) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const target = hitTarget(e.target);
    const onMap = e.target === e.currentTarget;
    // Keys on a map focused by a click: show the crosshair from now on, so Enter never places at an invisible point.
    if (onMap && !keyboardFocus) setKeyboardFocus(true);
    switch (e.key) {
      case 'Enter':
      case ' ': {
        if (target.kind === 'mark') onSelect(target.id);
        else if (target.kind === 'cluster') activateCluster(target.id, true);
        else if (onMap && canPlace && keyboardFocus) {
          const position = positionAt({ x: vp.x, y: vp.y });
          if (position) onPlace(position);
        } else if (!onMap) return;
        break;
      }
      case 'Escape':
        if (selectedId === null) return;
        onSelect(null);
        break;
      case '+':
      case '=':
        emitViewport(zoomBy(vp, size, ZOOM_STEP));
        break;
      case '-':
      case '_':
        emitViewport(zoomBy(vp, size, 1 / ZOOM_STEP));
        break;
      case '0':
        emitViewport(clampViewport(DEFAULT_VIEWPORT, size));
        break;
      case 'ArrowUp':
      case 'ArrowDown':
      case 'ArrowLeft':
      case 'ArrowRight': {
        const dx = e.key === 'ArrowLeft' ? -1 : e.key === 'ArrowRight' ? 1 : 0;
        const dy = e.key === 'ArrowUp' ? -1 : e.key === 'ArrowDown' ? 1 : 0;
        if (target.kind === 'mark' && target.id === selectedId && canMove && selectedMark && onMove) {
          const step = (e.shiftKey ? KEY_NUDGE_PX * 4 : KEY_NUDGE_PX) / ppu;
          const position = positionAt(
            roundViewPoint({ x: selectedMark.position.x + dx * step, y: selectedMark.position.y + dy * step }),
          );
          if (position) onMove(selectedMark.id, position);
        } else {
          // The content moves the other way: ArrowRight shows more of the screen-right side.
          const step = e.shiftKey ? KEY_PAN_PX * 3 : KEY_PAN_PX;
          emitViewport(panByScreen(vp, size, -dx * step, -dy * step));
        }
        break;
      }
      default:
        return;
    }
    e.preventDefault();
  }

  function handleClick(e: ReactMouseEvent<SVGSVGElement>) {
    // Pointer taps are handled on pointerup; a click with detail 0 comes from assistive tech or a synthetic activation.
    if (e.detail !== 0) return;
    const target = hitTarget(e.target);
    if (target.kind === 'mark') onSelect(target.id);
    else if (target.kind === 'cluster') activateCluster(target.id, true);
  }

  function handleFocus(e: ReactFocusEvent<SVGSVGElement>) {
    if (e.target !== e.currentTarget) return;
    let visible = true;
    try {
      visible = e.currentTarget.matches(':focus-visible');
    } catch {
      // old engines without :focus-visible: assume keyboard
    }
    setKeyboardFocus(visible);
  }

  function handleBlur(e: ReactFocusEvent<SVGSVGElement>) {
    if (e.target === e.currentTarget) setKeyboardFocus(false);
  }

  const svgStyle = { '--bm-px': String(1 / ppu) } as CSSProperties;
  const screenLeftLetter = sides.screenLeft === "Receiver's left" ? 'L' : 'R';
  const screenRightLetter = screenLeftLetter === 'L' ? 'R' : 'L';
  const hiddenCount = hideMarks ? viewMarks.length : 0;

  return (
    <div className={cx('body-map', className)}>
      <div className="body-map__toolbar">
        <div className="body-map__views" role="group" aria-label="Body view">
          {BODY_VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              className="body-map__view-button"
              aria-pressed={v === view}
              onClick={() => changeView(v)}
            >
              {BODY_VIEW_LABELS[v]}
              <span className="body-map__view-count">
                {countsByView[v]}
                <span className="body-map__sr-only"> {countsByView[v] === 1 ? 'mark' : 'marks'}</span>
              </span>
            </button>
          ))}
        </div>
        {toolbar}
      </div>

      <div className="body-map__orientation" data-view={view}>
        <span className="body-map__side body-map__side--start">
          <span aria-hidden="true">◀ </span>
          <span className="body-map__sr-only">Screen left: </span>
          {sides.screenLeft}
        </span>
        <span className="body-map__view-name">
          <strong>{BODY_VIEW_LABELS[view]}</strong>
          <span className="body-map__view-hint"> · {VIEW_HINTS[view]}</span>
        </span>
        <span className="body-map__side body-map__side--end">
          <span className="body-map__sr-only">Screen right: </span>
          {sides.screenRight}
          <span aria-hidden="true"> ▶</span>
        </span>
      </div>

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
          onPointerDown={handlePointerDown}
          onPointerMove={handlePointerMove}
          onPointerUp={(e) => endPointer(e, false)}
          onPointerCancel={(e) => endPointer(e, true)}
          onPointerLeave={handlePointerLeave}
          onKeyDown={handleKeyDown}
          onClick={handleClick}
          onFocus={handleFocus}
          onBlur={handleBlur}
          onContextMenu={(e) => e.preventDefault()}
        >
          <path className="body-map__silhouette" d={SILHOUETTE_PATHS[view]} />
          <RegionsLayer
            view={view}
            highlightedKey={highlightedKey}
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
          {keyboardFocus && (
            <g className="body-map__crosshair" transform={`translate(${vp.x} ${vp.y})`} aria-hidden="true">
              <g className="body-map__px">
                <circle r={12} />
                <path d="M-22 0 H-6 M6 0 H22 M0 -22 V-6 M0 6 V22" />
              </g>
            </g>
          )}
        </svg>

        <span className="body-map__edge body-map__edge--start" aria-hidden="true">
          {screenLeftLetter}
        </span>
        <span className="body-map__edge body-map__edge--end" aria-hidden="true">
          {screenRightLetter}
        </span>

        <div
          ref={tooltipRef}
          className={cx('body-map__tooltip', drag && drag.regionId === null && 'is-warning')}
          aria-hidden="true"
          hidden={!tooltipText}
        >
          {tooltipText}
        </div>

        {hiddenCount > 0 && (
          <p className="body-map__hidden-note">
            {hiddenCount} {hiddenCount === 1 ? 'mark' : 'marks'} hidden
          </p>
        )}

        <div className="body-map__zoom" role="group" aria-label="Zoom">
          <button
            type="button"
            className="body-map__zoom-button"
            aria-label="Zoom in"
            disabled={vp.scale >= MAX_SCALE}
            onClick={() => emitViewport(zoomBy(vp, size, ZOOM_STEP))}
          >
            <svg viewBox="-10 -10 20 20" aria-hidden="true" focusable="false">
              <path d="M-6 0 H6 M0 -6 V6" />
            </svg>
          </button>
          <button
            type="button"
            className="body-map__zoom-button"
            aria-label="Zoom out"
            disabled={vp.scale <= MIN_SCALE}
            onClick={() => emitViewport(zoomBy(vp, size, 1 / ZOOM_STEP))}
          >
            <svg viewBox="-10 -10 20 20" aria-hidden="true" focusable="false">
              <path d="M-6 0 H6" />
            </svg>
          </button>
          <button
            type="button"
            className="body-map__zoom-button"
            aria-label="Show the whole body"
            disabled={vp.scale <= MIN_SCALE}
            onClick={() => emitViewport(clampViewport(DEFAULT_VIEWPORT, size))}
          >
            <svg viewBox="-10 -10 20 20" aria-hidden="true" focusable="false">
              <path d="M-7 -3 V-7 H-3 M3 -7 H7 V-3 M7 3 V7 H3 M-3 7 H-7 V3" />
            </svg>
          </button>
          <span className="body-map__zoom-level" aria-label={`Zoom ${formatScale(vp.scale)}`}>
            {formatScale(vp.scale)}
          </span>
        </div>
      </div>

      {remotePointers && remotePointers.length > 0 && <RemotePointersElsewhere pointers={remotePointers} view={view} />}

      <p id={helpId} className="body-map__sr-only">
        {readOnly
          ? 'Arrow keys pan, plus and minus zoom, 0 shows the whole body. Tab to reach the marks.'
          : 'Tap the body to add a mark. Arrow keys pan, plus and minus zoom, 0 shows the whole body, Enter adds a mark at the crosshair, Escape clears the selection. Tab to reach the marks; arrow keys move the selected mark.'}
      </p>
      <p className="body-map__sr-only" aria-live="polite">
        {keyboardFocus
          ? `Crosshair on ${centreRegion ? (REGION_NAMES.get(centreRegion.id) ?? centreRegion.label) : 'no body region'}, zoom ${formatScale(vp.scale)}`
          : ''}
      </p>
    </div>
  );
}

// ------------------------------------------------------------------------------------------------------------------
// Layers. Memoized so that pans, pointer moves and partner pointers do not re-render the regions or the marks.

const RegionsLayer = memo(function RegionsLayer({
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

const MarksLayer = memo(function MarksLayer({
  clusters,
  view,
  canZoom,
}: {
  clusters: Cluster<MarkPoint>[];
  view: BodyView;
  canZoom: boolean;
}) {
  return (
    <g className="body-map__marks">
      {clusters.map((c) => {
        const first = c.members[0]!;
        if (c.members.length === 1) {
          return <MarkItem key={c.id} mark={first.mark} x={first.x} y={first.y} />;
        }
        const summary = categorySummary(c.members.map((m) => m.mark.category));
        return (
          <ClusterItem
            key={`cluster:${c.id}`}
            id={c.id}
            x={c.x}
            y={c.y}
            count={c.members.length}
            label={clusterLabel(c.members.length, first.mark.position.regionId, view, summary, canZoom)}
          />
        );
      })}
    </g>
  );
});

const MarkItem = memo(function MarkItem({
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

const ClusterItem = memo(function ClusterItem({
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
