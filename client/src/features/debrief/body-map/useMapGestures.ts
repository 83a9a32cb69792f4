import { useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent, RefObject } from 'react';
import { regionAt } from '@kneadback/shared/body/index';
import type { Point } from '@kneadback/shared/body/index';
import {
  exceedsTapThreshold,
  isInsideView,
  panByScreen,
  pinchViewport,
  roundViewPoint,
  screenToView,
} from './geometry.ts';
import { pinchFrame } from './gesture.ts';
import type { DragPreview, Gesture } from './gesture.ts';
import { hitTarget } from './hitTarget.ts';
import type { HitTarget } from './hitTarget.ts';
import type { MapInteraction } from './useMapInteraction.ts';
import type { PointerPosition } from './usePointerReports.ts';

interface GestureOptions {
  svgRef: RefObject<SVGSVGElement | null>;
  showTooltip: (regionId: string | null, at: Point | null, above: boolean) => void;
  reportPointer: (pointer: PointerPosition | null) => void;
}

/**
 * Pointer input on the map: tap the body to place, tap a mark to select, drag the selected mark to move it, drag
 * elsewhere (or one finger) to pan, pinch to zoom; hovering shows which region a click would land on.
 */
export function useMapGestures(map: MapInteraction, { svgRef, showTooltip, reportPointer }: GestureOptions) {
  const { view, vp, size, latest, selectedId, selectedMark, canPlace, canMove, onSelect, onPlace, onMove } = map;
  const { emitViewport, positionAt, activateCluster } = map;
  const gesture = useRef<Gesture>({ kind: 'idle' });
  const activePointers = useRef(new Map<number, Point>());
  const [drag, setDrag] = useState<DragPreview | null>(null);

  function stagePoint(e: { clientX: number; clientY: number }): Point {
    const r = svgRef.current?.getBoundingClientRect();
    return r ? { x: e.clientX - r.left, y: e.clientY - r.top } : { x: e.clientX, y: e.clientY };
  }

  function setPanning(on: boolean) {
    svgRef.current?.classList.toggle('is-panning', on);
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

  function onPointerDown(e: ReactPointerEvent<SVGSVGElement>) {
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

  function onPointerMove(e: ReactPointerEvent<SVGSVGElement>) {
    const at = stagePoint(e);
    const viewPoint = screenToView(at, vp, size);
    reportPointer(isInsideView(viewPoint) ? { view, ...roundViewPoint(viewPoint) } : null);

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

  function onPointerLeave(e: ReactPointerEvent<SVGSVGElement>) {
    if (activePointers.current.has(e.pointerId)) return;
    showTooltip(null, null, false);
    reportPointer(null);
  }

  const handlers = {
    onPointerDown,
    onPointerMove,
    onPointerUp: (e: ReactPointerEvent<SVGSVGElement>) => endPointer(e, false),
    onPointerCancel: (e: ReactPointerEvent<SVGSVGElement>) => endPointer(e, true),
    onPointerLeave,
  };
  return { drag, handlers };
}
