import mongoose from 'mongoose';
import type { Logger } from '../logger.ts';

export class DatabaseUnreachableError extends Error {}

/** Each server gets its own connection so tests can run several servers against several databases. */
export async function connectDatabase(uri: string, logger: Logger): Promise<mongoose.Connection> {
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: 8_000,
    // FerretDB v1 has no retryable writes (they need replica-set sessions).
    retryWrites: false,
    autoIndex: true,
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
