import * as Y from 'yjs';
import type { DocStore, LoadedDoc } from '../../collab/doc-store.ts';
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
      const { loaded, doc } = await loadDoc(store, docId);
      await projector.projectOnce(docId, doc);
      await store.compact(docId, Y.encodeStateAsUpdate(doc), loaded.lastSeq, true);
      doc.destroy();
    });
  }
  await store.sweep();
  if (docIds.length > 0) logger.info({ count: docIds.length }, 'repaired debriefs left open by an earlier run');
  return docIds.length;
}

/**
 * Projects a stored debrief again once its partner joined the exchange: marks made before were
 * projected without them, and opening a debrief to read projects nothing. A debrief open live
 * meanwhile is projected by its room when it closes (`whileNotLive` leaves it alone).
 */
export async function projectForNewPartner(
  store: DocStore,
  projector: DebriefProjector,
  exchangeId: string,
  whileNotLive: WhileNotLive,
): Promise<void> {
  await whileNotLive(exchangeId, async () => {
    const { loaded, doc } = await loadDoc(store, exchangeId);
    if (loaded.updates.length > 0) await projector.projectOnce(exchangeId, doc);
    doc.destroy();
  });
}

async function loadDoc(store: DocStore, docId: string): Promise<{ loaded: LoadedDoc; doc: Y.Doc }> {
  const loaded = await store.load(docId);
  const doc = new Y.Doc();
  for (const update of loaded.updates) Y.applyUpdate(doc, update);
  return { loaded, doc };
}
