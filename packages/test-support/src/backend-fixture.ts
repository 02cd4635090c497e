import { serverOptions, type AppConfig, type AppPrefix, type SessionLoginOptions } from '@native-login/session-login';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { Test } from 'tap';
import { testConfig } from './app-config.js';
import { useRedis, type TestRedis } from './redis.js';
import { startStandIn, type RunningStandIn } from './stand-in.js';

/** An app's plugin (the Store's, the Forum's, or a test's own) as its server registers it. */
export type AppPlugin = FastifyPluginAsync<Omit<SessionLoginOptions, 'guardedRoutes'>>;

export interface BuildOptions {
  /** Namespace of every Redis key the app writes (default: the test's own). */
  keyPrefix?: string;
  /** The session cookie's name, when a test makes two apps share one. */
  cookieName?: string;
  /** Where log lines go, as JSON (a LogCapture); the level is LOG_LEVEL. */
  logStream?: NodeJS.WritableStream;
}

/**
 * Builds an app the way its `server.ts` does, without listening: a Fastify instance with the
 * backend's server options, and the app registered on it with `fp`, so that its error handler,
 * hooks and decorators apply to the whole instance (as fastify/demo's test helper does).
 */
export async function buildBackend(
  plugin: AppPlugin,
  config: AppConfig,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const { logStream, ...overrides } = options;
  const app = Fastify(serverOptions(config, { stream: logStream }));
  // Every answer a test receives is checked against its route's schema on the way out.
  await app.register(fp(plugin), { config, checkResponses: true, ...overrides });
  await app.ready();
  return app;
}

export interface BackendFixture {
  redis: TestRedis;
  standIn: RunningStandIn;
  /** The app on real Redis (its own key namespace) and the stand-in; `environment` overrides its variables. */
  build(environment?: Record<string, string | undefined>, options?: BuildOptions): Promise<FastifyInstance>;
}

/** Real Redis, the FusionAuth stand-in, and a way to build the app against them, all closed after the test. */
export async function backendFixture(t: Test, prefix: AppPrefix, plugin: AppPlugin): Promise<BackendFixture> {
  const redis = await useRedis(t);
  const standIn = await startStandIn(t);
  return {
    redis,
    standIn,
    async build(environment = {}, options = {}) {
      const config = testConfig(prefix, standIn, { ...redis.environment, ...environment });
      const app = await buildBackend(plugin, config, { keyPrefix: redis.keyPrefix, ...options });
      t.teardown(() => app.close());
      return app;
    },
  };
}
