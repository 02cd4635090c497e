import { createBackend, type BackendOptions } from '@native-login/session-login';
import { MemoryPostRepository, RedisPostRepository } from './posts/post-repository.js';
import { postRoutes } from './routes/post-routes.js';

/** The Forum backend: the shared login and sessions, and the guarded posts. */
export async function buildForumApp(options: BackendOptions) {
  const app = await createBackend(options);
  const { redis, keyPrefix } = app.backend;
  const posts = redis ? new RedisPostRepository(redis, keyPrefix) : new MemoryPostRepository();
  await app.register(postRoutes, { posts });
  return app;
}
