import type { AppPrefix, BackendOptions } from '@native-login/session-login';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { testConfig } from './app-config.js';
import { useRedis, type TestRedis } from './redis.js';
import { startStandIn, type RunningStandIn } from './stand-in.js';

export interface BackendFixture<App extends FastifyInstance> {
  redis: TestRedis;
  standIn: RunningStandIn;
  /** The app on real Redis (its own key namespace) and the stand-in; `environment` overrides its variables. */
  build(environment?: Record<string, string | undefined>, options?: Partial<BackendOptions>): Promise<App>;
}

/** Real Redis, the FusionAuth stand-in, and a way to build the app against them, all closed after the test. */
export async function backendFixture<App extends FastifyInstance>(
  t: Test,
  prefix: AppPrefix,
  buildApp: (options: BackendOptions) => Promise<App>,
): Promise<BackendFixture<App>> {
  const redis = await useRedis(t);
  const standIn = await startStandIn(t);
  return {
    redis,
    standIn,
    async build(environment = {}, options = {}) {
      const config = testConfig(prefix, standIn, { REDIS_URL: redis.url, ...environment });
      const app = await buildApp({ config, keyPrefix: redis.keyPrefix, ...options });
      t.teardown(() => app.close());
      return app;
    },
  };
}
