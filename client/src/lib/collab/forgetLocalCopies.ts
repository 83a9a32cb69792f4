import { localCopyName } from './localCopyName.ts';

const PREFIX = localCopyName('');

/**
 * Deletes every debrief copy kept on this device. Called on sign-out: a shared tablet must not
 * keep a body map for the next person who picks it up.
 */
export async function forgetLocalCopies(): Promise<void> {
  if (typeof indexedDB === 'undefined' || !('databases' in indexedDB)) return;
  const databases = await indexedDB.databases();
  await Promise.all(
    databases
      .map((d) => d.name)
      .filter((name): name is string => !!name?.startsWith(PREFIX))
      .map(
        (name) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(name);
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          }),
      ),
  );
}
