import { fileURLToPath } from 'node:url';
import { sessionLogin, type AppConfig, type SessionLoginOptions } from '@native-login/session-login';
import type { FastifyInstance } from 'fastify';
import type { ForumSettings } from './config.js';
import posts from './plugins/posts.js';
import { postRoutes } from './routes/post-routes.js';

/** Where `npm run build` puts the Forum SPA (the same folder from src/ and from dist/). */
const webRoot = fileURLToPath(new URL('../dist/web', import.meta.url));

export type ForumAppOptions = Omit<SessionLoginOptions, 'guardedRoutes' | 'config'> & {
  /**
   * The Forum's configuration (loadForumConfig). Every app's part alone (loadAppConfig) leaves the
   * Forum's own settings at their defaults, as a deployment that sets none of them has them.
   */
  config: AppConfig & Partial<ForumSettings>;
};

/**
 * The Forum backend, as a plugin (its server, or a test, registers it with `fp` on a Fastify
 * instance it made): the shared sign-in and sessions, the SPA, and the posts behind the guard.
 */
export default async function forumApp(app: FastifyInstance, options: ForumAppOptions): Promise<void> {
  await app.register(sessionLogin, {
    webRoot,
    ...options,
    guardedRoutes: async (scope) => {
      await scope.register(posts, { demoContent: options.config.demoContent === true });
      await scope.register(postRoutes);
    },
  });
}
