import { LIVE_DOC_KINDS, localCopyName } from './localCopyName.ts';

const PREFIXES = LIVE_DOC_KINDS.map((kind) => localCopyName(kind, ''));

/**
 * Deletes every debrief and note copy kept on this device. Called on sign-out: a shared tablet
 * must not keep a body map or a private note for the next person who picks it up.
 */
export async function forgetLocalCopies(): Promise<void> {
  if (typeof indexedDB === 'undefined' || !('databases' in indexedDB)) return;
  const databases = await indexedDB.databases();
  await Promise.all(
    databases
      .map((d) => d.name)
      .filter((name): name is string => !!name && PREFIXES.some((prefix) => name.startsWith(prefix)))
      .map(
        (name) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(name);
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          }),
      ),
  );
}
