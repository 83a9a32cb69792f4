import { useCallback, useEffect, useMemo } from 'react';
import { presenceColor } from '@kneadback/shared/docs/presence';
import type { MarkPosition, Round } from '@kneadback/shared/schemas/annotation';
import type { Exchange } from '@kneadback/shared/schemas/exchange';
import { useToast } from '../../app/ui/Toast.tsx';
import { useDebriefDoc } from '../../lib/collab/useDebriefDoc.ts';
import { CarriedForwardPanel } from './CarriedForwardPanel.tsx';
import { DebriefHeader } from './DebriefHeader.tsx';
import { DebriefMap } from './DebriefMap.tsx';
import { DebriefToolbar } from './DebriefToolbar.tsx';
import { DebriefPanel } from './DebriefPanel.tsx';
import { debriefPeople, type Person } from './people.ts';
import { loadLastCategory } from './preferences.ts';
import { RefusedNotice } from './RefusedNotice.tsx';
import { newestOtherEntryAt, unreadThreads } from './threadReads.ts';
import { useMapView } from './useMapView.ts';
import { useMarkDeepLink } from './useMarkDeepLink.ts';
import { usePresenceSync } from './usePresenceSync.ts';
import { useThreadReads } from './debriefQueries.ts';
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

  const onMissingMark = useCallback(
    () => toast('That mark is no longer in this debrief: it may have been deleted.', 'error'),
    [toast],
  );
  useMarkDeepLink({
    annotations,
    synced: debrief.synced,
    setRound: mapView.setRound,
    focusMark: mapView.focusMark,
    onMissing: onMissingMark,
  });

  // "New" on threads the partner wrote in since this person last read them. The open thread is
  // being read: it never shows as new, and whatever arrives in it while open is marked read.
  const { reads, markRead } = useThreadReads(exchange.id);
  const unread = useMemo(
    () =>
      unreadThreads(
        annotations.map((a) => a.id),
        threadFor,
        reads,
        me.id,
      ),
    [annotations, threadFor, reads, me.id],
  );
  const selectedUnread = selected !== null && unread.has(selected.id);
  useEffect(() => {
    if (selectedUnread && selectedId) markRead(selectedId, newestOtherEntryAt(threadFor(selectedId), me.id));
  }, [selectedUnread, selectedId, markRead, threadFor, me.id]);
  const unreadIds = useMemo(() => withoutId(unread, selected?.id ?? null), [unread, selected?.id]);
  const unreadRounds = useMemo(
    () => new Set<Round>(annotations.filter((a) => unreadIds.has(a.id)).map((a) => a.round)),
    [annotations, unreadIds],
  );

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
      <div className="debrief__body">
        <DebriefToolbar
          people={people}
          round={round}
          onRoundChange={mapView.setRound}
          unreadRounds={unreadRounds}
          partnerHere={partnerHere}
          following={mapView.following}
          onFollowChange={mapView.setFollowing}
          canUndo={debrief.canUndo}
          canRedo={debrief.canRedo}
          onUndo={debrief.undo}
          onRedo={debrief.redo}
        />
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
        <div className="debrief-side">
          <CarriedForwardPanel exchangeId={exchange.id} people={people} />
          <DebriefPanel
            people={people}
            round={round}
            marks={roundMarks}
            threadFor={threadFor}
            unreadIds={unreadIds}
            selectedId={selectedId}
            onSelect={select}
            actions={markActions}
            loading={!debrief.loaded}
          />
        </div>
      </div>
    </div>
  );
}

function withoutId(ids: ReadonlySet<string>, id: string | null): ReadonlySet<string> {
  if (id === null || !ids.has(id)) return ids;
  const rest = new Set(ids);
  rest.delete(id);
  return rest;
}
