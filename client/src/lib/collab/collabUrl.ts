import { COLLAB_PATH_PREFIX } from '@kneadback/shared/collab-protocol';

/** The Yjs endpoint on the page's own origin, so the session cookie rides along (the server checks Origin). */
export function collabServerUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  // y-websocket appends "/<room>" itself
  return `${scheme}://${location.host}${COLLAB_PATH_PREFIX.replace(/\/$/, '')}`;
}
