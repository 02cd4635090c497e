import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { MemoryPostRepository } from '../posts/memory-post-repository.js';
import type { PostRepository } from '../posts/post-repository.js';
import { RedisPostRepository } from '../posts/redis-post-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The forum's posts and replies, where the app keeps its data. */
    posts: PostRepository;
  }
}

/** The posts: in Redis beside the sessions, or in this process in the embedded mode. */
async function posts(app: FastifyInstance): Promise<void> {
  const { redis, keyPrefix } = app.storage;
  const repository: PostRepository = redis ? new RedisPostRepository(redis, keyPrefix) : new MemoryPostRepository();
  app.decorate('posts', repository);
}

export default fp(posts, { name: 'posts', fastify: '5.x', dependencies: ['storage'] });
