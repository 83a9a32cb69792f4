import type mongoose from 'mongoose';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { connectDatabase } from './connection.ts';
import { startEmbeddedFerretdb, type EmbeddedDatabase } from './embedded-ferretdb.ts';

export interface OpenDatabase {
  connection: mongoose.Connection;
  /** Closes the connection, then stops the embedded database if this started it. */
  close(): Promise<void>;
}

/**
 * The database the configuration names: MONGODB_URI, or else the embedded FerretDB in DATA_DIR
 * (started here). The server and `pnpm seed` both open it this way.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<OpenDatabase> {
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
  return {
    connection,
    async close() {
      try {
        await connection.close();
      } finally {
        await embedded?.stop();
      }
    },
  };
}

/** Builds the indexes of every model registered on the connection. */
export async function modelsReady(connection: mongoose.Connection): Promise<void> {
  await Promise.all(Object.values(connection.models).map((m) => m.init()));
}
