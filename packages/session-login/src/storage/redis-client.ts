import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { SessionStoreUnavailableError } from '../errors/api-error.js';

/**
 * A Redis client that fails fast instead of queueing: with the offline queue off and a command
 * timeout, a request meets a dead or stalled Redis with an error within `commandTimeoutMs` (answered
 * 503), while the client keeps reconnecting in the background so service resumes by itself.
 */
export function createRedisClient(url: string, commandTimeoutMs: number, log: FastifyBaseLogger): Redis {
  const client = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.max(commandTimeoutMs, 1000),
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    // Commands issued in the same tick (many requests' session reads under load) go out in one
    // write: fewer system calls per request, the largest single cost of a guarded read.
    enableAutoPipelining: true,
  });
  // Without a listener ioredis prints every failed reconnection attempt to the console.
  client.on('error', (error: Error) => log.warn({ err: error }, 'Redis connection error'));
  return client;
}

/**
 * Defines a Lua script as a command of `redis` (sent as EVALSHA, loaded once per connection), once
 * per client: every store built on the same client shares the definition. Without `numberOfKeys`,
 * the key count is the command's first argument.
 */
export function defineScript(redis: Redis, name: string, definition: { lua: string; numberOfKeys?: number }): void {
  // Stryker disable next-line ConditionalExpression,StringLiteral: defining a script again only replaces it with itself.
  if (typeof (redis as unknown as Record<string, unknown>)[name] !== 'function') redis.defineCommand(name, definition);
}

/** Runs a Redis operation, turning any failure of Redis into the API's 503. */
export async function redisOperation<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw new SessionStoreUnavailableError({ cause: error });
  }
}

/**
 * The results of a pipeline or transaction, or an error if any command failed: ioredis reports
 * per-command failures inside the results instead of rejecting.
 */
export async function execute(batch: { exec(): Promise<Array<[Error | null, unknown]> | null> }): Promise<unknown[]> {
  const results = await batch.exec();
  if (!results) throw new Error('the transaction was aborted');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
