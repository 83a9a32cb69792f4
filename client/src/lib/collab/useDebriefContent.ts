import { useEffect, useState } from 'react';
import * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { observeDebrief, readAnnotations, readThread } from '@kneadback/shared/docs/debrief-doc';
import { CLIENT_ORIGIN } from '@kneadback/shared/docs/origins';
import type { Annotation, ThreadEntry } from '@kneadback/shared/schemas/annotation';

export interface DebriefContent {
  annotations: Annotation[];
  /** Thread entries per annotation id, oldest first. */
  threads: ReadonlyMap<string, ThreadEntry[]>;
  /** The offline copy on this device has been read (what was there is now shown). */
  loaded: boolean;
}

const EMPTY: DebriefContent = { annotations: [], threads: new Map(), loaded: false };

function readContent(doc: Y.Doc, loaded: boolean): DebriefContent {
  const threads = new Map<string, ThreadEntry[]>();
  for (const entry of readThread(doc)) {
    const list = threads.get(entry.annotationId);
    if (list) list.push(entry);
    else threads.set(entry.annotationId, [entry]);
  }
  return { annotations: readAnnotations(doc), threads, loaded };
}

/** The debrief's marks and threads as plain typed values, re-read after every change. */
export function useDebriefContent(doc: Y.Doc | null, local: IndexeddbPersistence | null): DebriefContent {
  const [content, setContent] = useState<DebriefContent>(EMPTY);
  useEffect(() => {
    if (!doc || !local) return;
    let loaded = local.synced;
    let frame = 0;
    const readNow = () => setContent(readContent(doc, loaded));
    // This person's own edits show at once (a tapped button must not flicker back for a frame);
    // bursts from the network or the offline copy become one re-read per frame.
    const refresh = (origin: unknown) => {
      if (origin === CLIENT_ORIGIN || origin instanceof Y.UndoManager) {
        cancelAnimationFrame(frame);
        frame = 0;
        readNow();
        return;
      }
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        readNow();
      });
    };
    const onLoaded = () => {
      loaded = true;
      readNow();
    };
    readNow();
    local.on('synced', onLoaded);
    const stop = observeDebrief(doc, refresh);
    return () => {
      cancelAnimationFrame(frame);
      stop();
      local.off('synced', onLoaded);
      setContent(EMPTY);
    };
  }, [doc, local]);
  return content;
}
