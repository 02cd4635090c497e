import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, buildBackend, LogCapture, startStandIn, testConfig } from '@native-login/test-support';
import t from 'tap';
import type { CartView } from '../src/index.js';
import { storeApp } from '../src/index.js';

const standIn = await startStandIn(t);

void t.test('without REDIS_URL: the embedded store, with a warning, and the same behaviour', async (t) => {
  const log = new LogCapture();
  const config = testConfig('STORE', standIn, {
    SESSION_IDLE_TIMEOUT_SECONDS: '2',
    SESSION_ABSOLUTE_TIMEOUT_SECONDS: '30',
    LOG_LEVEL: 'warn',
  });
  const app = await buildBackend(storeApp, config, { logStream: log });
  t.teardown(() => app.close());
  t.match(log.all, /No Redis is configured: sessions and data are kept in this process only/);

  const browser = new Browser(app);
  t.equal((await browser.login('shopper@example.com')).statusCode, 200);
  await browser.send('POST', '/api/cart/items', { sku: 'tea-sencha', quantity: 2 });
  t.equal((await browser.send('GET', '/api/cart')).json<CartView>().itemCount, 2);
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  t.match(ready.json(), { status: 'ready', checks: { redis: 'embedded', fusionauth: 'ok' } });

  await sleep(2_300);
  t.equal((await browser.send('GET', '/api/cart')).statusCode, 401, 'the idle timeout holds here too');

  const again = new Browser(app);
  await again.login('shopper@example.com');
  t.equal((await again.send('GET', '/api/cart')).json<CartView>().itemCount, 2, 'the cart outlived the session');
  await again.send('POST', '/api/logout');
  t.equal((await again.send('GET', '/api/cart')).statusCode, 401);
});
