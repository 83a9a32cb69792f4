import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { collabServerUrl } from './collabUrl.ts';
import { shouldReconnect } from './connection.ts';
import { localCopyName, type LiveDocKind } from './localCopyName.ts';
import { ownAwarenessOnlySocket } from './ownAwarenessOnly.ts';

/** One open live document (a debrief or a note): the Yjs doc, its offline copy and its socket. */
export interface LiveDocSession {
  kind: LiveDocKind;
  doc: Y.Doc;
  provider: WebsocketProvider;
  local: IndexeddbPersistence;
  destroy(): void;
}

export interface LiveDocTarget {
  kind: LiveDocKind;
  /** The debrief's exchangeId or the note's id: names the copy on this device. */
  id: string;
  /** The document's name on the Yjs endpoint. */
  room: string;
}

/** Two refusals this close together mean the device holds changes the server will never take. */
const REFUSALS_BEFORE_DISCARD = 2;
const REFUSAL_WINDOW_MS = 60_000;

/**
 * `onDiscarded` runs when this device's copy was dropped because the server kept refusing
 * changes in it; open a new session to start again from the server's copy.
 */
export function openLiveDoc({ kind, id, room }: LiveDocTarget, onDiscarded: () => void): LiveDocSession {
  const doc = new Y.Doc();
  // The offline copy: changes made without a connection survive a reload and sync on reconnect.
  const local = new IndexeddbPersistence(localCopyName(kind, id), doc);
  const provider = new WebsocketProvider(collabServerUrl(), room, doc, {
    shouldReconnect,
    // Another tab's presence relayed through this socket would be refused as someone else's device
    disableBc: true,
    WebSocketPolyfill: ownAwarenessOnlySocket(doc.clientID),
  });

  // A device must not keep a copy of a document its user can no longer open.
  const forgetIfRefused = (event: CloseEvent | null) => {
    if (event?.code === CollabCloseCode.forbidden || event?.code === CollabCloseCode.notFound) {
      void local.clearData();
    }
  };
  provider.on('connection-close', forgetIfRefused);

  // y-websocket re-sends every local change the server lacks on each reconnect, so a change the
  // server refuses (4422; 4423 from a note's reader) would be refused forever and the document
  // would never be live again.
  let refusals: number[] = [];
  const discardIfRefusedAgain = (event: CloseEvent | null) => {
    if (event?.code !== CollabCloseCode.refusedUpdate && event?.code !== CollabCloseCode.readOnly) return;
    const now = Date.now();
    refusals = [...refusals.filter((t) => now - t < REFUSAL_WINDOW_MS), now];
    if (refusals.length < REFUSALS_BEFORE_DISCARD) return;
    provider.off('connection-close', discardIfRefusedAgain);
    // Not from inside the provider's own close handling: disconnect() re-enters it.
    queueMicrotask(() => provider.disconnect());
    void local.clearData().then(onDiscarded);
  };
  provider.on('connection-close', discardIfRefusedAgain);

  return {
    kind,
    doc,
    provider,
    local,
    destroy() {
      provider.off('connection-close', forgetIfRefused);
      provider.off('connection-close', discardIfRefusedAgain);
      provider.destroy();
      void local.destroy();
      doc.destroy();
    },
  };
}
