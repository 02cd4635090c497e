import fastifyRedis from '@fastify/redis';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../storage/redis-client.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where this app keeps its data: Redis, or (without REDIS_URL) the embedded in-memory stores. */
    storage: Storage;
  }
}

export interface Storage {
  /** Undefined in the embedded in-memory mode: each store then keeps its data in this process. */
  redis: Redis | undefined;
  /** Namespace of every key this app writes. */
  keyPrefix: string;
}

export interface StorageOptions {
  /** Overrides the configured key prefix (a test's namespace of its own). */
  keyPrefix?: string | undefined;
}

/**
 * Redis, with a client that fails fast (see createRedisClient), shared through @fastify/redis as
 * `app.redis`, or the embedded mode for development without REDIS_URL, which says so.
 */
async function storage(app: FastifyInstance, options: StorageOptions): Promise<void> {
  const { config } = app;
  const keyPrefix = options.keyPrefix ?? config.keyPrefix;
  if (!config.redis) {
    app.log.warn(
      'REDIS_URL is not set: sessions and data are kept in this process only and are lost on restart. Set REDIS_URL for anything but local development.',
    );
    app.decorate('storage', { redis: undefined, keyPrefix });
    return;
  }
  const client = createRedisClient(config.redis.url, config.redis.commandTimeoutMs, app.log);
  // Waits for Redis at start-up. QUIT waits for an answer a Redis that is down never gives, so a
  // shutdown during an outage disconnects instead of hanging.
  await app.register(fastifyRedis, { client, closeClient: false });
  app.addHook('onClose', async () => {
    if (client.status === 'ready') await client.quit();
    else client.disconnect();
  });
  app.decorate('storage', { redis: client, keyPrefix });
}

export default fp(storage, { name: 'storage', fastify: '5.x', dependencies: ['app-config'] });
