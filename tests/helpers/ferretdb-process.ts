// A FerretDB the test owns, on its own port and files, so it can be paused (SIGSTOP), stopped and
// started again on the same port and data without touching the FerretDB other test files share.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ferretdbArgs, findFerretdbBinary, freePort } from '../../server/src/db/embedded-ferretdb.ts';
import { eventually } from './eventually.ts';

export interface FerretdbProcess {
  /** A MongoDB URI for a database of this name on it. */
  uri(dbName: string): string;
  pause(): void;
  resume(): void;
  /** Stops the process (SIGTERM); the files stay. */
  stop(): Promise<void>;
  /** Kills the process (SIGKILL, paused or not): what it had received and not written is gone. */
  crash(): Promise<void>;
  /** Starts it again on the same port and files. */
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function ferretdbProcess(): Promise<FerretdbProcess> {
  const binary = findFerretdbBinary(process.env.FERRETDB_BIN);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-own-ferretdb-'));
  const port = await freePort();
  let child: ChildProcess | null = null;

  const start = async () => {
    child = spawn(binary, ferretdbArgs({ sqliteDir: dir, stateDir: dir, port, logLevel: 'error' }), {
      stdio: 'ignore',
    });
    await eventually(() => connects(port), { timeout: 20_000 });
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    running.kill('SIGCONT');
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };

  const crash = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    uri: (dbName) => `mongodb://127.0.0.1:${port}/${dbName}`,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    stop,
    crash,
    start,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function connects(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}
