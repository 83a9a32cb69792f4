import { useMemo, useState } from 'react';
import type { Annotation, MarkPosition } from '@kneadback/shared/schemas/annotation';
import type { PeerPresence } from '../../lib/collab/useDebriefDoc.ts';
import { BodyMap, type PointerPosition, type RemotePointer } from './body-map/index.ts';
import { receiverBodyLabel, type DebriefPeople } from './people.ts';
import type { useMapView } from './useMapView.ts';

interface DebriefMapProps {
  people: DebriefPeople;
  mapView: ReturnType<typeof useMapView>;
  marks: readonly Annotation[];
  selected: Annotation | null;
  peers: readonly PeerPresence[];
  onPlace: (position: MarkPosition) => void;
  onMove: (id: string, position: MarkPosition) => void;
  onPointerMove: (pointer: PointerPosition | null) => void;
}

/** The receiver's body for the current round, with partners' pointers and the "Hide marks" switch. */
export function DebriefMap({
  people,
  mapView,
  marks,
  selected,
  peers,
  onPlace,
  onMove,
  onPointerMove,
}: DebriefMapProps) {
  const [hideMarks, setHideMarks] = useState(false);
  const { round } = mapView;
  const bodyLabel = receiverBodyLabel(people, round);
  const remotePointers = useMemo(
    () =>
      peers.flatMap((p): RemotePointer[] =>
        // The person's own other devices are not "partners' pointers"
        p.pointer && p.round === round && p.user.id !== people.me.id
          ? [{ id: String(p.clientId), name: p.user.name, color: p.user.color, ...p.pointer }]
          : [],
      ),
    [peers, round, people.me.id],
  );

  return (
    <section className="debrief-map" aria-label={`Body map: ${bodyLabel}, round ${round}`}>
      <BodyMap
        className="debrief-map__map"
        label={`${bodyLabel}, round ${round}`}
        view={mapView.view}
        onViewChange={mapView.setView}
        viewport={mapView.viewport}
        onViewportChange={mapView.setViewport}
        marks={marks}
        selectedId={selected?.id ?? null}
        onSelect={mapView.select}
        onPlace={onPlace}
        onMove={onMove}
        hideMarks={hideMarks}
        remotePointers={remotePointers}
        onPointerMove={onPointerMove}
        toolbar={
          <button
            type="button"
            className="toggle-button"
            aria-pressed={hideMarks}
            onClick={() => setHideMarks(!hideMarks)}
          >
            Hide marks
          </button>
        }
      />
    </section>
  );
}
