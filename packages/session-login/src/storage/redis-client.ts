import type { Cluster, Redis } from 'ioredis';
import { SessionStoreUnavailableError } from '../errors/api-error.js';

/** A client of the configured topology: a single server or a sentinel's primary (`Redis`), or a `Cluster`. */
export type RedisClient = Redis | Cluster;

/**
 * Defines a Lua script as a command of `redis` (sent as EVALSHA, loaded once per connection), once
 * per client: every store built on the same client shares the definition. Its key count is fixed:
 * a Cluster client's auto-pipelining places a command by its first argument, which for a script
 * with a variable key count would be the count, not a key. Call it when a store is built, never
 * on a request's path: an automatic pipeline already open lacks a script defined after it, and
 * the answers of the commands queued with it go to the wrong callers.
 */
export function defineScript(
  redis: RedisClient,
  name: string,
  definition: { lua: string; numberOfKeys: number },
): void {
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
