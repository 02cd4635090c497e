import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CartRepository } from '../cart/cart-repository.js';
import { MemoryCartRepository } from '../cart/memory-cart-repository.js';
import { RedisCartRepository } from '../cart/redis-cart-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The users' carts, where the app keeps its data. */
    carts: CartRepository;
  }
}

/** The carts: in Redis beside the sessions, or in this process in the embedded mode. */
async function carts(app: FastifyInstance): Promise<void> {
  const { redis, keyPrefix } = app.storage;
  const repository: CartRepository = redis ? new RedisCartRepository(redis, keyPrefix) : new MemoryCartRepository();
  app.decorate('carts', repository);
}

export default fp(carts, { name: 'carts', fastify: '5.x', dependencies: ['storage'] });
