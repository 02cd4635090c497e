import fastifyRedis from '@fastify/redis';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ConfigError } from '../config/variables.js';
import type { RedisTopologyName } from '../config/redis-settings.js';
import { ReplyError } from 'ioredis';
import type { RedisClient } from '../storage/redis-client.js';
import {
  assertSeedsAreClusterNodes,
  topologyCheck,
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
  /** Whether Redis serves as the topology it was configured as (see topologyCheck). */
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
  await connected(client);
  // Waits for Redis at start-up. QUIT waits for an answer a Redis that is down never gives, so a
  // shutdown during an outage disconnects instead of hanging.
  await app.register(fastifyRedis, { client, closeClient: false });
  app.addHook('onClose', async () => {
    if (client.status === 'ready') await client.quit();
    else client.disconnect();
  });
  // A server that is not what the configuration says (a Cluster node behind REDIS_URL, a replica)
  // would answer every write with an error: refuse to start, and say what to change.
  const check = topologyCheck(client, topology, app.log);
  const found = await check();
  if (found.status !== 'ok') {
    client.disconnect();
    throw new ConfigError(`Redis (${topology}) is not usable: ${found.problem ?? 'it does not answer'}`);
  }
  const redisStorage: Storage = {
    redis: client,
    keyPrefix,
    topology,
    check,
  };
  app.decorate('storage', redisStorage);
}

/** Errors no reconnection can mend: a refused password or certificate, a host that does not exist. */
const fatalCodes = new Set([
  'ENOTFOUND',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Waits for the client's first connection. A Redis that is down is waited for (the client keeps
 * trying, as @fastify/redis would); one that refuses this app (a wrong password, a certificate no
 * trusted CA signed) fails the start at once, with a ConfigError that says why. Doing it here,
 * before @fastify/redis, also spares its clean-up, which would QUIT a client that never connected.
 */
async function connected(client: RedisClient): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const onReady = () => {
      client.off('error', onError);
      resolve();
    };
    const onError = (error: Error & { code?: string }) => {
      const fatal = error instanceof ReplyError || fatalCodes.has(error.code ?? '');
      if (!fatal) return;
      client.off('ready', onReady).off('error', onError);
      client.disconnect();
      reject(new ConfigError(`Redis refused the connection: ${error.message}`));
    };
    client.once('ready', onReady).on('error', onError);
  });
}

export default fp(storage, { name: 'storage', fastify: '5.x', dependencies: ['app-config'] });
