import { sessionIdOf, TcpProxy, type BackendFixture, type TestRedis } from '@native-login/test-support';
import type { Test } from 'tap';
import { hashSessionId } from '../../src/index.js';

/** The Redis key of the session record a session cookie names, in the test's key namespace. */
export const sessionKey = (redis: TestRedis, cookie: string | undefined) =>
  `${redis.keyPrefix}session:${hashSessionId(sessionIdOf(cookie ?? ''))}`;

/**
 * An app that reaches the test's Redis through a proxy the test can cut, stall and restore, with
 * Redis commands timing out after 300 ms. The proxy is closed when `t` ends.
 */
export async function behindRedisProxy(t: Test, fixture: BackendFixture) {
  const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(fixture.redis.url).port || 6379) });
  t.teardown(() => proxy.close());
  const app = await fixture.build({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_COMMAND_TIMEOUT_MS: '300' });
  return { proxy, app };
}
