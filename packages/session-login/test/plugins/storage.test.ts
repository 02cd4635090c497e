import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, LogCapture } from '@native-login/test-support';
import t from 'tap';
import { notesFixture } from '../support/notes-app.js';
import { behindRedisProxy } from '../support/redis.js';

const fixture = await notesFixture(t);
const storeUnavailable = {
  code: 'session_store_unavailable',
  message: 'Sessions are unavailable right now. Try again in 5 seconds.',
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

void t.test(
  'Redis down: 503 session_store_unavailable with Retry-After, never 200 or 401; back without a restart',
  async (t) => {
    const log = new LogCapture();
    const { proxy, app } = await behindRedisProxy(t, fixture, { logStream: log });
    const browser = new Browser(app);
    t.equal((await browser.login('shopper@example.com')).statusCode, 200);
    t.equal((await browser.send('GET', '/api/notes')).statusCode, 200);
    const readinessLines = () => log.all.split('\n').filter((line) => /Redis is (not ready|ready again)/.test(line));

    proxy.cut();
    for (const [method, url, body] of [
      ['GET', '/api/notes'],
      ['GET', '/api/user'],
      ['POST', '/api/notes', { text: 'Buy more sencha' }],
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
    t.equal((await new Browser(app).send('GET', '/api/hello')).statusCode, 200, 'a public route still answers');
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    t.equal(ready.statusCode, 503);
    t.match(ready.json(), { status: 'not_ready', checks: { redis: 'unavailable', fusionauth: 'ok' } });
    for (let probe = 0; probe < 3; probe += 1) await app.inject({ method: 'GET', url: '/readyz' });
    t.equal(readinessLines().length, 1, 'four probes, one warning: when it changed');
    t.match(readinessLines()[0], /Redis is not ready: Redis does not answer/);

    proxy.restore();
    t.ok(
      await until(async () => (await browser.send('GET', '/api/notes')).statusCode === 200),
      'the same session works again',
    );
    t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    await app.inject({ method: 'GET', url: '/readyz' });
    t.equal(readinessLines().length, 2);
    t.match(readinessLines()[1], /Redis is ready again/, 'and one line when it is back');
  },
);

void t.test('Redis hanging: 503 within the command timeout', async (t) => {
  const { proxy, app } = await behindRedisProxy(t, fixture);
  const browser = new Browser(app);
  await browser.login('shopper@example.com');

  proxy.stall();
  const started = Date.now();
  const response = await browser.send('GET', '/api/notes');
  const elapsed = Date.now() - started;
  t.equal(response.statusCode, 503);
  t.same(response.json(), storeUnavailable);
  t.ok(elapsed < 2_000, `answered in ${elapsed} ms`);

  proxy.restore();
  t.ok(await until(async () => (await browser.send('GET', '/api/notes')).statusCode === 200));
});
