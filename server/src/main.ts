// first: the heap's growth limit must be set before the server allocates
import './heap-growth.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DatabaseUnreachableError } from './db/connection.ts';
import { EmbeddedDatabaseError } from './db/embedded-ferretdb.ts';
import { createLogger } from './logger.ts';
import { RedisUnreachableError } from './scale/redis-connections.ts';
import { PortInUseError, startServer } from './server.ts';

const KNOWN_START_FAILURES = [
  ConfigError,
  DatabaseUnreachableError,
  EmbeddedDatabaseError,
  PortInUseError,
  RedisUnreachableError,
];

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger);

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    // Flushing waits for the database; if it is gone, do not hang forever. Exiting early loses no
    // edit (they are in the log); documents left open are repaired at the next start.
    setTimeout(() => {
      logger.error('shutdown did not finish within 60 s (is the database reachable?); exiting');
      process.exit(1);
    }, 60_000).unref();
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Last resort, for what no handler caught (see "Operations" in the README):
  // - a rejected promise nobody awaited belongs to one request or connection; the rest of the
  //   server is untouched, so it is logged and every other debrief keeps working;
  // - a thrown exception unwound through code that may have been half-way through changing
  //   shared state (a room, the write queue), so carrying on could corrupt documents: log it and
  //   exit non-zero for the supervisor to restart us. No edit is lost: clients hold what they
  //   showed and resend it on reconnect, and the next start repairs documents left open.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection; still serving'));
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception; exiting so a supervisor restarts the server');
    process.exit(70); // EX_SOFTWARE
  });
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  if (KNOWN_START_FAILURES.some((kind) => err instanceof kind)) {
    console.error(`Kneadback could not start: ${(err as Error).message}`);
  } else {
    console.error('Kneadback could not start:', err);
  }
  process.exit(1);
});
