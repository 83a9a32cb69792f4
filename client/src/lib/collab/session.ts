import * as Y from 'yjs';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { CollabCloseCode } from '@kneadback/shared/collab-protocol';
import { createDebriefUndoManager } from '@kneadback/shared/docs/debrief-doc';
import { collabServerUrl } from './collabUrl.ts';
import { shouldReconnect } from './connection.ts';
import { sendOwnAwarenessOnly } from './ownAwarenessOnly.ts';

/** Everything one open debrief holds; made and destroyed together. */
export interface DebriefSession {
  doc: Y.Doc;
  provider: WebsocketProvider;
  local: IndexeddbPersistence;
  undoManager: Y.UndoManager;
  destroy(): void;
}

export const localCopyName = (exchangeId: string) => `kneadback-debrief-${exchangeId}`;

export function openDebriefSession(exchangeId: string): DebriefSession {
  const doc = new Y.Doc();
  // The offline copy: marks made without a connection survive a reload and sync on reconnect.
  const local = new IndexeddbPersistence(localCopyName(exchangeId), doc);
  const provider = new WebsocketProvider(collabServerUrl(), exchangeId, doc, {
    shouldReconnect,
    // Another tab's presence relayed through this socket would be refused as someone else's device
    disableBc: true,
  });
  sendOwnAwarenessOnly(provider);
  const undoManager = createDebriefUndoManager(doc);

  // A device must not keep a copy of a debrief its user can no longer open.
  const forgetIfRefused = (event: CloseEvent | null) => {
    if (event?.code === CollabCloseCode.forbidden || event?.code === CollabCloseCode.notFound) {
      void local.clearData();
    }
  };
  provider.on('connection-close', forgetIfRefused);

  return {
    doc,
    provider,
    local,
    undoManager,
    destroy() {
      provider.off('connection-close', forgetIfRefused);
      undoManager.destroy();
      provider.destroy();
      void local.destroy();
      doc.destroy();
    },
  };
}
