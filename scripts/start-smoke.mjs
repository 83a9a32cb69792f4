// CI's check that the README's first command works: `npm start` on a free port with a fresh data
// directory, wait for /healthz, check that the server is plain `node` running the compiled
// server/dist/main.js (no tsx, no pnpm in between), sign up through the API, Ctrl-C (SIGINT to the
// process group, as a terminal sends it) and expect a clean exit within 60 s. Exits non-zero naming
// the step that failed.
//
// "Clean" is read from the bootstrap's last line and the embedded FerretDB being gone, not from
// npm's status alone: npm runs the script through `sh -c`, and dash (Debian's sh) ends itself with
// SIGINT after a Ctrl-C even when its child exited 0, so npm then reports SIGINT too.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The first start installs packages, may build FerretDB with Go and builds the client.
const HEALTHY_WITHIN_MS = Number(process.env.START_SMOKE_TIMEOUT_MS ?? 20 * 60_000);
const EXIT_WITHIN_MS = 60_000;

const port = await freePort();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kb-start-smoke-'));
const base = `http://127.0.0.1:${port}`;
const started = Date.now();
const say = (text) => console.log(`[start-smoke +${Math.round((Date.now() - started) / 1000)}s] ${text}`);

say(`npm start with PORT=${port} DATA_DIR=${dataDir}`);
// its own process group, so SIGINT reaches npm, the bootstrap and the server at once
const child = spawn('npm', ['start'], {
  cwd: root,
  env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, HOST: '127.0.0.1' },
  stdio: ['ignore', 'pipe', 'inherit'],
  detached: true,
});
let output = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  output += chunk;
});
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
let exitedEarly;
void exited.then((result) => (exitedEarly = result));

try {
  say(`waiting up to ${HEALTHY_WITHIN_MS / 60_000} min for GET /healthz to answer 200`);
  await waitForHealth();
  say('healthy');
  checkServerProcess();

  const email = `smoke-${randomBytes(4).toString('hex')}@example.test`;
  const signup = await fetch(`${base}/api/auth/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: base },
    body: JSON.stringify({ email, password: 'smoke-password-1', displayName: 'Start Smoke' }),
  });
  const cookie = signup.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  if (signup.status !== 201 || !cookie) fail(`sign-up answered ${signup.status}: ${await signup.text()}`);
  const me = await fetch(`${base}/api/auth/me`, { headers: { Cookie: cookie } });
  if (me.status !== 200) fail(`GET /api/auth/me after sign-up answered ${me.status}: ${await me.text()}`);
  say(`signed up ${email} and read it back`);

  say('sending SIGINT to the process group (Ctrl-C)');
  process.kill(-child.pid, 'SIGINT');
  const result = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, EXIT_WITHIN_MS).unref())]);
  if (!result) fail(`npm start did not exit within ${EXIT_WITHIN_MS / 1000} s of SIGINT`);
  const status = result.signal ?? `code ${result.code}`;
  if (result.code !== 0 && result.signal !== 'SIGINT') fail(`npm start ended with ${status} after SIGINT`);
  if (!output.includes('Kneadback stopped cleanly.')) fail(`the app did not stop cleanly (npm ended with ${status})`);
  const ferretdb = embeddedDatabasePid();
  if (ferretdb && alive(ferretdb)) fail(`the embedded FerretDB (pid ${ferretdb}) is still running`);
  say(`the app exited with code 0 and stopped its database (npm itself: ${status})`);
  rmSync(dataDir, { recursive: true, force: true });
  say('passed');
} catch (err) {
  console.error(`[start-smoke] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  stopEverything();
  process.exit(1);
}

async function waitForHealth() {
  const deadline = Date.now() + HEALTHY_WITHIN_MS;
  while (Date.now() < deadline) {
    if (exitedEarly)
      fail(`npm start exited (${exitedEarly.signal ?? `code ${exitedEarly.code}`}) before /healthz answered`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  fail(`GET /healthz did not answer 200 within ${HEALTHY_WITHIN_MS / 60_000} min`);
}

/**
 * What runs in npm's process group, read from /proc (not from what the bootstrap says): exactly one
 * process is the server, it is the node binary with the compiled file as its script, it is the pid
 * the bootstrap announced, and nothing in the group runs tsx.
 */
function checkServerProcess() {
  if (!existsSync('/proc/self/stat')) {
    say('no /proc here: skipping the check of what runs the server');
    return;
  }
  const compiled = path.join(root, 'server', 'dist', 'main.js');
  const group = processGroup(child.pid);
  const describe = (p) => `pid ${p.pid}: ${p.argv.join(' ')}`;
  const withTsx = group.filter((p) => p.argv.some((arg) => /(^|[/\\])tsx([/\\.]|$)|tsx\/(esm|cjs)/.test(arg)));
  if (withTsx.length > 0) fail(`tsx runs in the app's process group:\n  ${withTsx.map(describe).join('\n  ')}`);
  const servers = group.filter((p) =>
    p.argv.some((arg) => /server[/\\](dist[/\\]main\.js|src[/\\]main\.ts)$/.test(arg)),
  );
  if (servers.length !== 1) {
    fail(
      `expected one server process in the app's group, found ${servers.length}:\n  ${group.map(describe).join('\n  ')}`,
    );
  }
  const [server] = servers;
  const script = server.argv.slice(1).find((arg) => !arg.startsWith('-'));
  if (!/^node(\d+(\.\d+)*)?$/.test(path.basename(server.exe)))
    fail(`the server runs on ${server.exe}, not node (${describe(server)})`);
  if (!script || path.resolve(server.cwd, script) !== compiled)
    fail(`the server does not run ${compiled}: ${describe(server)}`);
  if (/tsx/.test(server.nodeOptions)) fail(`the server's NODE_OPTIONS load tsx: ${server.nodeOptions}`);
  const announced = Number(output.match(/^server pid (\d+)$/m)?.[1]);
  if (announced !== server.pid) fail(`the bootstrap announced server pid ${announced}, but ${describe(server)}`);
  say(`the server is ${describe(server)} (${server.exe})`);
}

/** Every process whose process group is `pgid`, with its argv, executable and working directory. */
function processGroup(pgid) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // fields after "(comm)": state ppid pgrp ...; comm itself may hold spaces and parentheses
      const [, , group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(group) !== pgid) continue;
      found.push({
        pid: Number(entry),
        argv: readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean),
        exe: readlinkSync(`/proc/${entry}/exe`),
        cwd: readlinkSync(`/proc/${entry}/cwd`),
        nodeOptions:
          readFileSync(`/proc/${entry}/environ`, 'utf8')
            .split('\0')
            .find((line) => line.startsWith('NODE_OPTIONS='))
            ?.slice('NODE_OPTIONS='.length) ?? '',
      });
    } catch {
      // ended while we looked
    }
  }
  return found;
}

function fail(message) {
  throw new Error(message);
}

/** After a failure nothing may outlive the smoke: the app's group, then its detached FerretDB. */
function stopEverything() {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
  const ferretdb = embeddedDatabasePid();
  if (ferretdb && alive(ferretdb)) process.kill(ferretdb, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}

/** The server records its FerretDB's pid here (and deletes the file when it stops it). */
function embeddedDatabasePid() {
  try {
    return JSON.parse(readFileSync(path.join(dataDir, 'ferretdb', 'instance.json'), 'utf8')).pid;
  } catch {
    return undefined;
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address();
      server.close(() => resolve(free));
    });
  });
}
