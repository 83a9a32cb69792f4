import * as Y from 'yjs';
import type { DocStore } from '../../collab/doc-store.ts';
import type { Logger } from '../../logger.ts';
import type { DebriefProjector } from './projector.ts';

/** Runs a repair of one document unless it is open live (its room repairs it when it closes). */
export type WhileNotLive = (docId: string, repair: () => Promise<void>) => Promise<void>;

/**
 * After a crash, documents left open may be ahead of their projection and their snapshot.
 * Re-project and compact them so Review matches the documents even if nobody reopens those
 * debriefs. Runs in the background after start-up; `whileNotLive` keeps a document's room from
 * loading while its repair runs (two closing compactions racing could mark a live one clean).
 */
export async function repairUncleanDebriefs(
  store: DocStore,
  projector: DebriefProjector,
  logger: Logger,
  whileNotLive: WhileNotLive = (_docId, repair) => repair(),
): Promise<number> {
  const docIds = await store.openDocs();
  for (const docId of docIds) {
    await whileNotLive(docId, async () => {
      const loaded = await store.load(docId);
      const doc = new Y.Doc();
      for (const update of loaded.updates) Y.applyUpdate(doc, update);
      await projector.projectOnce(docId, doc);
      await store.compact(docId, Y.encodeStateAsUpdate(doc), loaded.lastSeq, true);
      doc.destroy();
    });
  }
  await store.sweep();
  if (docIds.length > 0) logger.info({ count: docIds.length }, 'repaired debriefs left open by an earlier run');
  return docIds.length;
}
