import { useCallback, useEffect, useState } from 'react';
import type { BodyView } from '@kneadback/shared/body/index';
import type { Annotation, Round } from '@kneadback/shared/schemas/annotation';
import type { PeerPresence } from '../../lib/collab/useDebriefDoc.ts';
import { DEFAULT_VIEWPORT, sameViewport, type Viewport } from './body-map/index.ts';

export interface MapView {
  round: Round;
  view: BodyView;
  viewport: Viewport;
  selectedId: string | null;
}

const INITIAL: MapView = {
  round: 1,
  // Most of a table massage happens on the back, so that is where a debrief starts
  view: 'posterior',
  viewport: DEFAULT_VIEWPORT,
  selectedId: null,
};

/**
 * What this person is looking at. While following the partner, their round, view, zoom and
 * selection are mirrored; any change the person makes themselves stops following.
 */
export function useMapView(partner: PeerPresence | null) {
  const [state, setState] = useState<MapView>(INITIAL);
  const [following, setFollowing] = useState(false);

  const change = useCallback((patch: Partial<MapView>) => {
    setFollowing(false);
    setState((s) => merge(s, patch));
  }, []);

  useEffect(() => {
    if (!following) return;
    if (!partner) {
      setFollowing(false);
      return;
    }
    setState((s) =>
      merge(s, {
        round: partner.round ?? s.round,
        view: partner.view ?? s.view,
        viewport: partner.viewport ?? s.viewport,
        selectedId: partner.selectedAnnotationId,
      }),
    );
  }, [following, partner]);

  return {
    ...state,
    following,
    setFollowing,
    setRound: useCallback((round: Round) => change({ round, selectedId: null }), [change]),
    setView: useCallback((view: BodyView) => change({ view }), [change]),
    setViewport: useCallback((viewport: Viewport) => change({ viewport }), [change]),
    select: useCallback((selectedId: string | null) => change({ selectedId }), [change]),
    /** Opens a mark where it is: its round, its view, selected. */
    focusMark: useCallback(
      (mark: Pick<Annotation, 'id' | 'round' | 'position'>) =>
        change({ round: mark.round, view: mark.position.view, selectedId: mark.id }),
      [change],
    ),
  };
}

/** Keeps the same object when nothing changed, so a partner's pointer moves do not re-render the map. */
function merge(s: MapView, patch: Partial<MapView>): MapView {
  const next = { ...s, ...patch };
  const same =
    next.round === s.round &&
    next.view === s.view &&
    next.selectedId === s.selectedId &&
    sameViewport(next.viewport, s.viewport);
  return same ? s : { ...next, viewport: sameViewport(next.viewport, s.viewport) ? s.viewport : next.viewport };
}
