import { useLayoutEffect, useRef } from 'react';
import type { RefObject } from 'react';
import { BODY_VIEW_WIDTH, regionAt } from '@kneadback/shared/body/index';
import type { BodyView, Point } from '@kneadback/shared/body/index';
import type { Annotation, MarkPosition } from '@kneadback/shared/schemas/annotation';
import { clampViewport, isInsideView, roundViewPoint, sameViewport, zoomToCluster } from './geometry.ts';
import type { Cluster, Size, Viewport } from './geometry.ts';
import type { MarkPoint } from './useMapMarks.ts';

/** The viewport as last shown or asked for, for listeners that outlive a render (wheel, animation frames). */
export interface LiveViewport {
  vp: Viewport;
  size: Size;
  onViewportChange: (viewport: Viewport) => void;
}

/** The map as this render shows it, and what its pointer and keyboard handlers may ask of the parent. */
export interface MapState {
  view: BodyView;
  /** The viewport clamped to this screen. */
  vp: Viewport;
  size: Size;
  /** CSS pixels per view unit at vp. */
  ppu: number;
  selectedId: string | null;
  selectedMark: Annotation | null;
  clusters: Cluster<MarkPoint>[];
  canPlace: boolean;
  canMove: boolean;
  onSelect: (id: string | null) => void;
  onPlace: (position: MarkPosition) => void;
  onMove?: (id: string, position: MarkPosition) => void;
}

export interface MapInteraction extends MapState {
  latest: RefObject<LiveViewport>;
  /** Asks for a viewport unless it is the one last asked for. */
  emitViewport: (next: Viewport) => void;
  /** The position of a new mark at this view point; null outside the body. */
  positionAt: (point: Point) => MarkPosition | null;
  /** Zooms onto the cluster, or selects its first mark when zooming cannot split it. */
  activateCluster: (id: string, fromKeyboard: boolean) => void;
  changeView: (next: BodyView) => void;
}

interface MapInteractionOptions {
  svgRef: RefObject<SVGSVGElement | null>;
  onViewChange: (view: BodyView) => void;
  onViewportChange: (viewport: Viewport) => void;
}

/** What the pointer, keyboard and button handlers share: the live viewport and the requests they make of the parent. */
export function useMapInteraction(
  state: MapState,
  { svgRef, onViewChange, onViewportChange }: MapInteractionOptions,
): MapInteraction {
  const { view, vp, size, clusters, onSelect } = state;

  const latest = useRef<LiveViewport>({ vp, size, onViewportChange });
  useLayoutEffect(() => {
    latest.current = { vp, size, onViewportChange };
  });

  function emitViewport(next: Viewport) {
    if (sameViewport(next, latest.current.vp)) return;
    latest.current.vp = next;
    onViewportChange(next);
  }

  function positionAt(point: Point): MarkPosition | null {
    if (!isInsideView(point)) return null;
    const region = regionAt(view, point);
    if (!region) return null;
    return { view, ...roundViewPoint(point), regionId: region.id };
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

  function changeView(next: BodyView) {
    if (next === view) return;
    onViewChange(next);
    // Same body part, same side: mirror x, since the receiver's left swaps screen sides between front and back.
    emitViewport(clampViewport({ scale: vp.scale, x: BODY_VIEW_WIDTH - vp.x, y: vp.y }, size));
  }

  return { ...state, latest, emitViewport, positionAt, activateCluster, changeView };
}
