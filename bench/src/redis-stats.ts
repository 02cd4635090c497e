import type { Redis } from 'ioredis';

/** Calls per Redis command so far (`INFO commandstats`), e.g. `{ get: 1200, hgetall: 1200 }`. */
export async function commandCalls(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  const calls: Record<string, number> = {};
  for (const [, command, count] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (command && count) calls[command] = Number(count);
  }
  return calls;
}

/**
 * Commands per request between two readings, by command. The INFO that took the second reading
 * is not the server's, and commands that ran less than once per hundred requests (a reconnect,
 * a sweep) are left out as noise.
 */
export function commandsPerRequest(
  before: Record<string, number>,
  after: Record<string, number>,
  requests: number,
): Record<string, number> {
  const perRequest: Record<string, number> = {};
  for (const [command, count] of Object.entries(after)) {
    const calls = count - (before[command] ?? 0) - (command === 'info' ? 1 : 0);
    if (calls / requests >= 0.01) perRequest[command] = calls / requests;
  }
  return perRequest;
}

export async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
}

export async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}
