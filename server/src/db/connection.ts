import mongoose from 'mongoose';
import type { Logger } from '../logger.ts';

export class DatabaseUnreachableError extends Error {}

/**
 * Connections the driver opens at most, unless the URI says (`maxPoolSize=`). FerretDB v1 on
 * SQLite opens one SQLite connection per concurrent request, and each parses the whole schema:
 * a database with thousands of collections made a freshly started FerretDB take 1.95 GB and a
 * cold join of 200 devices 18.7 s with the driver's default of 100; with 8, 222 MB and 4.2 s. Two
 * cores gain nothing from more requests in flight at once.
 */
const MAX_POOL_SIZE = 10;

/** Each server gets its own connection so tests can run several servers against several databases. */
export async function connectDatabase(uri: string, logger: Logger): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 8_000,
    // FerretDB v1 has no retryable writes (they need replica-set sessions).
    retryWrites: false,
    autoIndex: true,
    ...(/[?&]maxPoolSize=/i.test(uri) ? {} : { maxPoolSize: MAX_POOL_SIZE }),
  });
  try {
    await connection.asPromise();
  } catch (err) {
    throw new DatabaseUnreachableError(`database unreachable at ${redactUri(uri)}: ${(err as Error).message}`);
  }
  logger.info({ uri: redactUri(uri) }, 'database connected');
  return connection;
}

export function redactUri(uri: string): string {
  return uri.replace(/\/\/([^@/]*)@/, '//[credentials]@');
}

export type DatabaseState = 'connected' | 'connecting' | 'disconnected' | 'not answering';

export function databaseState(connection: mongoose.Connection): DatabaseState {
  switch (connection.readyState) {
    case mongoose.ConnectionStates.connected:
      return 'connected';
    case mongoose.ConnectionStates.connecting:
      return 'connecting';
    default:
      return 'disconnected';
  }
}

/** A write refused because a document with its `_id` (or unique key) exists already. */
export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000;
}

/** A write of many documents whose every failure was a duplicate key (or a single such failure). */
export function onlyDuplicateKeyErrors(err: unknown): boolean {
  const e = err as { code?: number; writeErrors?: { code?: number; err?: { code?: number } }[] };
  if (e.writeErrors?.length) return e.writeErrors.every((w) => isDuplicateKey({ code: w.code ?? w.err?.code }));
  return isDuplicateKey(err);
}

const ferretdbByConnection = new WeakMap<mongoose.Connection, Promise<boolean>>();

/** Whether the database is FerretDB rather than MongoDB (its buildInfo names its own version); asked once. */
export function isFerretdb(connection: mongoose.Connection): Promise<boolean> {
  let answer = ferretdbByConnection.get(connection);
  if (!answer) {
    answer = connection
      .db!.admin()
      .command({ buildInfo: 1 })
      .then((info) => 'ferretdbVersion' in info)
      .catch(() => {
        ferretdbByConnection.delete(connection); // ask again next time
        return false;
      });
    ferretdbByConnection.set(connection, answer);
  }
  return answer;
}
