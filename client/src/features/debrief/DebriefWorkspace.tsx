import { useCallback, useMemo } from 'react';
import { presenceColor } from '@kneadback/shared/docs/presence';
import type { MarkPosition } from '@kneadback/shared/schemas/annotation';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { useToast } from '../../app/ui/Toast.tsx';
import { useDebriefDoc } from '../../lib/collab/useDebriefDoc.ts';
import { DebriefHeader } from './DebriefHeader.tsx';
import { DebriefMap } from './DebriefMap.tsx';
import { DebriefToolbar } from './DebriefToolbar.tsx';
import { DebriefPanel } from './DebriefPanel.tsx';
import { debriefPeople, type Person } from './people.ts';
import { loadLastCategory } from './preferences.ts';
import { RefusedNotice } from './RefusedNotice.tsx';
import { useMapView } from './useMapView.ts';
import { usePresenceSync } from './usePresenceSync.ts';
import { useUndoShortcuts } from './useUndoShortcuts.ts';

interface DebriefWorkspaceProps {
  exchange: Exchange;
  me: Person;
}

export function DebriefWorkspace({ exchange, me }: DebriefWorkspaceProps) {
  const people = useMemo(() => debriefPeople(exchange, me), [exchange, me]);
  const toast = useToast();
  const onError = useCallback((message: string) => toast(message, 'error'), [toast]);
  const debrief = useDebriefDoc(exchange.id, me, onError);
  const { annotations, presence, threadFor } = debrief;

  const partnerHere = presence.find((p) => p.user.id === people.partner?.id) ?? null;
  const mapView = useMapView(partnerHere);
  const { round, selectedId, select } = mapView;
  const onPointerMove = usePresenceSync(debrief.setPresence, mapView);
  useUndoShortcuts(debrief.undo, debrief.redo);

  const roundMarks = useMemo(() => annotations.filter((a) => a.round === round), [annotations, round]);
  // A selected mark that undo or the partner removed simply shows as nothing selected; an undo
  // that brings it back opens it again.
  const selected = roundMarks.find((a) => a.id === selectedId) ?? null;

  function place(position: MarkPosition) {
    const created = debrief.addAnnotation({ round, position, category: loadLastCategory(me.id) });
    if (created) select(created.id);
  }

  const { updateAnnotation, setStatus, deleteAnnotation, addReply, editReply, deleteReply, toggleReaction } = debrief;
  const markActions = useMemo(
    () => ({ updateAnnotation, setStatus, deleteAnnotation, addReply, editReply, deleteReply, toggleReaction }),
    [updateAnnotation, setStatus, deleteAnnotation, addReply, editReply, deleteReply, toggleReaction],
  );

  return (
    <div className="debrief">
      <DebriefHeader
        exchange={exchange}
        people={people}
        myColor={presenceColor(me.id)}
        connection={debrief.connection}
        peers={presence}
      />
      {debrief.connection.state === 'refused' && (
        <RefusedNotice connection={debrief.connection} onRetry={debrief.reconnect} />
      )}
      <DebriefToolbar
        people={people}
        round={round}
        onRoundChange={mapView.setRound}
        partnerHere={partnerHere}
        following={mapView.following}
        onFollowChange={mapView.setFollowing}
        canUndo={debrief.canUndo}
        canRedo={debrief.canRedo}
        onUndo={debrief.undo}
        onRedo={debrief.redo}
      />
      <div className="debrief__body">
        <DebriefMap
          people={people}
          mapView={mapView}
          marks={roundMarks}
          selected={selected}
          peers={presence}
          onPlace={place}
          onMove={debrief.moveAnnotation}
          onPointerMove={onPointerMove}
        />
        <DebriefPanel
          people={people}
          round={round}
          marks={roundMarks}
          threadFor={threadFor}
          selectedId={selectedId}
          onSelect={select}
          actions={markActions}
          loading={!debrief.loaded}
        />
      </div>
    </div>
  );
}
