// The real server as a child process that a drill or benchmark watches: it notices the moment the
// process exits (with its last log lines), can start it again on the same port, data dir and
// session secret (so sessions and live clients survive the restart), and keeps the full log in a
// file. serverProcess() (server-process.ts) is the simpler sibling used by the crash tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, type WriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../../server/src/config.ts';
import { freePort } from '../../server/src/db/embedded-ferretdb.ts';

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** ms since the watcher was created */
  at: number;
  /** The last lines the process wrote (stderr and stdout interleaved), oldest first. */
  tail: string[];
}

export interface WatchedServer {
  url: string;
  /** Where every line the server wrote goes (across restarts). */
  logFile: string;
  readonly alive: boolean;
  /** Every exit that was not asked for with stop(), oldest first. */
  readonly exits: readonly ServerExit[];
  /** Log lines at level error or fatal, and lines that are not JSON (stack traces), as written. */
  readonly problemLines: readonly string[];
  start(timeoutMs?: number): Promise<void>;
  /** Resolves when the process exits unasked (immediately if it is not running). */
  exited(): Promise<ServerExit | null>;
  /** Asks the process to stop; after `graceMs` it is killed. Resolves with its exit code. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
}

const TAIL_LINES = 60;
const MAX_PROBLEM_LINES = 2_000;

export async function watchedServer(
  mongodbUri: string,
  opts: { logLevel?: string; env?: Record<string, string> } = {},
): Promise<WatchedServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-watched-'));
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    PORT: String(port),
    HOST: '127.0.0.1',
    MONGODB_URI: mongodbUri,
    DATA_DIR: dataDir,
    SESSION_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: opts.logLevel ?? process.env.TEST_LOG_LEVEL ?? 'warn',
    SERVE_CLIENT: 'false',
    ...opts.env,
  };
  const url = `http://127.0.0.1:${port}`;
  const logFile = path.join(dataDir, 'server.log');
  const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
  const t0 = performance.now();
  const tail: string[] = [];
  const problemLines: string[] = [];
  const exits: ServerExit[] = [];
  let child: ChildProcess | null = null;
  let stopping = false;
  let exitWaiters: ((exit: ServerExit | null) => void)[] = [];

  const onLine = (line: string) => {
    if (!line) return;
    log.write(line + '\n');
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
    let level = 60;
    try {
      level = (JSON.parse(line) as { level?: number }).level ?? 60;
    } catch {
      // not pino JSON: a stack trace or a message printed by Node itself
    }
    if (level >= 50 && problemLines.length < MAX_PROBLEM_LINES) problemLines.push(line);
  };
  const lines = (stream: NodeJS.ReadableStream) => {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) onLine(p);
    });
    stream.on('end', () => {
      onLine(rest);
      rest = '';
    });
  };

  const server: WatchedServer = {
    url,
    logFile,
    get alive() {
      return child !== null && child.exitCode === null && child.signalCode === null;
    },
    exits,
    problemLines,
    async start(timeoutMs = 30_000) {
      if (server.alive) throw new Error('the server is already running');
      stopping = false;
      tail.length = 0; // the last words of an earlier run belong to its exit
      // node --import tsx: one process, so a signal or a crash ends the server itself
      const c = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      lines(c.stdout!);
      lines(c.stderr!);
      c.once('exit', (code, signal) => {
        if (stopping) return;
        // give the pipes a moment to deliver the last lines (the stack trace) before copying them
        setTimeout(() => {
          const exit: ServerExit = { code, signal, at: performance.now() - t0, tail: [...tail] };
          exits.push(exit);
          const waiters = exitWaiters;
          exitWaiters = [];
          for (const w of waiters) w(exit);
        }, 50);
      });
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (!server.alive) throw new Error(`the server exited while starting:\n${tail.join('\n')}`);
        try {
          const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
          if (res.status === 200) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > deadline) throw new Error(`the server did not answer /healthz within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    exited() {
      if (!server.alive) return Promise.resolve(exits.at(-1) ?? null);
      return new Promise((resolve) => exitWaiters.push(resolve));
    },
    async stop(signal = 'SIGTERM', graceMs = 15_000) {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return c?.exitCode ?? null;
      stopping = true;
      const done = new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));
      c.kill(signal);
      const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
      const code = await done;
      clearTimeout(timer);
      for (const w of exitWaiters) w(null);
      exitWaiters = [];
      return code;
    },
  };
  return server;
}

/** One line saying how and when the process ended. */
export function formatExit(exit: ServerExit): string {
  const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
  return `server process ended (${how}) at ${(exit.at / 1000).toFixed(1)} s`;
}
