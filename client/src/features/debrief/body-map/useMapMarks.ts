import { useMemo } from 'react';
import type { BodyView } from '@kneadback/shared/body/index';
import type { Annotation } from '@kneadback/shared/schemas/annotation';
import { CLUSTER_DISTANCE_PX, clusterPoints } from './geometry.ts';

export interface MarkPoint {
  id: string;
  x: number;
  y: number;
  mark: Annotation;
}

/** The marks as the map draws them. Memoized so pointer moves and pans do not touch the marks. */
export function useMapMarks(marks: readonly Annotation[], view: BodyView, selectedId: string | null, ppu: number) {
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

  return { countsByView, viewMarks, selectedMark, clusters };
}
