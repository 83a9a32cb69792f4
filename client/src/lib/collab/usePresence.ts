import { useCallback, useEffect, useRef, useState } from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type { Presence, PresencePerson } from '@kneadback/shared/docs/presence';
import { initialPresence, nextPresence, readPeers, type PeerPresence, type PresencePatch } from './presence.ts';

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

export interface PresenceApi {
  /** Everyone else here now, one entry per device. */
  presence: PeerPresence[];
  setPresence: (patch: PresencePatch) => void;
}

export function usePresence(provider: WebsocketProvider | null, user: PresencePerson): PresenceApi {
  const [presence, setPeers] = useState<PeerPresence[]>([]);
  // What we want the others to see, kept across reconnects and before the provider exists
  const [initial] = useState(() => initialPresence(user));
  const local = useRef<Presence>(initial);
  const providerRef = useRef(provider);

  const { id, name } = user;
  useEffect(() => {
    if (local.current.user.id === id && local.current.user.name === name) return;
    local.current = { ...local.current, user: initialPresence({ id, name }).user };
    providerRef.current?.awareness.setLocalState(local.current);
  }, [id, name]);

  useEffect(() => {
    providerRef.current = provider;
    if (!provider) return;
    const { awareness } = provider;
    awareness.setLocalState(local.current);
    const refresh = () => setPeers(readPeers(awareness));
    // Our own pointer moves change awareness too; only others' changes need a re-render
    const onChange = ({ added, updated, removed }: AwarenessChanges) => {
      if ([...added, ...updated, ...removed].some((clientId) => clientId !== awareness.clientID)) refresh();
    };
    awareness.on('change', onChange);
    refresh();
    return () => {
      awareness.off('change', onChange);
      providerRef.current = null;
      setPeers([]);
    };
  }, [provider]);

  const setPresence = useCallback((patch: PresencePatch) => {
    const next = nextPresence(local.current, patch);
    if (!next) return;
    local.current = next;
    providerRef.current?.awareness.setLocalState(next);
  }, []);

  return { presence, setPresence };
}
