import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../server/src/config.ts';

/** A throwaway data directory and the config of a server on loopback (port 0) that logs only warnings. */
export function benchConfig(name: string, env: NodeJS.ProcessEnv = {}): { dataDir: string; config: Config } {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `kb-bench-${name}-`));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...env,
  });
  return { dataDir, config };
}

/** Runs a benchmark and exits: 0 when it finished, 1 (after printing why) when it threw. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
