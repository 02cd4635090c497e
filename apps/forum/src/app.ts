import { fileURLToPath } from 'node:url';
import { createBackend, type BackendOptions } from '@native-login/session-login';
import { MemoryPostRepository, RedisPostRepository } from './posts/post-repository.js';
import { postRoutes } from './routes/post-routes.js';

/** Where `npm run build` puts the Forum SPA (the same folder from src/ and from dist/). */
const webRoot = fileURLToPath(new URL('../dist/web', import.meta.url));

/** The Forum backend: the shared login and sessions, the SPA, and the guarded posts. */
export function buildForumApp(options: BackendOptions) {
  return createBackend(
    { webRoot, ...options },
    {
      sessionRoutes: async (scope, { redis, keyPrefix }) => {
        const posts = redis ? new RedisPostRepository(redis, keyPrefix) : new MemoryPostRepository();
        await scope.register(postRoutes, { posts });
      },
    },
  );
}
