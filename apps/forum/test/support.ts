import { backendFixture, buildBackend, testEnvironment, type BackendFixture } from '@native-login/test-support';
import type { Test } from 'tap';
import { forumApp, loadForumConfig } from '../src/index.js';

/**
 * Real Redis, the stand-in, and Forum backends built against them as the Forum's server builds
 * them: with its own variables too (`FORUM_DEMO_CONTENT`).
 */
export async function forumFixture(t: Test): Promise<BackendFixture> {
  const fixture = await backendFixture(t, 'FORUM', forumApp);
  return {
    ...fixture,
    async build(environment = {}, options = {}) {
      const config = loadForumConfig(
        testEnvironment('FORUM', fixture.standIn, { ...fixture.redis.environment, ...environment }),
      );
      const app = await buildBackend(forumApp, config, { keyPrefix: fixture.redis.keyPrefix, ...options });
      t.teardown(() => app.close());
      return app;
    },
  };
}

/** What points a build at the embedded in-memory store instead of the test's Redis. */
export const withoutRedis = { REDIS_URL: undefined, REDIS_CLUSTER_NODES: undefined };
