import type { CollabDocumentKind } from '@kneadback/shared/collab-protocol';

/** The live documents a device keeps an offline copy of. */
export const LIVE_DOC_KINDS = ['debrief', 'note'] as const satisfies readonly CollabDocumentKind[];
export type LiveDocKind = (typeof LIVE_DOC_KINDS)[number];

/**
 * The IndexedDB name of a live document's copy on this device. On its own so sign-out (in the app
 * shell) can find these copies without loading Yjs.
 */
export const localCopyName = (kind: LiveDocKind, id: string) => `kneadback-${kind}-${id}`;
