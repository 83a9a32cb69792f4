import type * as Y from 'yjs';
import { createDebriefUndoManager } from '@kneadback/shared/docs/debrief-doc';
import { openLiveDoc, type LiveDocSession } from './liveDoc.ts';

/** Everything one open debrief holds; made and destroyed together. */
export interface DebriefSession extends LiveDocSession {
  undoManager: Y.UndoManager;
}

/** A debrief's document is named by its exchange's id: one debrief per exchange. */
export function openDebriefSession(exchangeId: string, onDiscarded: () => void): DebriefSession {
  const live = openLiveDoc({ kind: 'debrief', id: exchangeId, room: exchangeId }, onDiscarded);
  const undoManager = createDebriefUndoManager(live.doc);
  return {
    ...live,
    undoManager,
    destroy() {
      undoManager.destroy();
      live.destroy();
    },
  };
}
