import fastifyRedis from '@fastify/redis';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ConfigError } from '../config/variables.js';
import type { RedisTopologyName } from '../config/redis-settings.js';
import type { RedisClient } from '../storage/redis-client.js';
import {
  assertSeedsAreClusterNodes,
  checkTopology,
  createRedisClient,
  type RedisReadiness,
} from '../storage/redis-topologies.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where this app keeps its data: Redis, or (without REDIS_URL) the embedded in-memory stores. */
    storage: Storage;
  }
}

export interface Storage {
  /** Undefined in the embedded in-memory mode: each store then keeps its data in this process. */
  redis: RedisClient | undefined;
  /** The configured topology, or `embedded`. */
  topology: RedisTopologyName | 'embedded';
  /** Whether Redis serves as the topology it was configured as (see checkTopology). */
  check(): Promise<RedisReadiness>;
  /** Namespace of every key this app writes. */
  keyPrefix: string;
}

export interface StorageOptions {
  /** Overrides the configured key prefix (a test's namespace of its own). */
  keyPrefix?: string | undefined;
}

/**
 * Redis of the configured topology, with a client that fails fast (see createRedisClient), shared
 * through @fastify/redis as `app.redis`, or the embedded mode for development without Redis, which
 * says so.
 */
async function storage(app: FastifyInstance, options: StorageOptions): Promise<void> {
  const { config } = app;
  const keyPrefix = options.keyPrefix ?? config.keyPrefix;
  if (!config.redis) {
    app.log.warn(
      'No Redis is configured: sessions and data are kept in this process only and are lost on restart. Set REDIS_URL (or REDIS_CLUSTER_NODES, or REDIS_SENTINELS) for anything but local development.',
    );
    const embedded: Storage = {
      redis: undefined,
      keyPrefix,
      topology: 'embedded',
      check: () => Promise.resolve({ status: 'ok', topology: 'embedded' }),
    };
    app.decorate('storage', embedded);
    return;
  }
  const topology = config.redis.topology.kind;
  if (config.redis.topology.kind === 'cluster')
    await assertSeedsAreClusterNodes(config.redis, config.redis.topology.nodes);
  const client = createRedisClient(config.redis, app.log);
  // Waits for Redis at start-up. QUIT waits for an answer a Redis that is down never gives, so a
  // shutdown during an outage disconnects instead of hanging.
  await app.register(fastifyRedis, { client, closeClient: false });
  app.addHook('onClose', async () => {
    if (client.status === 'ready') await client.quit();
    else client.disconnect();
  });
  // A server that is not what the configuration says (a Cluster node behind REDIS_URL, a replica)
  // would answer every write with an error: refuse to start, and say what to change.
  const found = await checkTopology(client, topology, app.log);
  if (found.status !== 'ok') {
    client.disconnect();
    throw new ConfigError(`Redis (${topology}) is not usable: ${found.problem ?? 'it does not answer'}`);
  }
  const redisStorage: Storage = {
    redis: client,
    keyPrefix,
    topology,
    check: () => checkTopology(client, topology, app.log),
  };
  app.decorate('storage', redisStorage);
}

export default fp(storage, { name: 'storage', fastify: '5.x', dependencies: ['app-config'] });
