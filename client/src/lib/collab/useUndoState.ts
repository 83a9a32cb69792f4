import { useEffect, useState } from 'react';
import type * as Y from 'yjs';

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
}

export function useUndoState(undoManager: Y.UndoManager | null): UndoState {
  const [state, setState] = useState<UndoState>({ canUndo: false, canRedo: false });
  useEffect(() => {
    if (!undoManager) return;
    const update = () => setState({ canUndo: undoManager.canUndo(), canRedo: undoManager.canRedo() });
    const events = ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const;
    for (const name of events) undoManager.on(name, update);
    update();
    return () => {
      for (const name of events) undoManager.off(name, update);
    };
  }, [undoManager]);
  return state;
}
