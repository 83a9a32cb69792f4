// Redis for the tests of several server processes. A missing Redis fails those tests with a
// message saying how to start one (they never skip): .ci/run starts it before the tests.
import { createLogger } from '../../server/src/logger.ts';
import { connectRedis, type RedisConnections } from '../../server/src/scale/redis-connections.ts';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function requireRedis(): Promise<RedisConnections> {
  try {
    return await connectRedis(REDIS_URL, createLogger('silent'));
  } catch (err) {
    throw new Error(
      `These tests need Redis at ${REDIS_URL} (REDIS_URL) and none answered: start one with \`redis-server --daemonize yes\``,
      { cause: err },
    );
  }
}
