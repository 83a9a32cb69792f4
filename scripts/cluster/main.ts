// `pnpm cluster N`: N server processes on the embedded database, sharing Redis, behind a
// round-robin balancer, for trying several processes on one machine. Production runs the same
// processes behind its own balancer (README, "Several server processes").
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, REPO_ROOT } from '../../server/src/config.ts';
import { freePort, startEmbeddedFerretdb } from '../../server/src/db/embedded-ferretdb.ts';
import { createLogger } from '../../server/src/logger.ts';
import { connectRedis } from '../../server/src/scale/redis-connections.ts';
import serverProcessEnv from '../../server/process-env.json' with { type: 'json' };
import { startBalancer } from './balancer.ts';

const count = Number(process.argv[2] ?? 2);
if (!Number.isInteger(count) || count < 1 || count > 16) {
  console.error('usage: pnpm cluster N   (N server processes, 1 to 16)');
  process.exit(2);
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// this process holds the database and the balancer; the servers get REDIS_URL
const config = loadConfig({ ...process.env, REDIS_URL: undefined });
const logger = createLogger(config.logLevel);
try {
  await (await connectRedis(redisUrl, logger)).close();
} catch (err) {
  console.error(`${(err as Error).message}. Start one with: redis-server --daemonize yes`);
  process.exit(1);
}
const database = config.mongodbUri
  ? { uri: config.mongodbUri, stop: async () => undefined }
  : await startEmbeddedFerretdb({ dataDir: config.dataDir, binary: config.ferretdbBin, logger });

const children: ChildProcess[] = [];
const targets: string[] = [];
for (let i = 0; i < count; i++) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...serverProcessEnv,
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      MONGODB_URI: database.uri,
      REDIS_URL: redisUrl,
      SESSION_SECRET: config.sessionSecret,
      TRUST_PROXY: '1',
      SERVE_CLIENT: String(existsSync(path.join(REPO_ROOT, 'client', 'dist', 'index.html'))),
    },
  });
  child.once('exit', (code, signal) => logger.warn({ port, code, signal }, 'a server process exited'));
  children.push(child);
  targets.push(`http://127.0.0.1:${port}`);
}
const balancer = await startBalancer(targets, config.port);
console.log(`Kneadback cluster: ${count} processes (${targets.join(', ')}) behind ${balancer.url}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  // each process stores its documents and releases their leases on SIGTERM
  await Promise.all(
    children.map(
      (c) =>
        new Promise((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve(undefined);
          c.once('exit', resolve);
          c.kill('SIGTERM');
        }),
    ),
  );
  await balancer.close();
  await database.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
