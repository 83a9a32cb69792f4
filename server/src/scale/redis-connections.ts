import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/** How long start-up waits for Redis before refusing to serve without it. */
const CONNECT_TIMEOUT_MS = 10_000;

export class RedisUnreachableError extends Error {}

/**
 * The Redis connections one server process uses: one for commands (leases, rate limits,
 * publishing), and dedicated ones for subscriptions (a subscribed connection can run no other
 * command). ioredis reconnects on its own and subscribes again after a reconnect.
 */
export interface RedisConnections {
  commands: Redis;
  /** A new connection on the same server, for a subscriber of its own. */
  another(name: string): Redis;
  close(): Promise<void>;
}

export async function connectRedis(url: string, logger: Logger): Promise<RedisConnections> {
  const opened: Redis[] = [];
  const open = (name: string, pipelined: boolean) => {
    // auto-pipelining: the lease renewals of hundreds of documents go out as a few round trips.
    // Not for subscribers: it would send QUIT ahead of their last (un)subscribe commands.
    const redis = new Redis(url, {
      connectionName: `kneadback-${name}`,
      enableAutoPipelining: pipelined,
      lazyConnect: true,
    });
    redis.on('error', (err: unknown) => logger.warn({ err, connection: name }, 'redis connection error'));
    opened.push(redis);
    return redis;
  };
  const commands = open('commands', true);
  const timeout = setTimeout(() => commands.disconnect(), CONNECT_TIMEOUT_MS);
  try {
    await commands.connect();
    await commands.ping();
  } catch (err) {
    commands.disconnect();
    throw new RedisUnreachableError(`Redis at REDIS_URL did not answer within ${CONNECT_TIMEOUT_MS / 1000} s`, {
      cause: err,
    });
  } finally {
    clearTimeout(timeout);
  }
  return {
    commands,
    another(name) {
      const redis = open(name, false);
      void redis.connect().catch((err: unknown) => logger.warn({ err, connection: name }, 'redis connect failed'));
      return redis;
    },
    async close() {
      await Promise.all(opened.map((r) => r.quit().catch(() => r.disconnect())));
    },
  };
}
