import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { Browser, startStandIn, testConfig } from '@native-login/test-support';
import t from 'tap';
import { buildStoreApp } from '../src/index.js';

const standIn = await startStandIn(t);

t.test('without REDIS_URL: the embedded store, with a warning, and the same behaviour', async (t) => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const config = testConfig('STORE', standIn, {
    SESSION_IDLE_TIMEOUT_SECONDS: '1',
    SESSION_ABSOLUTE_TIMEOUT_SECONDS: '30',
  });
  const app = await buildStoreApp({ config, logger: { level: 'warn', stream } });
  t.teardown(() => app.close());
  t.match(lines.join(''), /REDIS_URL is not set: sessions and data are kept in this process only/);

  const browser = new Browser(app);
  t.equal((await browser.login('shopper@example.com')).statusCode, 200);
  await browser.send('POST', '/api/cart/items', { sku: 'tea-sencha', quantity: 2 });
  t.equal((await browser.send('GET', '/api/cart')).json().itemCount, 2);
  const ready = await app.inject({ method: 'GET', url: '/readyz' });
  t.match(ready.json(), { status: 'ready', checks: { redis: 'embedded', fusionauth: 'ok' } });

  await sleep(1_200);
  t.equal((await browser.send('GET', '/api/cart')).statusCode, 401, 'the idle timeout holds here too');

  const again = new Browser(app);
  await again.login('shopper@example.com');
  t.equal((await again.send('GET', '/api/cart')).json().itemCount, 2, 'the cart outlived the session');
  await again.send('POST', '/api/logout');
  t.equal((await again.send('GET', '/api/cart')).statusCode, 401);
});
