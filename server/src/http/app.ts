import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type mongoose from 'mongoose';
import { REPO_ROOT } from '../config.ts';
import { databaseState } from '../db/connection.ts';
import type { Logger } from '../logger.ts';
import { AppError, errorHandler, notFoundHandler } from './errors.ts';

export const JSON_BODY_LIMIT = '64kb';
/** A write waiting this long means the database is not answering (a group commit takes milliseconds). */
const WRITES_STALLED_MS = 3_000;
const JSON_TYPE = 'application/json';

/**
 * A body in any other type is refused before it is read: a form on another site can POST
 * text/plain without a CORS preflight, and reading that as JSON let it sign a browser in to the
 * attacker's account (login CSRF). application/json cannot be sent cross-site without a
 * preflight, which we never grant.
 */
const jsonBodiesOnly: RequestHandler = (req, _res, next) => {
  const length = req.headers['content-length'];
  const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
  if (!hasBody || req.is(JSON_TYPE)) return next();
  next(new AppError(415, 'unsupported_media_type', 'send the request body as JSON (Content-Type: application/json)'));
};

export function createHttpApp(opts: {
  logger: Logger;
  connection: mongoose.Connection;
  /** Proxies in front of the server (TRUST_PROXY); 0 believes no X-Forwarded-* header. */
  trustProxy: number;
  serveClient: boolean;
  apiRouters: Router[];
  /**
   * How long the oldest write has waited for the database: a connection can look fine while the
   * database does not answer (paused, locked), and writes see that first.
   */
  writeWaitMs?: () => number;
  /** Load figures shown on /healthz (counts only, nothing personal). */
  stats?: () => Record<string, unknown>;
  /**
   * Awaited before each API request (several processes: the change feed's caughtUp), so a
   * request reads no in-memory record older than a write answered before it anywhere.
   */
  beforeApi?: () => Promise<void>;
}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // the Yjs endpoint and Socket.IO live on the same origin
          'connect-src': ["'self'", 'ws:', 'wss:'],
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );

  app.get('/healthz', (_req, res) => {
    const database = (opts.writeWaitMs?.() ?? 0) > WRITES_STALLED_MS ? 'not answering' : databaseState(opts.connection);
    res.status(database === 'connected' ? 200 : 503).json({
      status: database === 'connected' ? 'ok' : 'unavailable',
      database,
      ...opts.stats?.(),
    });
  });

  app.use('/api', jsonBodiesOnly);
  app.use('/api', express.json({ limit: JSON_BODY_LIMIT, strict: true, type: JSON_TYPE }));
  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  const beforeApi = opts.beforeApi;
  if (beforeApi) app.use('/api', (_req, _res, next) => void beforeApi().then(() => next(), next));
  for (const router of opts.apiRouters) app.use('/api', router);
  app.use('/api', notFoundHandler);

  if (opts.serveClient) serveBuiltClient(app, opts.logger);
  app.use(notFoundHandler);
  app.use(errorHandler(opts.logger));
  return app;
}

function serveBuiltClient(app: Express, logger: Logger): void {
  const dist = path.join(REPO_ROOT, 'client', 'dist');
  if (!existsSync(path.join(dist, 'index.html'))) {
    logger.warn({ dist }, 'client build missing: run "pnpm build"');
    return;
  }
  app.use(express.static(dist, { index: false, maxAge: '1h' }));
  // client-side routes all answer with the app shell
  app.get(/^\/(?!api\/|collab\/|socket\.io\/).*/, (_req, res) => res.sendFile(path.join(dist, 'index.html')));
}
