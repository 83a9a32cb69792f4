import * as Y from 'yjs';
import type { DocStore } from '../../collab/doc-store.ts';
import type { Logger } from '../../logger.ts';
import type { DebriefProjector } from './projector.ts';

/**
 * After a crash, documents left open may be ahead of their projection and their snapshot.
 * Re-project and compact them at start-up so Review matches the documents even if nobody
 * reopens those debriefs.
 */
export async function repairUncleanDebriefs(
  store: DocStore,
  projector: DebriefProjector,
  logger: Logger,
): Promise<number> {
  const docIds = await store.openDocs();
  for (const docId of docIds) {
    const loaded = await store.load(docId);
    const doc = new Y.Doc();
    for (const update of loaded.updates) Y.applyUpdate(doc, update);
    await projector.projectOnce(docId, doc);
    await store.compact(docId, Y.encodeStateAsUpdate(doc), loaded.lastSeq, true);
    doc.destroy();
  }
  await store.sweep();
  if (docIds.length > 0) logger.info({ count: docIds.length }, 'repaired debriefs left open by an earlier run');
  return docIds.length;
}
