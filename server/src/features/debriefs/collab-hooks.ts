import { DEBRIEF_SCHEMA_VERSION, schemaVersionOf, upgradeDebrief } from '@kneadback/shared/docs/debrief-doc';
import { debriefKind } from '@kneadback/shared/docs/debrief-rules';
import { SERVER_ORIGIN } from '@kneadback/shared/docs/origins';
import { parsePresence } from '@kneadback/shared/docs/presence';
import type { CollabHooks } from '../../collab/hub.ts';
import { clientAddress } from '../../http/client-address.ts';
import type { Logger } from '../../logger.ts';
import { presenceRelay } from '../document-hooks.ts';
import type { AuthService } from '../auth/service.ts';
import { sessionTokenFromCookieHeader } from '../auth/session-cookie.ts';
import type { ExchangeService } from '../exchanges/service.ts';
import type { DebriefProjector } from './projector.ts';

/** A debrief's document id is its exchange's id: one debrief per exchange. */
export function debriefCollabHooks(deps: {
  auth: AuthService;
  exchanges: ExchangeService;
  projector: DebriefProjector;
  onJoin: (exchangeId: string, user: { id: string; displayName: string }) => void;
  /** Proxies in front of the server (TRUST_PROXY). */
  trustProxy: number;
  logger: Logger;
}): CollabHooks {
  return {
    async authenticate(req) {
      const session = await deps.auth.sessionForToken(sessionTokenFromCookieHeader(req.headers.cookie));
      if (!session) return null;
      return { id: session.user.id, displayName: session.user.displayName, sessionKey: session.sessionKey };
    },
    clientAddress: (req) => clientAddress(req, deps.trustProxy),
    authorize: (user, docId) => deps.exchanges.access(user.id, docId),
    kindOf: () => debriefKind,
    presenceToRelay: presenceRelay(parsePresence),
    onRoomLoaded(docId, room) {
      // opening stays a pure read unless the document needs upgrading
      const version = schemaVersionOf(room.doc);
      if (version === 'older') room.serverTransact((doc) => upgradeDebrief(doc, SERVER_ORIGIN));
      if (version === 'newer')
        deps.logger.error({ docId, current: DEBRIEF_SCHEMA_VERSION }, 'debrief written by a newer version of the app');
      return deps.projector.attach(docId, room, version === 'older');
    },
    onJoin: deps.onJoin,
  };
}
