/**
 * The IndexedDB name of a debrief's copy on this device. On its own so sign-out (in the app
 * shell) can find these copies without loading Yjs.
 */
export const localCopyName = (exchangeId: string) => `kneadback-debrief-${exchangeId}`;
