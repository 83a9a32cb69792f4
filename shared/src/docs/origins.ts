/**
 * Who made a Yjs transaction. Persistence and projection skip their own echoes by origin;
 * undo tracks only the local person's edits.
 */
export const CLIENT_ORIGIN = 'kneadback:client';
export const SERVER_ORIGIN = 'kneadback:server';

/** Ids that work in insecure contexts too (crypto.randomUUID needs HTTPS on a LAN tablet). */
export function newId(): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
