// A real Kneadback server for one test file: its own database (a fresh name inside the test
// database server from global-setup), its own data dir and session secret, a free port.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../server/src/config.ts';
import { createLogger } from '../../server/src/logger.ts';
import { startServer, type RunningServer } from '../../server/src/server.ts';
import { TestClient } from './http-client.ts';
import type {} from './global-setup.ts'; // the ProvidedContext declaration

/** Environment variables (as loadConfig reads them) to change for one test server. */
export type TestServerOverrides = Partial<Record<string, string>>;

export interface TestServer extends RunningServer {
  config: Config;
  /** Name of the database this server owns (dropped again by stop()). */
  databaseName: string;
  /** A new cookie-keeping HTTP client pointed at this server. */
  client(): TestClient;
}

/** startServer's optional third argument (timings tests shorten), whatever it holds today. */
export type TestServerTuning = Parameters<typeof startServer>[2];

export async function startTestServer(
  overrides: TestServerOverrides = {},
  tuning?: TestServerTuning,
): Promise<TestServer> {
  const databaseName = `kb_test_${randomBytes(6).toString('hex')}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-test-server-'));
  const mongodbUri = withDatabaseName(inject('mongoUri'), databaseName);
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    MONGODB_URI: mongodbUri,
    DATA_DIR: dataDir,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SERVE_CLIENT: 'false',
    // every test server listens on 127.0.0.1, so per-address limits would count a whole file's
    // sign-ups together; tests of the limits pass RATE_LIMITS: 'on'
    RATE_LIMITS: 'off',
    ...overrides,
  });

  let running: RunningServer;
  try {
    running = await startServer(config, createLogger(config.logLevel), tuning);
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    ...running,
    config,
    databaseName,
    client: () => new TestClient(running.url),
    stop: () =>
      (stopping ??= (async () => {
        await running.stop();
        // only the throwaway embedded FerretDB disappears with its directory; an external
        // server (MONGODB_URI) would otherwise collect one database per test file
        if (config.mongodbUri) await dropDatabase(config.mongodbUri);
        rmSync(dataDir, { recursive: true, force: true });
      })()),
  };
}

/** `mongodb://host:port/anything?opts` → `mongodb://host:port/<name>?opts` */
export function withDatabaseName(uri: string, name: string): string {
  const match = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!match) throw new Error(`not a mongodb URI: ${uri}`);
  return `${match[1]}/${name}${match[2] ?? ''}`;
}

async function dropDatabase(uri: string): Promise<void> {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5_000, retryWrites: false });
  try {
    await connection.asPromise();
    await connection.dropDatabase();
  } catch {
    // best effort: a leftover test database is harmless
  } finally {
    await connection.close().catch(() => undefined);
  }
}
