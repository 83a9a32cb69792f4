import { useEffect, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import { parseNotePresence, type NotePresence } from '@kneadback/shared/docs/presence';

export type NotePeer = NotePresence & { clientId: number };

/** Everyone else with the note open now, one entry per device (their caret is drawn by the editor). */
export function useNotePeers(provider: WebsocketProvider | null): NotePeer[] {
  const [peers, setPeers] = useState<NotePeer[]>([]);
  useEffect(() => {
    if (!provider) return;
    const { awareness } = provider;
    const refresh = () => {
      const next: NotePeer[] = [];
      for (const [clientId, state] of awareness.getStates()) {
        if (clientId === awareness.clientID) continue;
        const presence = parseNotePresence(state);
        if (presence) next.push({ ...presence, clientId });
      }
      setPeers(next.sort((a, b) => a.clientId - b.clientId));
    };
    // This device's own caret moves change awareness too; only others' changes need a re-render
    const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      if ([...added, ...updated, ...removed].some((clientId) => clientId !== awareness.clientID)) refresh();
    };
    awareness.on('change', onChange);
    refresh();
    return () => {
      awareness.off('change', onChange);
      setPeers([]);
    };
  }, [provider]);
  return peers;
}
