import { useEffect } from 'react';
import type { RefObject } from 'react';
import { sameViewport, zoomAround } from './geometry.ts';
import type { LiveViewport } from './useMapInteraction.ts';

/** Wheel zoom towards the cursor. A native listener: React's wheel listener is passive and cannot preventDefault. */
export function useWheelZoom(svgRef: RefObject<SVGSVGElement | null>, latest: RefObject<LiveViewport>) {
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
  }, [svgRef, latest]);
}
