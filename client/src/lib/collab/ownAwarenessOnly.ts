import type { WebsocketProvider } from 'y-websocket';

interface AwarenessChanges {
  added: number[];
  updated: number[];
  removed: number[];
}

/**
 * y-websocket re-sends every awareness change it sees, including the partner's states it just
 * received and their time-outs: with pointers at 20 updates a second that doubles the traffic,
 * and the hub only drops them again (earlier versions closed the socket with 4422 for "presence
 * of another person's device"). So only this device's own state goes out.
 */
export function sendOwnAwarenessOnly(provider: WebsocketProvider): void {
  const { awareness } = provider;
  const ownId = provider.doc.clientID;
  const original = provider._awarenessUpdateHandler;
  const ownOnly = (changes: AwarenessChanges, origin: unknown) => {
    const keepOwn = (ids: number[]) => ids.filter((id) => id === ownId);
    const own = { added: keepOwn(changes.added), updated: keepOwn(changes.updated), removed: keepOwn(changes.removed) };
    if (own.added.length + own.updated.length + own.removed.length > 0) original(own, origin);
  };
  awareness.off('update', original);
  awareness.on('update', ownOnly);
  // provider.destroy() unregisters whatever this field holds
  provider._awarenessUpdateHandler = ownOnly;
}
