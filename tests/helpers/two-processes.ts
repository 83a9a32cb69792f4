// Two real server processes sharing one database and one Redis, as `pnpm cluster 2` runs them.
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import type { RedisConnections } from '../../server/src/scale/redis-connections.ts';
import { REDIS_URL, requireRedis } from './redis.ts';
import { serverProcess, type ServerProcess } from './server-process.ts';

export interface TwoProcesses {
  redis: RedisConnections;
  one: ServerProcess;
  two: ServerProcess;
}

/** Starts both on `dbUri` with one session secret, so a sign-in on one is valid on the other. */
export async function startTwoProcesses(dbUri: string): Promise<TwoProcesses> {
  const redis = await requireRedis();
  const shared = { REDIS_URL, SESSION_SECRET: randomBytes(32).toString('hex') };
  const one = await serverProcess(dbUri, shared);
  const two = await serverProcess(dbUri, shared);
  await Promise.all([one.start(), two.start()]);
  return { redis, one, two };
}

/** Stops whichever of them started, drops their database and lets Redis go. */
export async function stopTwoProcesses(dbUri: string, started: Partial<TwoProcesses>): Promise<void> {
  await Promise.all([started.one?.kill('SIGTERM'), started.two?.kill('SIGTERM')]);
  const connection = await mongoose.createConnection(dbUri).asPromise();
  await connection.dropDatabase().catch(() => undefined);
  await connection.close();
  await started.redis?.close();
}
