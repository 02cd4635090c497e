import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { writeDemoContent } from '../posts/demo-content.js';
import { MemoryPostRepository } from '../posts/memory-post-repository.js';
import type { PostRepository } from '../posts/post-repository.js';
import { RedisPostRepository } from '../posts/redis-post-repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The forum's posts and replies, where the app keeps its data. */
    posts: PostRepository;
  }
}

export interface PostsOptions {
  /** Writes the demo threads that are not there yet (FORUM_DEMO_CONTENT). */
  demoContent: boolean;
}

/** The posts: in Redis beside the sessions, or in this process in the embedded mode. */
async function posts(app: FastifyInstance, options: PostsOptions): Promise<void> {
  const { redis, keyPrefix } = app.storage;
  const repository: PostRepository = redis ? new RedisPostRepository(redis, keyPrefix) : new MemoryPostRepository();
  app.decorate('posts', repository);
  if (!options.demoContent) return;
  try {
    const written = await writeDemoContent(repository);
    app.log.info({ event: 'demo_content_written', threads: written }, 'demo content written');
  } catch (error) {
    // A demo without its sample posts is still a working Forum; the next start writes what is missing.
    app.log.warn({ event: 'demo_content_failed', err: error }, 'the demo content could not be written');
  }
}

export default fp(posts, { name: 'posts', fastify: '5.x', dependencies: ['storage'] });
