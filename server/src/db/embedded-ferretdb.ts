import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync, rmSync, openSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../config.ts';
import type { Logger } from '../logger.ts';

/**
 * Driver connections to the embedded FerretDB (in its URI). FerretDB opens a SQLite connection
 * for each request it serves at once, and each new one parses the whole schema, which grows with
 * the collections: a freshly started FerretDB spent 1.5 of its 1.9 CPU-seconds of a 200-device
 * cold join on a 7,000-table database parsing schemas when the burst happened to open many, 0.45
 * when it opened few. On two cores more than 4 requests at once gain nothing. (Capping FerretDB's
 * own SQLite pool instead deadlocked: an open cursor holds its connection.)
 */
export const EMBEDDED_POOL_SIZE = 4;

/**
 * The embedded default database: a FerretDB v1 process on its SQLite backend, owned by this app.
 * Its pid and port live in a state file so that a copy left behind by a crashed run is found
 * and replaced on the next start instead of running twice over the same files.
 */
export interface EmbeddedDatabase {
  uri: string;
  pid: number;
  stop(): Promise<void>;
}

const FERRETDB_VERSION = 'v1.24.2';
export const BUILT_FERRETDB_PATH = path.join(REPO_ROOT, '.tools', 'bin', 'ferretdb');

export class EmbeddedDatabaseError extends Error {}

export function findFerretdbBinary(explicit: string | undefined): string {
  const candidates = explicit ? [explicit] : [BUILT_FERRETDB_PATH, 'ferretdb'];
  for (const candidate of candidates) {
    try {
      const out = execFileSync(candidate, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      if (out.includes('version:')) return candidate;
    } catch {
      // not there, or a broken build: try the next one
    }
  }
  throw new EmbeddedDatabaseError(
    explicit
      ? `FERRETDB_BIN=${explicit} does not run. Point it at a FerretDB ${FERRETDB_VERSION} binary, or set MONGODB_URI.`
      : `FerretDB ${FERRETDB_VERSION} is not installed. Run "npm start" (it builds FerretDB with Go), ` +
          'or run "node scripts/install-ferretdb.mjs", or set MONGODB_URI to a MongoDB server.',
  );
}

interface InstanceState {
  pid: number;
  port: number;
}

export async function startEmbeddedFerretdb(opts: {
  dataDir: string;
  binary: string | undefined;
  logger: Logger;
  dbName?: string;
}): Promise<EmbeddedDatabase> {
  const binary = findFerretdbBinary(opts.binary);
  const dir = path.join(opts.dataDir, 'ferretdb');
  const sqliteDir = path.join(dir, 'sqlite');
  mkdirSync(sqliteDir, { recursive: true });
  const stateFile = path.join(dir, 'instance.json');

  await replaceLeftoverInstance(stateFile, opts.logger);

  const port = await freePort();
  const logFd = openSync(path.join(dir, 'ferretdb.log'), 'a');
  const child = spawn(
    binary,
    ferretdbArgs({ sqliteDir, stateDir: dir, port, logLevel: 'warn' }),
    // Its own process group: Ctrl-C in the terminal must not stop the database before the app
    // has flushed its writes; the app stops it last.
    { stdio: ['ignore', logFd, logFd], detached: true },
  );
  if (child.pid === undefined) throw new EmbeddedDatabaseError(`could not start ${binary}`);
  writeFileSync(stateFile, JSON.stringify({ pid: child.pid, port } satisfies InstanceState));

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitForPort(port, exited, 20_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new EmbeddedDatabaseError(
      `embedded FerretDB did not start: ${(err as Error).message}; see ${path.join(dir, 'ferretdb.log')}`,
    );
  }
  lowerPriority(child.pid, opts.logger);
  opts.logger.info({ port, ferretdbPid: child.pid, dataDir: sqliteDir }, 'embedded FerretDB started');

  return {
    uri: `mongodb://127.0.0.1:${port}/${opts.dbName ?? 'kneadback'}?maxPoolSize=${EMBEDDED_POOL_SIZE}`,
    pid: child.pid,
    stop: () => stopChild(child, exited, stateFile),
  };
}

/**
 * The database runs below the app's priority: when both want the CPU, relaying a live edit (a
 * few hundred microseconds) goes first and storing it (already off the live path, gathered into
 * group commits) waits; bench:collab showed FerretDB taking a third of a core at 2,000 edits/s.
 */
const FERRETDB_NICENESS = 10;

/** Linux sets priority per thread: every thread the database runs so far (later ones inherit it). */
function lowerPriority(pid: number, logger: Logger): void {
  let threads = [pid];
  try {
    if (process.platform === 'linux') threads = readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    // gone already: the caller finds out
  }
  for (const thread of threads) {
    try {
      os.setPriority(thread, FERRETDB_NICENESS);
    } catch (err) {
      logger.debug({ err, pid, thread }, 'could not lower the database priority');
    }
  }
}

/** FerretDB on SQLite, on loopback only, with no debug endpoint and no telemetry. */
export function ferretdbArgs(o: { sqliteDir: string; stateDir: string; port: number; logLevel: string }): string[] {
  return [
    '--handler=sqlite',
    `--sqlite-url=file:${o.sqliteDir}/`,
    `--listen-addr=127.0.0.1:${o.port}`,
    `--state-dir=${o.stateDir}`,
    '--debug-addr=-',
    '--telemetry=disable',
    `--log-level=${o.logLevel}`,
  ];
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, stateFile: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const timeout = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timeout);
  }
  rmSync(stateFile, { force: true });
}

async function replaceLeftoverInstance(stateFile: string, logger: Logger): Promise<void> {
  if (!existsSync(stateFile)) return;
  let state: InstanceState | undefined;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8')) as InstanceState;
  } catch {
    state = undefined;
  }
  if (state && isFerretdbProcess(state.pid)) {
    logger.warn({ pid: state.pid }, 'replacing an embedded FerretDB left running by an earlier run');
    process.kill(state.pid, 'SIGTERM');
    const deadline = Date.now() + 5_000;
    while (isAlive(state.pid) && Date.now() < deadline) await sleep(10);
    if (isAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
  }
  rmSync(stateFile, { force: true });
}

/**
 * Whether a process still runs. A zombie (exited, files closed, not yet reaped by its parent or
 * init) counts as gone: waiting for the reaping cost restarts after a crash over a second.
 */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (not Linux): the signal check is all there is
  }
}

/** Pids get reused: only a live process whose command line is FerretDB's counts as ours. */
function isFerretdbProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('ferretdb');
  } catch {
    return true;
  }
}

/** A TCP port free on loopback right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let hasExited = false;
  void exited.then(() => (hasExited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited) throw new Error('the process exited during start-up');
    if (await canConnect(port)) return;
    await sleep(50);
  }
  throw new Error(`no answer on port ${port} within ${timeoutMs} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
