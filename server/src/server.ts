import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type mongoose from 'mongoose';
import { CollabHub } from './collab/hub.ts';
import { UpdateWriter } from './collab/update-writer.ts';
import { moveLegacySnapshots, mongoDocStore } from './collab/mongo-doc-store.ts';
import type { Config } from './config.ts';
import { modelsReady, openDatabase } from './db/open-database.ts';
import { registerAccountData } from './features/account/register.ts';
import { accountRoutes } from './features/account/routes.ts';
import { AccountService } from './features/account/service.ts';
import { authModels, keySessionsByTokenHash, moveSessionsIntoBuckets } from './features/auth/model.ts';
import { authRoutes } from './features/auth/routes.ts';
import { AuthService } from './features/auth/service.ts';
import { DebriefActivity } from './features/debriefs/activity.ts';
import { debriefCollabHooks } from './features/debriefs/collab-hooks.ts';
import { dropUnreadCritiques, ProjectionStates } from './features/debriefs/model.ts';
import { DebriefProjector, type DebriefContext } from './features/debriefs/projector.ts';
import { ThreadReads } from './features/debriefs/thread-reads.ts';
import { projectForNewPartner, repairUncleanDebriefs } from './features/debriefs/repair.ts';
import { debriefRoutes } from './features/debriefs/routes.ts';
import { DebriefService } from './features/debriefs/service.ts';
import { exchangeModel, inviteClaimModel } from './features/exchanges/model.ts';
import { exchangeRoutes } from './features/exchanges/routes.ts';
import { backfillCalendars, ExchangeCalendar } from './features/exchanges/calendar.ts';
import { requestCollections, requestTransitions } from './features/exchange-requests/model.ts';
import { exchangeRequestRoutes } from './features/exchange-requests/routes.ts';
import { ExchangeRequestService } from './features/exchange-requests/service.ts';
import { partnershipStores } from './features/partnership/model.ts';
import { partnershipRoutes } from './features/partnership/routes.ts';
import { RhythmService } from './features/partnership/rhythm-service.ts';
import { VouchingService } from './features/partnership/vouching-service.ts';
import { ExchangeService } from './features/exchanges/service.ts';
import { SettledParties } from './features/exchanges/parties.ts';
import { moveNotificationsToPerUserCollections, notificationCollections } from './features/notifications/model.ts';
import { notificationRoutes } from './features/notifications/routes.ts';
import { documentHooks } from './features/document-hooks.ts';
import { createNotes } from './features/notes/compose.ts';
import { NotificationService, type NewNotification } from './features/notifications/service.ts';
import { BlockService } from './features/profiles/blocks.ts';
import { DiscoveryIndex } from './features/profiles/discovery-index.ts';
import { exchangeFacts } from './features/profiles/exchange-facts.ts';
import { blockListModel, profileModel, profilePhotoModel } from './features/profiles/model.ts';
import { profileRoutes } from './features/profiles/routes.ts';
import { ProfileService } from './features/profiles/service.ts';
import { reviewRoutes } from './features/review/routes.ts';
import { nameReviewRecordsByExchange, ReviewShards } from './features/review/review-shards.ts';
import { ReviewService } from './features/review/service.ts';
import { createHttpApp } from './http/app.ts';
import { trackOpenSockets } from './http/open-sockets.ts';
import { RateLimits } from './http/rate-limit.ts';
import { watchEventLoopDelay } from './event-loop-delay.ts';
import type { Logger } from './logger.ts';
import { returnMemoryWhenQuiet } from './memory-return.ts';
import { createRealtime } from './realtime/socket-server.ts';
import { ONE_PROCESS_FEED } from './scale/change-feed.ts';
import { joinCluster, type Cluster } from './scale/cluster.ts';

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
  /** How often everyone due a rhythm reminder gets one (hourly; tests shorten it). */
  rhythmSweepMs?: number;
  /** At most one automatic version of a note per this much editing (AUTO_VERSION_EVERY_MS; tests shorten it). */
  noteAutoVersionEveryMs?: number;
}

/** Background rhythm reminders; the home view reminds on every visit too. */
const RHYTHM_SWEEP_MS = 60 * 60_000;
/**
 * How long live edits gather before they are stored together (each write also takes what arrived
 * while the previous one ran). 25 ms: `pnpm bench:group-commit` (2,000 appends/s over 500
 * debriefs, 2 cores at load 5-6) stored them in 308-321 inserts instead of 1,748-2,589 and cost
 * FerretDB 0.065-0.069 CPU s per 1,000 updates instead of 0.121-0.144, for a durable p99 of 38-40 ms
 * instead of 17-20. The wider window loses more to a crash, which the devices send back (see
 * DocGuard.ownPart); crash-recovery.int.test.ts passed 5 runs in a row with it.
 * With several processes, none: log entries carry no lease epoch, so a writer stopped inside its
 * window writes late under seqs its successor then uses, and the successor takes the refusal of
 * its own entries as "already stored" (cluster-shared.int lost the new writer's changes from the
 * log that way in CI); they reach storage only with the next snapshot.
 */
const GROUP_COMMIT_WINDOW_MS = 25;
/**
 * How long a shutdown lets devices answer the close it sent them before it cuts their sockets: a
 * live one answers in milliseconds, a vanished one never (see trackOpenSockets).
 */
const CLOSE_ANSWER_GRACE_MS = 2_000;

export class PortInUseError extends Error {}

export async function startServer(config: Config, logger: Logger, tuning: ServerTuning = {}): Promise<RunningServer> {
  const db = await openDatabase(config, logger);
  const { connection } = db;
  let cluster: Cluster | undefined;
  try {
    if (config.redisUrl) cluster = await joinCluster(config.redisUrl, logger);
  } catch (err) {
    await db.close();
    throw err;
  }

  // The Express app is built below, once its services exist; the handler must be registered now,
  // before Socket.IO attaches, because Socket.IO wraps the request listeners present at attach
  // time to keep `/socket.io/` for itself (a listener added later would answer those too).
  let app: Express | undefined;
  /** One-time moves and repairs still running after start-up, by name (shown on /healthz). */
  const backgroundWork = new Set<string>();
  // one after another: together they held every database connection while devices reconnected
  let backgroundQueue = Promise.resolve();
  const inBackground = (name: string, work: () => Promise<void>) => {
    backgroundWork.add(name);
    backgroundQueue = backgroundQueue
      .then(work)
      .catch((err: unknown) => logger.error({ err }, `${name}: failed; retried at next start`))
      .finally(() => backgroundWork.delete(name));
  };
  const httpServer = http.createServer((req, res) => app!(req, res));
  const openSockets = trackOpenSockets(httpServer);
  const limits = new RateLimits(config.rateLimits, cluster?.hitCounts);
  const changes = cluster?.changes ?? ONE_PROCESS_FEED;
  const auth = new AuthService(authModels(connection), config.sessionSecret, limits, changes, cluster?.sessionListLock);
  const realtime = createRealtime(httpServer, auth, logger, {
    trustProxy: config.trustProxy,
    adapter: cluster?.socketAdapter,
  });
  const notifications = new NotificationService(notificationCollections(connection), realtime, limits);
  realtime.handle('notifications:mark-read', ({ user, address }, body) =>
    notifications.markRead({ userId: user.id, address }, body),
  );

  const calendar = new ExchangeCalendar(connection);
  const settledParties = new SettledParties(connection);
  const discovery = new DiscoveryIndex();
  const blocks = new BlockService(blockListModel(connection), auth, discovery, limits, changes);
  const exchanges = new ExchangeService(
    exchangeModel(connection),
    inviteClaimModel(connection),
    auth,
    limits,
    calendar,
    settledParties,
    (from, to) => blocks.mayContact(from, to),
  );
  const notify = (n: NewNotification) => notifications.notify(n);
  const exchangeRequests = new ExchangeRequestService({
    requests: requestCollections(connection),
    transitions: requestTransitions(connection),
    exchanges,
    auth,
    limits,
    notify,
    // someone who blocked the sender is, to them, like an address with no account
    mayContact: (from, to) => blocks.mayContact(from, to),
    bookingLock: cluster?.bookingLock,
  });
  const partnershipData = partnershipStores(connection);
  const rhythm = new RhythmService(partnershipData.settings, calendar, exchanges, auth, notify);
  const rhythmSweep = setInterval(() => {
    // with several processes, one sweep per interval across all of them
    void (cluster ? cluster.firstInWindow('rhythm-sweep', RHYTHM_SWEEP_MS) : Promise.resolve(true))
      .then(async (mine) => {
        if (!mine) return;
        await rhythm.remindAllDue();
        const expired = await auth.sweepExpiredSessions();
        if (expired > 0) logger.info({ sessions: expired }, 'expired sessions deleted');
      })
      .catch((err: unknown) => logger.error({ err }, 'the hourly sweep (reminders, expired sessions) failed'));
  }, tuning.rhythmSweepMs ?? RHYTHM_SWEEP_MS);
  rhythmSweep.unref();
  const loopDelay = watchEventLoopDelay();
  const debriefContext = (exchangeId: string): Promise<DebriefContext | null> => exchanges.parties(exchangeId);
  const activity = new DebriefActivity(
    auth,
    notifications,
    debriefContext,
    (exchangeId, userId) => collab.isPresent(exchangeId, userId),
    (from, to) => blocks.mayContact(from, to),
    logger,
    cluster && ((key, windowMs) => cluster.firstInWindow(key, windowMs)),
  );
  const shards = new ReviewShards(connection);
  const review = new ReviewService(shards, auth);
  const threadReads = new ThreadReads(connection);
  const facts = exchangeFacts(exchangeModel(connection));
  const profiles = new ProfileService(
    profileModel(connection),
    profilePhotoModel(connection),
    auth,
    blocks,
    discovery,
    facts,
    limits,
    changes,
  );
  const vouching = new VouchingService(
    partnershipData,
    calendar,
    auth,
    (from, to) => blocks.mayContact(from, to),
    (viewer, userId) => profiles.requireVisible(viewer, userId),
    limits,
    (userId) => discovery.keptApart(userId),
  );
  const account = new AccountService(auth);
  const store = cluster
    ? cluster.sharedStore(mongoDocStore(connection), () => mongoDocStore(connection))
    : mongoDocStore(connection);
  const writer = new UpdateWriter(store, logger, { windowMs: cluster ? 0 : GROUP_COMMIT_WINDOW_MS });
  const projectionStates = new ProjectionStates(connection);
  const projector = new DebriefProjector({
    states: projectionStates,
    shards,
    contextOf: debriefContext,
    logger,
    onNewThreadEntries: (id, ctx, entries, roundOf) => activity.threadEntriesAdded(id, ctx, entries, roundOf),
    liveWritesIdle: () => writer.appendsStored(),
  });
  await modelsReady(connection);
  if (await dropUnreadCritiques(connection)) logger.info('dropped the unread critiques collection');
  const renamedRecords = await nameReviewRecordsByExchange(connection);
  if (renamedRecords > 0) logger.info({ records: renamedRecords }, 'review records now name their exchange');
  // before serving: a document loads from its bucket only
  const movedSnapshots = await moveLegacySnapshots(connection);
  if (movedSnapshots?.moved) logger.info(movedSnapshots, 'snapshots moved into their buckets');
  const movedStates = await projectionStates.moveLegacy();
  if (movedStates?.moved) logger.info(movedStates, 'projection states moved into their buckets');
  const movedVersions = await shards.moveLegacyVersions();
  if (movedVersions?.moved) logger.info(movedVersions, 'Review version tokens moved into their buckets');
  const rekeyed = await keySessionsByTokenHash(connection);
  if (rekeyed > 0) logger.info({ sessions: rekeyed }, 'sessions re-keyed by token hash');
  const movedSessions = await moveSessionsIntoBuckets(connection);
  if (movedSessions > 0) logger.info({ sessions: movedSessions }, 'sessions moved into their buckets');
  const indexStarted = performance.now();
  await profiles.loadIndex();
  logger.info({ profiles: discovery.size, ms: Math.round(performance.now() - indexStarted) }, 'discovery index built');
  const notes = createNotes({
    connection,
    auth,
    exchanges,
    realtime,
    logger,
    collab: () => collab,
    teachingCertifications: (userId) => profiles.teachingCertifications(userId),
    mayContact: (from, to) => blocks.mayContact(from, to),
    keptApart: (userId) => discovery.keptApart(userId),
    changes,
    limits,
    storageLock: cluster?.noteStorageLock,
    autoVersionEveryMs: tuning.noteAutoVersionEveryMs,
  });
  await notes.load();
  // the block is saved by then: a failure to close its note connections must not answer 500
  blocks.onChange((userId, otherId) =>
    notes
      .blocksChanged(userId, otherId)
      .catch((err: unknown) => logger.error({ err, userId }, 'closing note connections after a block change failed')),
  );
  registerAccountData(account, {
    connection,
    profiles,
    blocks,
    exchanges: facts,
    reviewShards: shards,
    exchangeRequests,
    notes,
    vouching,
  });
  const collab: CollabHub = new CollabHub({
    store,
    writer,
    logger,
    unloadDelayMs: tuning.unloadDelayMs,
    sharing: cluster?.rooms,
    refusals: cluster?.hitCounts,
    hooks: documentHooks(
      debriefCollabHooks({
        auth,
        exchanges,
        projector,
        onJoin: (id, user) => activity.joined(id, user),
        trustProxy: config.trustProxy,
        logger,
      }),
      notes.collabHooks,
    ),
  });
  const stopMemoryReturn = returnMemoryWhenQuiet(() => collab.stats().rooms);
  // With several processes, a document may be live on another: repair only while holding its lease.
  const repairAlone = cluster
    ? (id: string, repair: () => Promise<void>) => cluster.rooms.whileHolding(id, repair)
    : undefined;
  const whileNotLive = (id: string, repair: () => Promise<void>) =>
    collab.whileNotLive(id, repairAlone ? () => repairAlone(id, repair) : repair);
  exchanges.onPartnerJoined((exchangeId) => {
    projectForNewPartner(store, projector, exchangeId, whileNotLive).catch((err: unknown) =>
      logger.error({ err, exchangeId }, 'projecting a debrief for a partner who joined failed'),
    );
  });
  if (cluster)
    cluster.shareSignOuts(
      (listener) => auth.onSignOut(listener),
      (key) => collab.closeSession(key),
    );
  else auth.onSignOut((sessionKey) => collab.closeSession(sessionKey));

  app = createHttpApp({
    logger,
    connection,
    trustProxy: config.trustProxy,
    serveClient: config.serveClient,
    writeWaitMs: () => writer.stalledMs(),
    stats: () => ({
      collab: collab.stats(),
      eventLoopDelay: loopDelay.figures(),
      rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
      backgroundWork: [...backgroundWork],
      // which process answered, behind a balancer (the id it holds leases under)
      ...(cluster ? { instance: cluster.owner } : {}),
    }),
    beforeApi: cluster && (() => changes.caughtUp()),
    apiRouters: [
      authRoutes(auth),
      exchangeRoutes(auth, exchanges),
      exchangeRequestRoutes(auth, exchangeRequests),
      partnershipRoutes(auth, rhythm, vouching),
      notificationRoutes(auth, notifications),
      reviewRoutes(auth, review),
      debriefRoutes(auth, new DebriefService({ exchanges, review, collab, threadReads })),
      notes.routes,
      profileRoutes(auth, profiles, blocks),
      accountRoutes(auth, account),
    ],
  });
  httpServer.on('upgrade', (req, socket, head) => {
    if (!collab.handleUpgrade(req, socket, head) && !req.url?.startsWith('/socket.io/')) socket.destroy();
  });

  try {
    await listen(httpServer, config.port, config.host);
  } catch (err) {
    loopDelay.stop();
    stopMemoryReturn();
    await collab.close();
    await cluster?.close();
    await db.close();
    throw err;
  }
  const port = (httpServer.address() as AddressInfo).port;
  logger.info({ port }, `Kneadback listening on http://localhost:${port}`);
  // In the background, once per database; /healthz lists what is still running. Until a move is
  // done, someone's older notifications (or thread markers) may be missing; the rest only cost time.
  inBackground('notifications to one collection per user', () =>
    moveNotificationsToPerUserCollections(connection).then(({ moved, skipped }) => {
      if (moved + skipped > 0) logger.info({ moved, skipped }, 'notifications moved to one collection per user');
    }),
  );
  inBackground('calendars from earlier exchanges', () =>
    backfillCalendars(connection, calendar).then((done) => {
      if (done && done.booked > 0) logger.info(done, 'exchange calendars filled from earlier exchanges');
    }),
  );
  inBackground("settled exchanges' parties into their buckets", () =>
    settledParties
      .fill(() => exchanges.allSettledParties())
      .then((done) => {
        if (done && done.copied > 0) logger.info(done, "settled exchanges' parties copied into their buckets");
      }),
  );
  inBackground('thread read markers to one collection per user', () =>
    threadReads.moveLegacy().then((moved) => {
      if (moved > 0) logger.info({ moved }, 'thread read markers moved to one collection per user');
    }),
  );
  // Serving starts at once; a debrief opened meanwhile loads its own log.
  let stopping: Promise<void> | undefined;
  backgroundWork.add('repairing debriefs left open');
  void repairUncleanDebriefs(store, projector, logger, whileNotLive)
    .catch((err: unknown) => {
      // a stop closes the database under a repair still running: the next start repairs the rest
      if (stopping) logger.info('repairing debriefs left open stopped with the server; the next start goes on');
      else logger.error({ err }, 'repairing debriefs left open failed; they are repaired when opened');
    })
    .finally(() => backgroundWork.delete('repairing debriefs left open'));

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connection,
    collab,
    stop: () =>
      (stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
        // a keep-alive connection would carry requests up to the moment its socket is cut
        openSockets.endKeepAlive();
        // every document stored and compacted before its lease is released (in collab.close)
        await collab.close();
        notes.stop();
        clearInterval(rhythmSweep);
        loopDelay.stop();
        stopMemoryReturn();
        const realtimeClosed = realtime.close();
        // every device was told to go when collab.close began; a live one answers in milliseconds
        await Promise.race([
          Promise.all([realtimeClosed, closed]),
          delay(CLOSE_ANSWER_GRACE_MS, undefined, { ref: false }),
        ]);
        openSockets.destroyAll();
        await realtimeClosed;
        await closed;
        await cluster?.close();
        await db.close();
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
