import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type mongoose from 'mongoose';
import { CollabHub } from './collab/hub.ts';
import { UpdateWriter } from './collab/update-writer.ts';
import { mongoDocStore } from './collab/mongo-doc-store.ts';
import type { Config } from './config.ts';
import { connectDatabase } from './db/connection.ts';
import { startEmbeddedFerretdb, type EmbeddedDatabase } from './db/embedded-ferretdb.ts';
import { authModels, keySessionsByTokenHash } from './features/auth/model.ts';
import { authRoutes } from './features/auth/routes.ts';
import { AuthService } from './features/auth/service.ts';
import { DebriefActivity } from './features/debriefs/activity.ts';
import { debriefCollabHooks } from './features/debriefs/collab-hooks.ts';
import { critiqueModel, projectionStateModel } from './features/debriefs/critique-model.ts';
import { DebriefProjector, type DebriefContext } from './features/debriefs/projector.ts';
import { ThreadReads } from './features/debriefs/read-model.ts';
import { repairUncleanDebriefs } from './features/debriefs/repair.ts';
import { debriefRoutes } from './features/debriefs/routes.ts';
import { exchangeModel, inviteClaimModel } from './features/exchanges/model.ts';
import { exchangeRoutes } from './features/exchanges/routes.ts';
import { readableDate } from './features/exchanges/readable-date.ts';
import { ExchangeService } from './features/exchanges/service.ts';
import { moveNotificationsToPerUserCollections, notificationCollections } from './features/notifications/model.ts';
import { notificationRoutes } from './features/notifications/routes.ts';
import { documentHooks } from './features/document-hooks.ts';
import { createNotes } from './features/notes/compose.ts';
import { NotificationService } from './features/notifications/service.ts';
import { reviewRoutes } from './features/review/routes.ts';
import { ReviewShards } from './features/review/review-shards.ts';
import { ReviewService } from './features/review/service.ts';
import { createHttpApp } from './http/app.ts';
import { RateLimits } from './http/rate-limit.ts';
import type { Logger } from './logger.ts';
import { createRealtime } from './realtime/socket-server.ts';

export interface RunningServer {
  url: string;
  port: number;
  connection: mongoose.Connection;
  collab: CollabHub;
  /** Stop accepting, close sockets, flush pending writes, stop the embedded database. */
  stop(): Promise<void>;
}

export interface ServerTuning {
  /** How long an empty debrief stays loaded (tests shorten it). */
  unloadDelayMs?: number;
}

export class PortInUseError extends Error {}

export async function startServer(config: Config, logger: Logger, tuning: ServerTuning = {}): Promise<RunningServer> {
  let embedded: EmbeddedDatabase | undefined;
  const uri =
    config.mongodbUri ??
    (embedded = await startEmbeddedFerretdb({ dataDir: config.dataDir, binary: config.ferretdbBin, logger })).uri;

  let connection: mongoose.Connection;
  try {
    connection = await connectDatabase(uri, logger);
  } catch (err) {
    await embedded?.stop();
    throw err;
  }

  // The Express app is built below, once its services exist; the handler must be registered now,
  // before Socket.IO attaches, because Socket.IO wraps the request listeners present at attach
  // time to keep `/socket.io/` for itself (a listener added later would answer those too).
  let app: Express | undefined;
  const httpServer = http.createServer((req, res) => app!(req, res));
  const limits = new RateLimits(config.rateLimits);
  const auth = new AuthService(authModels(connection), config.sessionSecret, limits);
  const realtime = createRealtime(httpServer, auth, logger, { trustProxy: config.trustProxy });
  const notifications = new NotificationService(notificationCollections(connection), realtime, limits);
  realtime.handle('notifications:mark-read', ({ user, address }, body) =>
    notifications.markRead({ userId: user.id, address }, body),
  );

  const exchanges: ExchangeService = new ExchangeService(
    exchangeModel(connection),
    inviteClaimModel(connection),
    auth,
    limits,
    {
      onCreated(exchange, actorId) {
        const partner = exchange.partnerB;
        if (!partner || partner.id === actorId) return;
        void notifications
          .notify({
            userId: partner.id,
            kind: 'exchange-created',
            actor: { id: exchange.partnerA.id, displayName: exchange.partnerA.displayName },
            exchangeId: exchange.id,
            text: `${exchange.partnerA.displayName} added an exchange with you on ${readableDate(exchange.date)}`,
          })
          .catch((err: unknown) => logger.error({ err }, 'exchange notification failed'));
      },
    },
  );
  const debriefContext = (debriefId: string): Promise<DebriefContext | null> => exchanges.rawContext(debriefId);
  const activity = new DebriefActivity(auth, notifications, debriefContext, logger);
  const Critiques = critiqueModel(connection);
  const shards = new ReviewShards(connection);
  const review = new ReviewService(shards, auth);
  const threadReads = new ThreadReads(connection);
  const store = mongoDocStore(connection);
  const writer = new UpdateWriter(store, logger);
  const projector = new DebriefProjector(
    Critiques,
    projectionStateModel(connection),
    shards,
    debriefContext,
    logger,
    (id, ctx, entries, roundOf) => activity.threadEntriesAdded(id, ctx, entries, roundOf),
    () => writer.appendsStored(),
  );
  await Promise.all(Object.values(connection.models).map((m) => m.init()));
  const rekeyed = await keySessionsByTokenHash(connection);
  if (rekeyed > 0) logger.info({ sessions: rekeyed }, 'sessions re-keyed by token hash');
  const notes = createNotes({ connection, auth, exchanges, realtime, logger, collab: () => collab });
  await notes.load();
  const collab: CollabHub = new CollabHub({
    store,
    writer,
    logger,
    unloadDelayMs: tuning.unloadDelayMs,
    hooks: documentHooks(
      debriefCollabHooks({
        auth,
        exchanges,
        projector,
        onJoin: (id, user) => activity.joined(id, user),
        trustProxy: config.trustProxy,
      }),
      notes.collabHooks,
    ),
  });
  auth.onSignOut((sessionKey) => collab.closeSession(sessionKey));

  app = createHttpApp({
    logger,
    connection,
    trustProxy: config.trustProxy,
    serveClient: config.serveClient,
    writeWaitMs: () => writer.oldestWaitMs(),
    stats: () => ({ collab: collab.stats(), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) }),
    apiRouters: [
      authRoutes(auth),
      exchangeRoutes(auth, exchanges),
      notificationRoutes(auth, notifications),
      reviewRoutes(auth, review),
      debriefRoutes({ auth, exchanges, review, collab, threadReads }),
      notes.routes,
    ],
  });
  httpServer.on('upgrade', (req, socket, head) => {
    if (!collab.handleUpgrade(req, socket, head) && !req.url?.startsWith('/socket.io/')) socket.destroy();
  });

  try {
    await listen(httpServer, config.port, config.host);
  } catch (err) {
    await collab.close();
    await connection.close();
    await embedded?.stop();
    throw err;
  }
  const port = (httpServer.address() as AddressInfo).port;
  logger.info({ port }, `Kneadback listening on http://localhost:${port}`);
  // In the background, once: until it is done, someone's older notifications may be missing.
  void moveNotificationsToPerUserCollections(connection).then(
    ({ moved, skipped }) => {
      if (moved + skipped > 0) logger.info({ moved, skipped }, 'notifications moved to one collection per user');
    },
    (err: unknown) =>
      logger.error({ err }, 'moving notifications to one collection per user failed; retried at next start'),
  );
  void threadReads.moveLegacy().then(
    (moved) => moved > 0 && logger.info({ moved }, 'thread read markers moved to one collection per user'),
    (err: unknown) => logger.error({ err }, 'moving thread read markers failed; retried at next start'),
  );
  // In the background: serving starts at once; a debrief opened meanwhile loads its own log.
  void repairUncleanDebriefs(store, projector, logger, (id, repair) => collab.whileNotLive(id, repair)).catch(
    (err: unknown) => logger.error({ err }, 'repairing debriefs left open failed; they are repaired when opened'),
  );

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connection,
    collab,
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await collab.close();
        notes.stop();
        await realtime.close();
        httpServer.closeAllConnections();
        await closed;
        await connection.close();
        await embedded?.stop();
      })()),
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new PortInUseError(`port ${port} is already in use; set PORT to another port`)
          : err,
      ),
    );
    server.listen(port, host, () => resolve());
  });
}
