// The y-websocket reference server (@y/websocket-server 0.1.1, its own bin script) as a separate
// process: documents in memory, no auth, no guard, no persistence. What bench:collab measures our
// hub against, under the same load.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { freePort } from '../../server/src/db/embedded-ferretdb.ts';
import { eventually } from './eventually.ts';

export interface ReferenceServer {
  url: string;
  pid: number;
  /** Resident memory of the server process (VmRSS in /proc), in MiB like our /healthz rssMb. */
  rssMb(): number;
  stop(): Promise<void>;
}

export async function startReferenceServer(): Promise<ReferenceServer> {
  const port = await freePort();
  const pkg = createRequire(import.meta.url).resolve('@y/websocket-server/package.json');
  const script = path.join(path.dirname(pkg), 'src', 'server.js');
  const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
  delete env.YPERSISTENCE; // in memory: with it set the reference would write to LevelDB
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`the reference server exited with ${child.exitCode}`);
      const res = await fetch(url);
      if (res.status !== 200) throw new Error(`reference server answered ${res.status}`);
    },
    { timeout: 15_000, interval: 50 },
  );
  return {
    url,
    pid: child.pid!,
    rssMb() {
      const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
      return kb === undefined ? NaN : Math.round(Number(kb) / 1024);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
