// Runs once per project (integration, e2e) in the main vitest process, before any test file.
// Starts ONE throwaway embedded FerretDB for the project's whole run and hands its URI to the
// tests through `inject('mongoUri')`; each test server then picks its own database inside it.
// With MONGODB_URI already set (e.g. FerretDB on PostgreSQL) that server is used instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT } from '../../server/src/config.ts';
import { startEmbeddedFerretdb, type EmbeddedDatabase } from '../../server/src/db/embedded-ferretdb.ts';
import { createLogger } from '../../server/src/logger.ts';

/** Whether client/dist can be served for e2e tests; `problem` says why not. */
export interface ClientBuildState {
  ready: boolean;
  problem?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Base URI of the test database server; test servers replace the database name. */
    mongoUri: string;
    /** Only provided to the e2e project. */
    clientBuild: ClientBuildState;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cleanups: (() => Promise<void> | void)[] = [];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };

  try {
    const external = process.env.MONGODB_URI;
    if (external) {
      project.provide('mongoUri', external);
    } else {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), `kb-${project.name}-ferretdb-`));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const db: EmbeddedDatabase = await startEmbeddedFerretdb({
        dataDir,
        binary: process.env.FERRETDB_BIN,
        logger: createLogger('warn'),
        dbName: 'kb_test',
      });
      cleanups.push(() => db.stop());
      project.provide('mongoUri', db.uri);
    }

    if (project.name === 'e2e') project.provide('clientBuild', buildClientIfStale());
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}

const CLIENT_DIR = path.join(REPO_ROOT, 'client');
const CLIENT_INPUTS = [
  path.join(CLIENT_DIR, 'index.html'),
  path.join(CLIENT_DIR, 'vite.config.ts'),
  path.join(CLIENT_DIR, 'package.json'),
  path.join(CLIENT_DIR, 'src'),
  path.join(CLIENT_DIR, 'public'),
  path.join(REPO_ROOT, 'shared', 'src'),
];

/** `pnpm build` (vite build of client/) unless client/dist is newer than every client source. */
function buildClientIfStale(): ClientBuildState {
  if (!existsSync(path.join(CLIENT_DIR, 'index.html'))) {
    return { ready: false, problem: 'client/index.html does not exist yet, so there is no client to build' };
  }
  const builtIndex = path.join(CLIENT_DIR, 'dist', 'index.html');
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs > newestMtime(CLIENT_INPUTS)) return { ready: true };

  const vite = path.join(CLIENT_DIR, 'node_modules', '.bin', 'vite');
  // vitest sets NODE_ENV=test, which would build React's development version into client/dist
  const env = { ...process.env, CI: 'true', NODE_ENV: 'production' };
  const result = spawnSync(vite, ['build'], { cwd: CLIENT_DIR, encoding: 'utf8', env });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`;
    console.error(`[e2e] client build failed:\n${output}`);
    return { ready: false, problem: `client build (vite build) failed:\n${output.slice(-4000)}` };
  }
  return { ready: true };
}

function newestMtime(paths: string[]): number {
  let newest = 0;
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const stat = statSync(p);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== 'node_modules') visit(path.join(p, entry));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  paths.forEach(visit);
  return newest;
}
