// `npm start` and `npm test` on a fresh clone with only Node.js 20, npm and Go installed:
// pnpm 12.4.2 (the global one, or fetched through npx), dependencies, FerretDB, then
//   start [--demo]  build the server and the client, optionally seed demo data, run the compiled
//                   server with plain node in the foreground
//   test            lint, format check, type check and every vitest project, then "N passed, N failed"
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFerretdb } from './install-ferretdb.mjs';
import serverProcessEnv from '../server/process-env.json' with { type: 'json' };

const PNPM_VERSION = '12.4.2';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS_FILE = path.join(root, '.data', 'test-results.json');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// `pnpm build:server` compiles these (server/build.mjs); node runs them, no TypeScript loader
const SERVER_ENTRY = 'server/dist/main.js';
const SEED_ENTRY = 'server/dist/seed.js';

const [command, ...args] = process.argv.slice(2);
if (command !== 'start' && command !== 'test') {
  console.error('usage: node scripts/bootstrap.mjs start [--demo] | test');
  process.exit(2);
}

/** The child running now; signals sent to us go on to it, so it can shut down cleanly. */
let current;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (current && current.exitCode === null && current.signalCode === null) current.kill(signal);
    else process.exit(128 + (signal === 'SIGINT' ? 2 : 15));
  });
}

const pnpm = findPnpm();
// package.json scripts call `pnpm` by name (`pnpm build` runs `pnpm --filter ...`), and so may
// any tool they start: the pnpm we found goes first on PATH for everything spawned from here on,
// or a machine without a global pnpm fails with "pnpm: not found".
process.env.PATH = [path.dirname(pnpm), process.env.PATH].filter(Boolean).join(path.delimiter);
process.chdir(root);

if (command === 'test') {
  await ensureChromium();
  await ensureRedis();
}
step(`pnpm install --frozen-lockfile`);
await mustSucceed(pnpm, ['install', '--frozen-lockfile']);
if (process.env.MONGODB_URI) console.log('MONGODB_URI is set: using that database server, not the embedded FerretDB.');
else ensureFerretdb();

process.exit(command === 'start' ? await start() : await test());

async function start() {
  if (existsSync(path.join(root, 'client', 'index.html'))) {
    step('pnpm build');
    await mustSucceed(pnpm, ['build']);
  } else {
    console.warn('warning: client/index.html does not exist yet; building only the server (the API still runs).');
    step('pnpm build:server');
    await mustSucceed(pnpm, ['build:server']);
  }

  const env = { ...serverProcessEnv, ...process.env, NODE_ENV: 'production', PORT: process.env.PORT || '3000' };
  // The compiled files run on the node running us (the one npm chose): no pnpm, no tsx in between,
  // so the signals we forward reach the server itself.
  const node = process.execPath;
  if (args.includes('--demo') || process.env.DEMO_DATA === '1') {
    step(`node --enable-source-maps ${SEED_ENTRY}`);
    await mustSucceed(node, ['--enable-source-maps', SEED_ENTRY], { env });
  }
  step(`node --enable-source-maps ${SERVER_ENTRY} (NODE_ENV=production, PORT=${env.PORT})`);
  const server = run(node, ['--enable-source-maps', SERVER_ENTRY], { env });
  if (current?.pid) console.log(`server pid ${current.pid}`);
  const { code } = await server;
  // After Ctrl-C the shell npm runs us in reports SIGINT whatever we return: say how it went.
  console.log(code === 0 ? '\nKneadback stopped cleanly.' : `\nKneadback stopped with exit code ${code}.`);
  return code;
}

async function test() {
  const steps = [
    ['lint', ['lint']],
    ['format', ['format:check']],
    ['typecheck', ['typecheck']],
  ];
  const outcomes = [];
  for (const [name, pnpmArgs] of steps) {
    step(`pnpm ${pnpmArgs.join(' ')}`);
    outcomes.push({ name, ok: (await run(pnpm, pnpmArgs)).code === 0 });
  }

  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  rmSync(RESULTS_FILE, { force: true });
  const vitestArgs = ['test:all', '--reporter=default', '--reporter=json', `--outputFile=${RESULTS_FILE}`];
  step(`pnpm ${vitestArgs.join(' ')}`);
  const tests = await run(pnpm, vitestArgs, {
    capture: true,
    env: process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env,
  });
  outcomes.push({ name: 'tests', ok: tests.code === 0 });

  const counts = readCounts(tests.output);
  console.log('');
  for (const { name, ok } of outcomes) console.log(`${ok ? 'ok    ' : 'FAILED'} ${name}`);
  if (!counts) console.log('could not read the test counts (see the vitest output above)');
  else if (counts.brokenFiles > 0) {
    // e.g. a failing beforeAll: its tests count as skipped, so count the file as a failure
    console.log(`(${counts.brokenFiles} test file(s) failed outside any test; counted as failed below)`);
  }
  console.log(`${counts?.passed ?? 0} passed, ${(counts?.failed ?? 0) + (counts?.brokenFiles ?? 0)} failed`);
  return outcomes.every((o) => o.ok) && counts ? 0 : 1;
}

/** From the JSON reporter's file, else from the summary vitest printed. */
function readCounts(output) {
  try {
    const json = JSON.parse(readFileSync(RESULTS_FILE, 'utf8'));
    const brokenFiles = (json.testResults ?? []).filter(
      (file) => file.status === 'failed' && (file.assertionResults ?? []).every((t) => t.status !== 'failed'),
    ).length;
    return { passed: json.numPassedTests, failed: json.numFailedTests, brokenFiles };
  } catch {
    // eslint-disable-next-line no-control-regex
    const summary = output.replace(/\u001b\[[0-9;]*m/g, '').match(/^\s*Tests\s+(.*)$/m)?.[1];
    if (!summary) return undefined;
    const count = (word) => Number(summary.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
    return { passed: count('passed'), failed: count('failed'), brokenFiles: 0 };
  }
}

async function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const howTo = 'sudo apt-get update && sudo apt-get install -y chromium';
  if (CHROMIUM !== '/usr/bin/chromium' || process.getuid?.() !== 0 || !commandPath('apt-get')) {
    console.error(
      `The end-to-end tests need Chromium at ${CHROMIUM}, and it is missing.\n` +
        `  On Debian or Ubuntu install it with:  ${howTo}\n` +
        '  (or set CHROMIUM_PATH to a Chromium binary), then run "npm test" again.',
    );
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  step('apt-get update && apt-get install -y chromium');
  await mustSucceed('apt-get', ['update'], { env });
  await mustSucceed('apt-get', ['install', '-y', 'chromium'], { env });
}

/**
 * The tests of several server processes need Redis (REDIS_URL, default 127.0.0.1:6379). When none
 * answers there, start Debian's redis-server (installing it with apt-get when run as root), in
 * memory only, left running like a system service; otherwise say how to get one.
 */
async function ensureRedis() {
  if (process.env.REDIS_URL || (await answers('127.0.0.1', 6379))) return;
  if (!commandPath('redis-server')) {
    if (process.getuid?.() !== 0 || !commandPath('apt-get')) {
      console.error(
        'The tests of several server processes need Redis at 127.0.0.1:6379, and none answers.\n' +
          '  On Debian or Ubuntu: sudo apt-get install -y redis-server && redis-server --daemonize yes\n' +
          '  (or set REDIS_URL to a Redis server), then run "npm test" again.',
      );
      process.exit(1);
    }
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    step('apt-get update && apt-get install -y redis-server');
    await mustSucceed('apt-get', ['update'], { env });
    await mustSucceed('apt-get', ['install', '-y', 'redis-server'], { env });
  }
  step('redis-server --daemonize yes (127.0.0.1:6379, nothing saved to disk)');
  await mustSucceed('redis-server', [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    '6379',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  for (let i = 0; i < 50 && !(await answers('127.0.0.1', 6379)); i++) await new Promise((r) => setTimeout(r, 100));
}

function answers(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.setTimeout(1_000, () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * The global pnpm when it is the right version; else the one npx fetches. We resolve npx's copy
 * to its path once and run that directly: npx does not pass SIGTERM on to what it runs, so the
 * server would outlive a stopped `npm start`.
 */
function findPnpm() {
  // a full path, not the bare name: its directory goes on PATH for the children
  const global = commandPath('pnpm');
  if (global && pnpmVersion(global) === PNPM_VERSION) return global;
  console.log(`pnpm ${PNPM_VERSION} is not installed globally; fetching it with npx...`);
  let fetched;
  try {
    fetched = execFileSync('npx', ['--yes', '-p', `pnpm@${PNPM_VERSION}`, '-c', 'command -v pnpm'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }).trim();
  } catch {
    fetched = undefined;
  }
  if (fetched && pnpmVersion(fetched) === PNPM_VERSION) return fetched;
  console.error(`Could not get pnpm ${PNPM_VERSION}. Install it with "npm install -g pnpm@${PNPM_VERSION}" and retry.`);
  process.exit(1);
}

function pnpmVersion(bin) {
  try {
    return execFileSync(bin, ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, CI: 'true' },
    }).trim();
  } catch {
    return undefined;
  }
}

/** Where the shell finds `bin`, or undefined when it is not on PATH. */
function commandPath(bin) {
  try {
    return execFileSync('sh', ['-c', `command -v ${bin}`], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

function step(title) {
  console.log(`\n==> ${title}`);
}

/** Runs to completion with signals forwarded; `capture` also keeps stdout (still shown). */
function run(bin, argv, { env = process.env, capture = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(bin, argv, {
      cwd: root,
      env: { ...env, CI: 'true' },
      stdio: ['inherit', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    current = child;
    let output = '';
    child.stdout?.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
    });
    child.once('error', (err) => {
      console.error(`could not run ${bin}: ${err.message}`);
      resolve({ code: 127, output });
    });
    child.once('close', (code, signal) => {
      current = undefined;
      resolve({ code: code ?? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGKILL' ? 9 : 15), output });
    });
  });
}

async function mustSucceed(bin, argv, opts) {
  const { code } = await run(bin, argv, opts);
  if (code !== 0) {
    console.error(`\n${[path.basename(bin), ...argv].join(' ')} failed (exit code ${code})`);
    process.exit(code);
  }
}
