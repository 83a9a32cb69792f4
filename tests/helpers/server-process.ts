// The real server as a separate process, for tests that kill it (SIGKILL) and start it again.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/src/config.ts';
import { freePort } from '../../server/src/db/embedded-ferretdb.ts';
import serverProcessEnv from '../../server/process-env.json' with { type: 'json' };
import { eventually } from './eventually.ts';

export interface ServerProcess {
  url: string;
  /** The running server's process id (undefined before start and after it exited). */
  pid(): number | undefined;
  start(): Promise<void>;
  /** Resolves with the exit code (null: ended by a signal) once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  /** Sends a signal without waiting for an exit (SIGSTOP / SIGCONT freeze and thaw the process). */
  signal(signal: NodeJS.Signals): void;
}

export interface Launch {
  /**
   * Run the production build (`server/dist/main.js`, built once per calling process) with plain
   * node, as `npm start` does: what benchmarks measure. Otherwise the source runs through tsx.
   */
  compiled?: boolean;
}

/**
 * SERVER_NODE_FLAGS: node flags for every server process started here, for looking into one
 * (`--cpu-prof --cpu-prof-dir=/tmp/prof`, `--trace-gc`); Node refuses those in NODE_OPTIONS.
 */
const nodeFlags = (process.env.SERVER_NODE_FLAGS ?? '').split(' ').filter(Boolean);

let built = false;
/** `pnpm build:server`, once: a fraction of a second (it replaces each file whole, so a server already running from dist is safe). */
function buildServer(): void {
  if (built) return;
  execFileSync(process.execPath, ['server/build.mjs'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

/** `overrides`: environment variables to change, as loadConfig reads them. */
export async function serverProcess(
  mongodbUri: string,
  overrides: Partial<Record<string, string>> = {},
  launch: Launch = {},
): Promise<ServerProcess> {
  if (launch.compiled) buildServer();
  const port = await freePort();
  const env = {
    ...serverProcessEnv, // as production launches it (npm start)
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: mongodbUri,
    DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'kb-proc-')),
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    // benchmarks and drills sign up many accounts from one address
    RATE_LIMITS: 'off',
    ...overrides,
  };
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  return {
    url,
    pid: () => (child && child.exitCode === null && child.signalCode === null ? child.pid : undefined),
    async start() {
      // node --import tsx: one process, so SIGKILL really kills the server (the tsx wrapper
      // would leave its child running)
      const entry = [
        ...nodeFlags,
        ...(launch.compiled
          ? ['--enable-source-maps', 'server/dist/main.js']
          : ['--import', 'tsx', 'server/src/main.ts']),
      ];
      child = spawn(process.execPath, entry, {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      await eventually(
        async () => {
          const res = await fetch(`${url}/healthz`);
          if (res.status !== 200) throw new Error(`healthz ${res.status}`);
        },
        { timeout: 30_000, interval: 100 },
      );
    },
    signal(signal) {
      child?.kill(signal);
    },
    async kill(signal) {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return c?.exitCode ?? null; // gone already (a SIGKILL counts)
      const exited = new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));
      c.kill(signal);
      return exited;
    },
  };
}
