import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { runEntryPoint, startStandIn, useRedis } from '@native-login/test-support';
import t from 'tap';
import { describeStack, startStack } from '../src/index.js';

const quiet = {
  STORE_PORT: '0',
  FORUM_PORT: '0',
  FUSIONAUTH_DEV_PORT: '0',
  FUSIONAUTH_DEV_PASSWORD_ITERATIONS: '1000',
  LOG_LEVEL: 'silent',
};

/** Signs in over real HTTP and answers the cookie the app set. */
async function signIn(url: string, loginId = 'shopper@example.com'): Promise<string> {
  const response = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf': '1' },
    body: JSON.stringify({ loginId, password: 'password123' }),
  });
  if (response.status !== 200) throw new Error(`login answered ${response.status}`);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('with nothing configured: the stand-in, the Store and the Forum, on the embedded store', async (t) => {
  const stack = await startStack({ ...quiet });
  t.teardown(() => stack.close());
  t.ok(stack.fusionAuthUrl, 'the stack started the stand-in');
  t.match(stack.notices.join('\n'), /STORE_SESSION_SECRET is not set/);

  const storeCookie = await signIn(stack.storeUrl);
  const cart = await fetch(`${stack.storeUrl}/api/cart`, { headers: { cookie: storeCookie } });
  t.equal(cart.status, 200);
  const forumCookie = await signIn(stack.forumUrl);
  t.equal((await fetch(`${stack.forumUrl}/api/posts`, { headers: { cookie: forumCookie } })).status, 200);

  const banner = describeStack(stack);
  t.match(banner, stack.storeUrl);
  t.match(banner, 'shopper@example.com / password123  (Store, Forum)');
  t.match(banner, 'Continue with FusionAuth', 'both workflows are offered, and the banner says how to try SSO');
  t.notMatch(banner, 'admin@example.com', 'only the demo users of the two apps');
  t.equal(stack.requestLogsHidden, false, 'LOG_LEVEL set: honoured');
  t.notMatch(banner, 'Request logs');
});

void t.test(
  "an app on another origin than the kickstart's: FusionAuth's redirects and email links follow it",
  async (t) => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const stack = await startStack({ ...quiet, STORE_PORT: String(port) });
    t.teardown(() => stack.close());
    const origin = `http://localhost:${port}`;
    const store = stack.summary.applications.find((application) => application.name === 'Store');
    const answer = await fetch(`${stack.fusionAuthUrl}/api/application/${store?.id}`, {
      headers: { authorization: stack.summary.apiKey ?? '' },
    });
    const { application } = (await answer.json()) as {
      application: { data?: { origin?: string }; oauthConfiguration?: { authorizedRedirectURLs?: string[] } };
    };
    t.equal(application.data?.origin, origin, 'the links of password-reset and verification emails');
    t.same(application.oauthConfiguration?.authorizedRedirectURLs, [`${origin}/api/oauth/callback`, `${origin}/`]);
  },
);

void t.test('an app on port 0: the email links follow where it listens', async (t) => {
  const stack = await startStack({ ...quiet, STORE_PORT: '0', FORUM_PORT: '0', FUSIONAUTH_DEV_PORT: '0' });
  t.teardown(() => stack.close());
  for (const [name, url] of [
    ['Store', stack.storeUrl],
    ['Forum', stack.forumUrl],
  ] as const) {
    const app = stack.summary.applications.find((application) => application.name === name);
    const answer = await fetch(`${stack.fusionAuthUrl}/api/application/${app?.id}`, {
      headers: { authorization: stack.summary.apiKey ?? '' },
    });
    const { application } = (await answer.json()) as { application: { data?: { origin?: string } } };
    t.equal(application.data?.origin, url, name);
  }
});

void t.test('LOG_LEVEL unset: the apps log warnings only, and the banner says how to see requests', async (t) => {
  // With Redis, the apps have no warning to give (no in-memory store), so nothing reaches the test's output.
  const redis = await useRedis(t);
  const { LOG_LEVEL: _logLevel, ...unset } = quiet;
  const stack = await startStack({ ...unset, ...redis.environment, REDIS_KEY_PREFIX: redis.keyPrefix });
  t.teardown(() => stack.close());
  t.equal(stack.requestLogsHidden, true);
  t.match(
    describeStack(stack),
    '\n  Request logs: set LOG_LEVEL=debug to see every request (LOG_LEVEL=info: sign-ins and sign-outs).\n',
  );
});

void t.test('with REDIS_URL, and pointed at an existing FusionAuth', async (t) => {
  const redis = await useRedis(t);
  const standIn = await startStandIn(t);
  const stack = await startStack({
    ...quiet,
    ...redis.environment,
    REDIS_KEY_PREFIX: redis.keyPrefix,
    FUSIONAUTH_URL: standIn.url,
    FUSIONAUTH_API_KEY: standIn.apiKey,
    FUSIONAUTH_TENANT_ID: standIn.tenantId,
    STORE_APPLICATION_ID: standIn.storeApplicationId,
    FORUM_APPLICATION_ID: standIn.forumApplicationId,
    STORE_SESSION_SECRET: 's'.repeat(32),
    FORUM_SESSION_SECRET: 'f'.repeat(32),
  });
  t.teardown(() => stack.close());
  t.equal(stack.fusionAuthUrl, undefined, 'no stand-in of its own');
  t.same(stack.notices, []);
  await signIn(stack.storeUrl);
  const ready = await fetch(`${stack.storeUrl}/readyz`);
  t.match(await ready.json(), { checks: { redis: 'ok', fusionauth: 'ok' } });
});

void t.test('a configuration error names the variable and starts nothing', async (t) => {
  await t.rejects(startStack({ ...quiet, FUSIONAUTH_URL: 'http://127.0.0.1:1' }), {
    message: /FUSIONAUTH_API_KEY is required/,
  });
  await t.rejects(startStack({ ...quiet, STORE_APPLICATION_ID: 'not-a-uuid' }), {
    message: /STORE_APPLICATION_ID must be a UUID/,
  });
});

void t.test('npm start (the built entry point) stops everything cleanly on SIGTERM', async (t) => {
  const stack = await runEntryPoint(
    t,
    fileURLToPath(new URL('../dist/main.js', import.meta.url)),
    quiet,
    /Store {2}(http:\/\/\S+)[\s\S]*Ctrl-C/,
  );
  if (!stack) return;
  t.equal((await fetch(`${stack.captured}/healthz`)).status, 200);
  t.equal(await stack.stop(), 0);
});
