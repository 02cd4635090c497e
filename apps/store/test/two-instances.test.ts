import { randomBytes } from 'node:crypto';
import { HttpBrowser, TcpProxy } from '@native-login/test-support';
import type { FastifyInstance } from 'fastify';
import t from 'tap';
import { storeFixture } from './support.js';

// Two Store instances on one Redis behind a round-robin proxy, every request on a new connection:
// consecutive requests of one browser reach the two instances in turn, as behind a load balancer.
const fixture = await storeFixture(t);
const perAccount = 4;
// Many failures from one IP (this test's): only the per-account limit is under test.
// The instances of one app share its configuration, its session secret included.
const environment = {
  LOGIN_ATTEMPTS_PER_ACCOUNT: String(perAccount),
  LOGIN_ATTEMPTS_PER_IP: '1000',
  STORE_SESSION_SECRET: randomBytes(32).toString('base64url'),
};
const instances = [await fixture.build(environment), await fixture.build(environment)];
/** Requests each instance has answered, counted by a hook of its own. */
const served = instances.map((instance) => {
  const count = { value: 0 };
  instance.server.on('request', () => (count.value += 1));
  return count;
});
const ports: number[] = [];
for (const instance of instances) {
  await instance.listen({ host: '127.0.0.1', port: 0 });
  ports.push(portOf(instance));
}
const proxy = await TcpProxy.start(ports.map((port) => ({ host: '127.0.0.1', port })));
t.teardown(() => proxy.close());
const baseUrl = `http://127.0.0.1:${proxy.port}`;

function portOf(app: FastifyInstance): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** How many requests each instance answered while `action` ran. */
async function spread(action: () => Promise<void>): Promise<number[]> {
  const before = served.map(({ value }) => value);
  await action();
  return served.map(({ value }, index) => value - (before[index] ?? 0));
}

void t.test('a session started on one instance is seen by the other, and so is its cart', async (t) => {
  const browser = new HttpBrowser(baseUrl);
  const counts = await spread(async () => {
    t.equal((await browser.login('shopper@example.com')).status, 200);
    const added = await browser.send('POST', '/api/cart/items', { sku: 'tea-sencha', quantity: 2 });
    t.equal(added.status, 200, 'the cart change is taken by the other instance');
    const cart = await browser.send('GET', '/api/cart');
    t.equal(cart.status, 200);
    t.match(cart.json, { items: [{ sku: 'tea-sencha', quantity: 2 }] }, 'and read back by the first');
    t.equal((await browser.send('DELETE', '/api/cart/items/tea-sencha')).status, 200, 'and emptied again');
  });
  t.same(counts, [2, 2], 'the four requests alternated between the instances');
});

void t.test('signing out on one instance signs the browser out of both', async (t) => {
  const browser = new HttpBrowser(baseUrl);
  t.equal((await browser.login('shopper@example.com')).status, 200);
  const cookie = browser.jar.header() ?? '';
  t.equal((await browser.send('POST', '/api/logout')).status, 204);
  // The old cookie, replayed to each instance in turn.
  const replayed = new HttpBrowser(baseUrl);
  replayed.jar.set('store_session', cookie.slice(cookie.indexOf('=') + 1));
  const counts = await spread(async () => {
    for (let request = 0; request < instances.length; request += 1) {
      t.equal((await replayed.send('GET', '/api/cart')).status, 401, 'the ended session is refused');
    }
  });
  t.same(counts, [1, 1], 'by each instance');
});

void t.test('"end all other sessions" on one instance ends them for the other', async (t) => {
  const [laptop, phone, tablet] = [new HttpBrowser(baseUrl), new HttpBrowser(baseUrl), new HttpBrowser(baseUrl)];
  for (const device of [laptop, phone, tablet]) t.equal((await device.login('shopper@example.com')).status, 200);
  t.equal((await laptop.send('DELETE', '/api/sessions')).status, 204);
  for (const device of [phone, tablet, phone, tablet]) {
    t.equal((await device.send('GET', '/api/cart')).status, 401, 'an ended session, on either instance');
  }
  const kept = await spread(async () => {
    t.equal((await laptop.send('GET', '/api/cart')).status, 200);
    t.equal((await laptop.send('GET', '/api/cart')).status, 200);
  });
  t.same(kept, [1, 1], 'and the current one lives on both');
});

void t.test('the sign-in limits are counted once for both instances', async (t) => {
  const browser = new HttpBrowser(baseUrl);
  const statuses: number[] = [];
  const counts = await spread(async () => {
    for (let attempt = 0; attempt < perAccount + 1; attempt += 1) {
      statuses.push((await browser.login('limited@example.com', 'not-the-password')).status);
    }
  });
  t.same(statuses, [...Array<number>(perAccount).fill(401), 429], `${perAccount} failures in all, then refused`);
  t.ok(
    counts.every((count) => count >= 2),
    `both instances counted failures (${counts.join(' and ')})`,
  );
  const refused = await browser.login('limited@example.com', 'password123');
  t.equal(refused.status, 429, 'even the right password, on the other instance');
});

void t.test('a retry on the other instance right after a failure never meets its own slot', async (t) => {
  const browser = new HttpBrowser(baseUrl);
  for (let attempt = 0; attempt < 30; attempt += 1) {
    const loginId = `retry-${attempt}@example.com`;
    const first = await browser.login(loginId, 'wrong');
    const retry = await browser.login(loginId, 'wrong');
    if (first.status !== 401 || retry.status !== 401) {
      t.fail(`attempt ${attempt}: ${first.status} then ${retry.status}`);
      return;
    }
  }
  t.pass('30 immediate retries on the other instance: each a 401, none a 429');
});
