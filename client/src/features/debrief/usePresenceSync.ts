import { useEffect } from 'react';
import type { PresencePatch } from '../../lib/collab/useDebriefDoc.ts';
import type { PointerPosition } from './body-map/index.ts';
import type { MapView } from './useMapView.ts';
import { useThrottled } from './useThrottled.ts';

/** Zoom and pan change every frame while pinching; partners only need a few updates a second. */
const VIEWPORT_INTERVAL_MS = 120;

/** Tells the partner what this person looks at; returns the handler for the map's pointer reports. */
export function usePresenceSync(setPresence: (patch: PresencePatch) => void, view: MapView) {
  const { round, view: bodyView, selectedId, viewport } = view;

  useEffect(() => {
    setPresence({ round, view: bodyView, selectedAnnotationId: selectedId });
  }, [setPresence, round, bodyView, selectedId]);

  const sendViewport = useThrottled(
    (next: MapView['viewport']) => setPresence({ viewport: next }),
    VIEWPORT_INTERVAL_MS,
  );
  useEffect(() => sendViewport(viewport), [sendViewport, viewport]);

  // The map already throttles pointer reports to animation frames
  return (pointer: PointerPosition | null) => setPresence({ pointer });
}
