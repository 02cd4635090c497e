import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, TcpProxy } from '@native-login/test-support';
import t from 'tap';
import { storeFixture } from './support.js';

const fixture = await storeFixture(t);
const redisPort = Number(new URL(fixture.redis.url).port || 6379);
const storeUnavailable = {
  code: 'session_store_unavailable',
  message: 'Sessions are unavailable right now. Please try again shortly.',
};
const identityUnavailable = {
  code: 'identity_unavailable',
  message: 'Sign-in is unavailable right now. Please try again shortly.',
};

/** Polls until Redis answers through the proxy again (the client reconnects by itself). */
async function until(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return true;
    await sleep(100);
  }
  return false;
}

t.test(
  'Redis down: 503 session_store_unavailable with Retry-After, never 200 or 401; back without a restart',
  async (t) => {
    const proxy = await TcpProxy.start({ host: '127.0.0.1', port: redisPort });
    t.teardown(() => proxy.close());
    const app = await fixture.build({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_COMMAND_TIMEOUT_MS: '300' });
    const browser = new Browser(app);
    t.equal((await browser.login('shopper@example.com')).statusCode, 200);
    t.equal((await browser.send('GET', '/api/cart')).statusCode, 200);

    proxy.cut();
    for (const [method, url, body] of [
      ['GET', '/api/cart'],
      ['GET', '/api/user'],
      ['POST', '/api/cart/items', { sku: 'tea-sencha', quantity: 1 }],
      ['POST', '/api/logout'],
    ] as const) {
      const response = await browser.send(method, url, body);
      t.equal(response.statusCode, 503, `${method} ${url}`);
      t.same(response.json(), storeUnavailable);
      t.equal(response.headers['retry-after'], '5');
    }
    const login = await new Browser(app).login('shopper@example.com');
    t.equal(login.statusCode, 503, 'login too');
    t.same(login.json(), storeUnavailable);
    t.equal(
      (await new Browser(app).send('GET', '/api/products')).statusCode,
      200,
      'the public catalogue still answers',
    );
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    t.equal(ready.statusCode, 503);
    t.match(ready.json(), { status: 'not_ready', checks: { redis: 'unavailable', fusionauth: 'ok' } });

    proxy.restore();
    t.ok(
      await until(async () => (await browser.send('GET', '/api/cart')).statusCode === 200),
      'the same session works again',
    );
    t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  },
);

t.test('Redis hanging: 503 within the command timeout', async (t) => {
  const proxy = await TcpProxy.start({ host: '127.0.0.1', port: redisPort });
  t.teardown(() => proxy.close());
  const app = await fixture.build({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_COMMAND_TIMEOUT_MS: '300' });
  const browser = new Browser(app);
  await browser.login('shopper@example.com');

  proxy.stall();
  const started = Date.now();
  const response = await browser.send('GET', '/api/cart');
  const elapsed = Date.now() - started;
  t.equal(response.statusCode, 503);
  t.same(response.json(), storeUnavailable);
  t.ok(elapsed < 2_000, `answered in ${elapsed} ms`);

  proxy.restore();
  t.ok(await until(async () => (await browser.send('GET', '/api/cart')).statusCode === 200));
});

t.test(
  'FusionAuth unreachable, slow, failing or refusing our API key: 503 identity_unavailable, no session',
  async (t) => {
    const hanging = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(fixture.standIn.url).port) });
    hanging.stall();
    t.teardown(() => hanging.close());
    const failing = createServer((_request, response) => {
      response.statusCode = 500;
      response.end();
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    t.teardown(() => failing.close());
    const failingPort = (failing.address() as { port: number }).port;

    const cases: Record<string, Record<string, string>> = {
      'connection refused': { FUSIONAUTH_URL: 'http://127.0.0.1:1' },
      'no answer within FUSIONAUTH_TIMEOUT_MS': {
        FUSIONAUTH_URL: `http://127.0.0.1:${hanging.port}`,
        FUSIONAUTH_TIMEOUT_MS: '300',
      },
      'a 500 from FusionAuth': { FUSIONAUTH_URL: `http://127.0.0.1:${failingPort}` },
      'our API key refused (401)': { FUSIONAUTH_API_KEY: 'not-the-key' },
    };
    for (const [label, environment] of Object.entries(cases)) {
      const app = await fixture.build(environment);
      const browser = new Browser(app);
      const started = Date.now();
      const response = await browser.login('shopper@example.com');
      t.equal(response.statusCode, 503, label);
      t.same(response.json(), identityUnavailable, label);
      t.notOk(browser.jar.get('store_session'), `${label}: no session`);
      t.ok(Date.now() - started < 2_500, `${label}: answered within the timeout`);
    }
  },
);

t.test('FusionAuth refusing the request itself (400) is 400 validation_failed', async (t) => {
  // An application id FusionAuth does not know makes it answer 400 with errors JSON.
  const app = await fixture.build({ STORE_APPLICATION_ID: '00000000-0000-4000-8000-000000000000' });
  const response = await new Browser(app).login('shopper@example.com');
  t.equal(response.statusCode, 400);
  t.match(response.json(), { code: 'validation_failed' });
});
