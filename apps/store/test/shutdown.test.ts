import { fileURLToPath } from 'node:url';
import { hashSessionId } from '@native-login/session-login';
import { runEntryPoint, sessionIdOf, TcpProxy, testEnvironment } from '@native-login/test-support';
import t from 'tap';
import { storeFixture } from './support.js';

const fixture = await storeFixture(t);

void t.test('SIGTERM: the request in flight finishes, its session is saved, then the process exits 0', async (t) => {
  // FusionAuth answers slowly, so the sign-in is still running when the signal arrives.
  const slowFusionAuth = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(fixture.standIn.url).port) });
  t.teardown(() => slowFusionAuth.close());
  slowFusionAuth.slowDown(1_000);
  const environment = testEnvironment('STORE', fixture.standIn, {
    FUSIONAUTH_URL: `http://127.0.0.1:${slowFusionAuth.port}`,
    REDIS_URL: fixture.redis.url,
    REDIS_KEY_PREFIX: fixture.redis.keyPrefix,
    STORE_PORT: '0',
    LOG_LEVEL: 'info',
  });
  const server = await runEntryPoint(
    t,
    fileURLToPath(new URL('../dist/server.js', import.meta.url)),
    Object.fromEntries(
      Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
    /Server listening at (http:\/\/\S+?)"/,
  );
  if (!server) return;

  const login = fetch(`${server.captured}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1' },
    body: JSON.stringify({ loginId: 'shopper@example.com', password: 'password123' }),
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const exit = server.stop();
  const response = await login;
  t.equal(response.status, 200, 'the sign-in that was in flight completed');
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]?.split('=')[1] ?? '';
  const key = `${fixture.redis.keyPrefix}store:session:${hashSessionId(sessionIdOf(cookie))}`;
  t.equal(await fixture.redis.client.exists(key), 1, 'and its session was written before Redis closed');
  t.equal(await exit, 0, 'exit 0');
});
