import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type mongoose from 'mongoose';
import type { Config } from './config.ts';
import { connectDatabase } from './db/connection.ts';
import { startEmbeddedFerretdb, type EmbeddedDatabase } from './db/embedded-ferretdb.ts';
import { authModels } from './features/auth/model.ts';
import { authRoutes } from './features/auth/routes.ts';
import { AuthService } from './features/auth/service.ts';
import { createHttpApp } from './http/app.ts';
import type { Logger } from './logger.ts';

export interface RunningServer {
  url: string;
  port: number;
  connection: mongoose.Connection;
  /** Stop accepting, close sockets, flush pending writes, stop the embedded database. */
  stop(): Promise<void>;
}

export class PortInUseError extends Error {}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
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

  const auth = new AuthService(authModels(connection), config.sessionSecret);
  await Promise.all(Object.values(connection.models).map((m) => m.init()));

  const app = createHttpApp({
    logger,
    connection,
    trustProxy: config.trustProxy,
    serveClient: config.serveClient,
    apiRouters: [authRoutes(auth)],
  });
  const httpServer = http.createServer(app);

  try {
    await listen(httpServer, config.port, config.host);
  } catch (err) {
    await connection.close();
    await embedded?.stop();
    throw err;
  }
  const port = (httpServer.address() as AddressInfo).port;
  logger.info({ port }, `Kneadback listening on http://localhost:${port}`);

  let stopping: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connection,
    stop: () =>
      (stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeAllConnections();
        });
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
