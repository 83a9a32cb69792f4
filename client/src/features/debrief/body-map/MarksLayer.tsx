import { memo } from 'react';
import type { BodyView } from '@kneadback/shared/body/index';
import { ClusterItem } from './ClusterItem.tsx';
import type { Cluster } from './geometry.ts';
import { categorySummary, clusterLabel } from './labels.ts';
import { MarkItem } from './MarkItem.tsx';
import type { MarkPoint } from './useMapMarks.ts';

/**
 * The marks except the selected one, single or clustered. Memoized so that pans, pointer moves and partner pointers do
 * not re-render the marks.
 */
export const MarksLayer = memo(function MarksLayer({
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
