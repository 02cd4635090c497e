import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Test } from 'tap';

/** The Redis tests use: a real server, on the standard port unless TEST_REDIS_URL says otherwise. */
export const testRedisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface TestRedis {
  url: string;
  /** A key namespace of this test's own, so test files can run side by side on one server. */
  keyPrefix: string;
  client: Redis;
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * Real Redis for a test file, with a fresh key namespace that is deleted afterwards. Without a
 * server a developer's run skips the file; under CI=true it fails instead, never skips.
 */
export async function useRedis(t: Test): Promise<TestRedis> {
  if (!(await answers(testRedisUrl))) {
    if (process.env['CI']) throw new Error(`Redis does not answer at ${testRedisUrl}, and CI needs it`);
    t.plan(0, `Redis does not answer at ${testRedisUrl}`);
    // Nothing after this point may run: the file is skipped.
    process.exit(0);
  }
  const keyPrefix = `test-${randomBytes(6).toString('hex')}:`;
  const client = new Redis(testRedisUrl);
  t.teardown(async () => {
    await deleteKeys(client, keyPrefix);
    await client.quit();
  });
  return { url: testRedisUrl, keyPrefix, client };
}

/** Deletes every key under a prefix. */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Every key under a prefix with its value (strings, hashes, lists, sorted sets), to compare before and after. */
export async function snapshotKeys(client: Redis, prefix: string): Promise<Record<string, unknown>> {
  const keys = (await client.keys(`${prefix}*`)).sort();
  const snapshot: Record<string, unknown> = {};
  for (const key of keys) {
    const type = await client.type(key);
    if (type === 'string') snapshot[key] = await client.get(key);
    else if (type === 'hash') snapshot[key] = await client.hgetall(key);
    else if (type === 'list') snapshot[key] = await client.lrange(key, 0, -1);
    else if (type === 'zset') snapshot[key] = await client.zrange(key, '0', '-1', 'WITHSCORES');
    else snapshot[key] = type;
  }
  return snapshot;
}
