import type { IncomingMessage } from 'node:http';
import type { Socket } from 'socket.io';
import {
  HandshakeRefusal,
  MAX_EVENT_CONNECTIONS_PER_ADDRESS,
  MAX_EVENT_CONNECTIONS_PER_USER,
} from '@kneadback/shared/events';
import type { CurrentUser } from '@kneadback/shared/schemas/user';
import type { AuthService } from '../features/auth/service.ts';
import { sessionTokenFromCookieHeader } from '../features/auth/session-cookie.ts';
import { clientAddress } from '../http/client-address.ts';
import { sameOrigin } from '../http/origin.ts';
import type { Logger } from '../logger.ts';
import { LiveCounts } from './live-counts.ts';

type Session = { user: CurrentUser; sessionKey: string };

/** A refused Socket.IO handshake: the client reads the code as the error's message, the words from its data. */
function refusal(code: HandshakeRefusal, message: string): Error {
  return Object.assign(new Error(code), { data: { error: { code, message } } });
}

/**
 * Who may open an app-events connection, decided twice. Before engine.io opens a session
 * (`allowRequest`, on the WebSocket upgrade): a live session cookie and room under the address's
 * cap, so strangers and floods cost no session at all; the browser learns nothing of why (the
 * upgrade is answered 400). Then at Socket.IO's handshake (`admit`), where a refusal reaches the
 * client in words: the origin and the account's cap. Caps are per process: with several
 * processes (REDIS_URL) each counts its own connections.
 */
export function handshakeGate(auth: AuthService, logger: Logger, trustProxy: number) {
  const perAddress = new LiveCounts();
  const perUser = new LiveCounts();
  /** The session allowRequest found, for the Socket.IO handshake on the same request (read once). */
  const found = new WeakMap<IncomingMessage, Session>();

  const sessionOf = (req: IncomingMessage) => auth.sessionForToken(sessionTokenFromCookieHeader(req.headers.cookie));

  return {
    allowRequest(req: IncomingMessage, done: (err: string | null | undefined, success: boolean) => void): void {
      const address = clientAddress(req, trustProxy);
      if (perAddress.count(address) >= MAX_EVENT_CONNECTIONS_PER_ADDRESS) {
        return done('too many connections from this address', false);
      }
      // counted until the TCP connection closes, accepted or not: its WebSocket is the whole
      // engine.io session, and a socket that never says hello to Socket.IO is counted too
      req.socket.once('close', perAddress.hold(address));
      sessionOf(req).then(
        (session) => {
          if (!session) return done('sign in first', false);
          found.set(req, session);
          done(null, true);
        },
        (err: unknown) => {
          logger.error({ err }, 'socket handshake failed');
          done('unavailable', false);
        },
      );
    },

    /**
     * The Socket.IO handshake: resolves with the session the socket serves and counts it against
     * its account until it disconnects; rejects with a refusal.
     */
    async admit(socket: Socket): Promise<Session> {
      // the same check as the Yjs endpoint: a page on another site must not ride our cookie
      if (!sameOrigin(socket.request)) {
        throw refusal(HandshakeRefusal.forbiddenOrigin, 'this page is not Kneadback; open Kneadback itself');
      }
      // a second handshake on the same connection asks again: the session may have ended since
      const early = found.get(socket.request);
      found.delete(socket.request);
      let session: Session | null;
      try {
        session = early ?? (await sessionOf(socket.request));
      } catch (err) {
        logger.error({ err }, 'socket handshake failed');
        throw refusal(HandshakeRefusal.unavailable, 'the server cannot check your sign-in just now');
      }
      if (!session) throw refusal(HandshakeRefusal.notSignedIn, 'please sign in');
      if (perUser.count(session.user.id) >= MAX_EVENT_CONNECTIONS_PER_USER) {
        throw refusal(
          HandshakeRefusal.tooManyConnections,
          `Kneadback is open in more than ${MAX_EVENT_CONNECTIONS_PER_USER} tabs or devices on your account, so this one ` +
            'gets no live notifications. Close a few; this tab tries again every minute.',
        );
      }
      // gone while its session was read: nothing would count it out again
      if (socket.conn.readyState !== 'open') throw refusal(HandshakeRefusal.unavailable, 'the connection closed');
      const release = perUser.hold(session.user.id);
      socket.once('disconnect', release);
      socket.conn.once('close', release);
      return session;
    },
  };
}
