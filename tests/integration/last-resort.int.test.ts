// main.ts's policy for what no handler caught (README, "Operations"): a stray rejected promise is
// logged and the server keeps serving; an uncaught exception is logged and the process exits
// with code 70 for a supervisor to restart it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { REPO_ROOT } from '../../server/src/config.ts';
import { freePort } from '../../server/src/db/embedded-ferretdb.ts';
import { eventually } from '../helpers/eventually.ts';
import { withDatabaseName } from '../helpers/test-server.ts';

let child: ChildProcess;
let output = '';
let url: string;
let exited: Promise<number | null>;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-last-resort-'));

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './tests/helpers/inject-faults.ts', 'server/src/main.ts'],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        MONGODB_URI: withDatabaseName(inject('mongoUri'), `kb_test_${randomBytes(6).toString('hex')}`),
        DATA_DIR: dataDir,
        SESSION_SECRET: randomBytes(32).toString('hex'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  await eventually(async () => expect((await fetch(`${url}/healthz`)).status).toBe(200), {
    timeout: 30_000,
    interval: 100,
  });
});

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

it('logs a rejected promise nobody awaited and keeps serving', async () => {
  child.kill('SIGUSR2');
  await eventually(() => expect(output).toContain('unhandled rejection; still serving'));
  expect(output).toContain('injected: a promise nobody awaited');
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  expect(child.exitCode).toBeNull();
});

it('logs an uncaught exception and exits with code 70 for a supervisor to restart', async () => {
  child.kill('SIGHUP');
  expect(await exited).toBe(70);
  expect(output).toContain('uncaught exception; exiting so a supervisor restarts the server');
  expect(output).toContain('injected: an exception nobody caught');
});
