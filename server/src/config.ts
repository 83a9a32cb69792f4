import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  // Several server processes share live documents, leases, limits and Socket.IO events through it.
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  DATA_DIR: z.string().min(1).default(path.join(REPO_ROOT, '.data')),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  FERRETDB_BIN: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // A hop count, not "trust everything": with `true` anyone could name their own address in
  // X-Forwarded-For and step around per-address limits.
  TRUST_PROXY: z
    .string()
    .regex(/^\d{1,2}$/, 'must be the number of proxies in front of the server (0 for none, 1 for one reverse proxy)')
    .default('0')
    .transform(Number),
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  SERVE_CLIENT: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
});

/** Rules across variables. */
const checkedEnvSchema = envSchema.superRefine((e, ctx) => {
  // every process must reach the same documents and accept the same session cookies
  if (!e.REDIS_URL) return;
  if (!e.MONGODB_URI)
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message: 'several processes need one shared database: set MONGODB_URI too',
    });
  if (!e.SESSION_SECRET)
    ctx.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message: 'several processes need one SESSION_SECRET: set it for all of them',
    });
});

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  mongodbUri: string | undefined;
  /** Unset: this process alone serves everything. */
  redisUrl: string | undefined;
  dataDir: string;
  sessionSecret: string;
  ferretdbBin: string | undefined;
  logLevel: string;
  /** Proxies in front of the server whose X-Forwarded-* headers are believed. */
  trustProxy: number;
  /** false lifts the request-rate limits (not the sign-in lockout), for load tests. */
  rateLimits: boolean;
  /** Serve client/dist from the API server (production) instead of leaving it to Vite. */
  serveClient: boolean;
}

export class ConfigError extends Error {}

/** Parses the environment once; a bad variable stops start-up with its name in the message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = checkedEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    mongodbUri: e.MONGODB_URI,
    redisUrl: e.REDIS_URL,
    dataDir,
    sessionSecret: e.SESSION_SECRET ?? sessionSecretFromDataDir(dataDir),
    ferretdbBin: e.FERRETDB_BIN,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    rateLimits: e.RATE_LIMITS === 'on',
    serveClient: e.SERVE_CLIENT ?? e.NODE_ENV === 'production',
  };
}

/** A secret generated on first start and kept, so sessions survive restarts without setup. */
function sessionSecretFromDataDir(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length >= 32) return secret;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
