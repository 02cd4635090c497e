import { randomBytes } from 'node:crypto';
import type { RedisClient } from '@native-login/session-login';
import { Cluster, Redis } from 'ioredis';
import { TestRedisCluster } from './redis-servers.js';
import type { Test } from 'tap';

/** The Redis tests use: a real server, on the standard port unless TEST_REDIS_URL says otherwise. */
export const testRedisUrl = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * The topology the Redis tests run on: `single` (the server above) or `cluster` (a 3-primary
 * Cluster each test file starts from the local `redis-server`, or the one TEST_REDIS_CLUSTER_NODES
 * lists). `npm test` runs the integration suites on both.
 */
export const testRedisTopology: 'single' | 'cluster' =
  process.env['TEST_REDIS_TOPOLOGY'] === 'cluster' ? 'cluster' : 'single';

export interface TestRedis {
  topology: 'single' | 'cluster';
  /** The variables that point an app at this Redis (REDIS_URL, or REDIS_CLUSTER_NODES). */
  environment: Record<string, string>;
  /** A key namespace of this test's own, so test files can run side by side on one server. */
  keyPrefix: string;
  client: RedisClient;
  /** The keys that match `pattern`, on every primary. */
  keys(pattern: string): Promise<string[]>;
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
 * Real Redis for a test file, of the topology the run asks for, with a fresh key namespace that is
 * deleted afterwards. Without a server a developer's run skips the file; under CI=true it fails
 * instead, never skips.
 */
export async function useRedis(t: Test): Promise<TestRedis> {
  const keyPrefix = `test-${randomBytes(6).toString('hex')}:`;
  if (testRedisTopology === 'cluster') return useCluster(t, keyPrefix);
  if (!(await answers(testRedisUrl))) {
    if (process.env['CI']) throw new Error(`Redis does not answer at ${testRedisUrl}, and CI needs it`);
    t.plan(0, `Redis does not answer at ${testRedisUrl}`);
    // Nothing after this point may run: the file is skipped.
    process.exit(0);
  }
  const client = new Redis(testRedisUrl);
  t.teardown(async () => {
    await deleteKeys(client, keyPrefix);
    await client.quit();
  });
  return {
    topology: 'single',
    environment: { REDIS_URL: testRedisUrl },
    keyPrefix,
    client,
    keys: (pattern) => client.keys(pattern),
  };
}

async function useCluster(t: Test, keyPrefix: string): Promise<TestRedis> {
  const listed = process.env['TEST_REDIS_CLUSTER_NODES'];
  const started = listed ? undefined : await TestRedisCluster.start(3);
  const nodes = listed ?? started?.nodes ?? '';
  const seeds = nodes.split(',').map((entry) => {
    const at = entry.lastIndexOf(':');
    return { host: entry.slice(0, at), port: Number(entry.slice(at + 1)) };
  });
  const client = new Cluster(seeds);
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
  t.teardown(async () => {
    await deleteKeys(client, keyPrefix);
    await client.quit();
    await started?.stop();
  });
  return {
    topology: 'cluster',
    environment: { REDIS_CLUSTER_NODES: nodes },
    keyPrefix,
    client,
    keys: async (pattern) => (await Promise.all(client.nodes('master').map((node) => node.keys(pattern)))).flat(),
  };
}

/** The servers that hold keys: the one server, or every primary of a Cluster. */
function primariesOf(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/** Deletes every key under a prefix. */
export async function deleteKeys(client: RedisClient, prefix: string): Promise<void> {
  for (const server of primariesOf(client)) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      // One key per command: on a Cluster, the keys of one scan lie in many slots.
      await Promise.all(keys.map((key) => client.del(key)));
      cursor = next;
    } while (cursor !== '0');
  }
}

/** Every key under a prefix with its value (strings, hashes, lists, sorted sets), to compare before and after. */
export async function snapshotKeys(client: RedisClient, prefix: string): Promise<Record<string, unknown>> {
  const keys = (await Promise.all(primariesOf(client).map((server) => server.keys(`${prefix}*`)))).flat().sort();
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
