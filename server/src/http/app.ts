import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import path from 'node:path';
import { existsSync } from 'node:fs';
import type mongoose from 'mongoose';
import { REPO_ROOT } from '../config.ts';
import { databaseState } from '../db/connection.ts';
import type { Logger } from '../logger.ts';
import { errorHandler, notFoundHandler } from './errors.ts';

export const JSON_BODY_LIMIT = '64kb';

export function createHttpApp(opts: {
  logger: Logger;
  connection: mongoose.Connection;
  trustProxy: boolean;
  serveClient: boolean;
  apiRouters: Router[];
  /** Load figures shown on /healthz (counts only, nothing personal). */
  stats?: () => Record<string, unknown>;
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
    const database = databaseState(opts.connection);
    res.status(database === 'connected' ? 200 : 503).json({
      status: database === 'connected' ? 'ok' : 'unavailable',
      database,
      ...opts.stats?.(),
    });
  });

  app.use('/api', express.json({ limit: JSON_BODY_LIMIT, strict: true, type: () => true }));
  app.use('/api', (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
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
