import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const dirs: string[] = [];
function tempDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kb-config-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const SECRET = 'a'.repeat(40);

function loadError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('uses defaults for an empty environment apart from DATA_DIR', () => {
    const config = loadConfig({ DATA_DIR: tempDataDir(), SESSION_SECRET: SECRET });
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      host: '0.0.0.0',
      mongodbUri: undefined,
      logLevel: 'info',
      trustProxy: 0,
      rateLimits: true,
      serveClient: false,
    });
  });

  it.each(['abc', '70000', '-1', '3000.5'])('refuses PORT=%s naming the variable', (port) => {
    expect(loadError({ PORT: port, DATA_DIR: tempDataDir(), SESSION_SECRET: SECRET }).message).toMatch(/\bPORT\b/);
  });

  it.each(['localhost:27017', 'http://localhost:27017/kneadback', 'postgres://x/y'])(
    'refuses MONGODB_URI=%s naming the variable',
    (uri) => {
      const message = loadError({ MONGODB_URI: uri, DATA_DIR: tempDataDir(), SESSION_SECRET: SECRET }).message;
      expect(message).toMatch(/\bMONGODB_URI\b/);
      expect(message).toMatch(/mongodb:\/\//);
    },
  );

  it('accepts mongodb:// and mongodb+srv:// URIs', () => {
    for (const uri of ['mongodb://127.0.0.1:27017/kneadback', 'mongodb+srv://user:pw@cluster.example/kb']) {
      expect(loadConfig({ MONGODB_URI: uri, DATA_DIR: tempDataDir(), SESSION_SECRET: SECRET }).mongodbUri).toBe(uri);
    }
  });

  it('takes REDIS_URL only with the shared database and session secret every process needs', () => {
    const uri = 'mongodb://127.0.0.1:27017/kneadback';
    const redis = 'redis://127.0.0.1:6379';
    expect(
      loadConfig({ REDIS_URL: redis, MONGODB_URI: uri, SESSION_SECRET: SECRET, DATA_DIR: tempDataDir() }).redisUrl,
    ).toBe(redis);
    expect(loadError({ REDIS_URL: redis, SESSION_SECRET: SECRET, DATA_DIR: tempDataDir() }).message).toMatch(
      /REDIS_URL: several processes need one shared database: set MONGODB_URI/,
    );
    expect(loadError({ REDIS_URL: redis, MONGODB_URI: uri, DATA_DIR: tempDataDir() }).message).toMatch(
      /REDIS_URL: .*SESSION_SECRET/,
    );
    expect(loadError({ REDIS_URL: '127.0.0.1:6379', DATA_DIR: tempDataDir(), SESSION_SECRET: SECRET }).message).toMatch(
      /REDIS_URL: must start with redis:\/\//,
    );
  });

  it('refuses a SESSION_SECRET shorter than 32 characters naming the variable', () => {
    expect(loadError({ SESSION_SECRET: 'short', DATA_DIR: tempDataDir() }).message).toMatch(/\bSESSION_SECRET\b/);
  });

  it('uses SESSION_SECRET when set', () => {
    expect(loadConfig({ SESSION_SECRET: SECRET, DATA_DIR: tempDataDir() }).sessionSecret).toBe(SECRET);
  });

  it('generates a SESSION_SECRET when unset and keeps it in DATA_DIR', () => {
    const dataDir = tempDataDir();
    const first = loadConfig({ DATA_DIR: dataDir }).sessionSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);

    const file = path.join(dataDir, 'session-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first);
    expect(statSync(file).mode & 0o077).toBe(0); // readable by the owner only

    expect(loadConfig({ DATA_DIR: dataDir }).sessionSecret).toBe(first);
    expect(loadConfig({ DATA_DIR: tempDataDir() }).sessionSecret).not.toBe(first);
  });

  it('creates a missing DATA_DIR for the generated secret', () => {
    const dataDir = path.join(tempDataDir(), 'nested', 'data');
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.dataDir).toBe(dataDir);
    expect(readFileSync(path.join(dataDir, 'session-secret'), 'utf8').trim()).toBe(config.sessionSecret);
  });

  it('serves the client by default only in production', () => {
    const base = { DATA_DIR: tempDataDir(), SESSION_SECRET: SECRET };
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).serveClient).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'production', SERVE_CLIENT: 'false' }).serveClient).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'test', SERVE_CLIENT: 'true' }).serveClient).toBe(true);
  });

  it.each([
    ['0', 0],
    ['1', 1],
    ['2', 2],
  ])('reads TRUST_PROXY=%s as %i trusted proxy hops', (value, hops) => {
    expect(loadConfig({ TRUST_PROXY: value, DATA_DIR: tempDataDir(), SESSION_SECRET: SECRET }).trustProxy).toBe(hops);
  });

  it.each(['true', 'false', '-1', '1.5', 'yes', ''])(
    'refuses TRUST_PROXY=%j naming the variable and the hop count',
    (value) => {
      const message = loadError({ TRUST_PROXY: value, DATA_DIR: tempDataDir(), SESSION_SECRET: SECRET }).message;
      expect(message).toMatch(/\bTRUST_PROXY\b/);
      expect(message).toMatch(/number of proxies/);
    },
  );

  it('lifts the request-rate limits only when RATE_LIMITS=off', () => {
    const base = { DATA_DIR: tempDataDir(), SESSION_SECRET: SECRET };
    expect(loadConfig({ ...base, RATE_LIMITS: 'off' }).rateLimits).toBe(false);
    expect(loadError({ ...base, RATE_LIMITS: 'no' }).message).toMatch(/\bRATE_LIMITS\b/);
  });
});
