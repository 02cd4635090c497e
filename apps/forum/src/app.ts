import { createBackend, type BackendOptions } from '@native-login/session-login';
import { MemoryPostRepository, RedisPostRepository } from './posts/post-repository.js';
import { postRoutes } from './routes/post-routes.js';

/** The Forum backend: the shared login and sessions, and the guarded posts. */
export function buildForumApp(options: BackendOptions) {
  return createBackend(options, {
    sessionRoutes: async (scope, { redis, keyPrefix }) => {
      const posts = redis ? new RedisPostRepository(redis, keyPrefix) : new MemoryPostRepository();
      await scope.register(postRoutes, { posts });
    },
  });
}
