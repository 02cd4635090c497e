import { Browser } from '@native-login/test-support';
import t from 'tap';
import type { CartView } from '../src/index.js';
import { maximumQuantity, products } from '../src/index.js';
import { storeFixture } from './support.js';

const fixture = await storeFixture(t);
const app = await fixture.build();

void t.test('the catalogue is public', async (t) => {
  const response = await new Browser(app).send('GET', '/api/products');
  t.equal(response.statusCode, 200);
  t.same(response.json(), { products, currency: 'USD' });
});

void t.test('every cart route needs a Store session', async (t) => {
  const visitor = new Browser(app);
  for (const [method, url, body] of [
    ['GET', '/api/cart'],
    ['POST', '/api/cart/items', { sku: 'tea-sencha', quantity: 1 }],
    ['PATCH', '/api/cart/items/tea-sencha', { quantity: 2 }],
    ['DELETE', '/api/cart/items/tea-sencha'],
  ] as const) {
    const response = await visitor.send(method, url, body);
    t.equal(response.statusCode, 401, `${method} ${url}`);
    t.same(response.json(), { code: 'unauthenticated', message: 'Please sign in.' });
  }
  const invalid = await visitor.send('POST', '/api/cart/items', { sku: 'NOT A SKU', quantity: -5 });
  t.equal(invalid.statusCode, 401, 'a visitor learns nothing of the body schema');
});

void t.test('add, change, remove: the cart with line and total prices', async (t) => {
  const browser = new Browser(app);
  await browser.login('storeonly@example.com');
  t.same((await browser.send('GET', '/api/cart')).json(), { items: [], itemCount: 0, totalCents: 0, currency: 'USD' });

  await browser.send('POST', '/api/cart/items', { sku: 'tea-sencha', quantity: 2 });
  const added = await browser.send('POST', '/api/cart/items', { sku: 'mug-stoneware', quantity: 1 });
  t.equal(added.statusCode, 200);
  t.same(added.json(), {
    items: [
      { sku: 'tea-sencha', name: 'Sencha green tea', unitPriceCents: 1200, quantity: 2, lineTotalCents: 2400 },
      { sku: 'mug-stoneware', name: 'Stoneware mug', unitPriceCents: 1800, quantity: 1, lineTotalCents: 1800 },
    ],
    itemCount: 3,
    totalCents: 4200,
    currency: 'USD',
  });

  const more = await browser.send('POST', '/api/cart/items', { sku: 'tea-sencha', quantity: 3 });
  t.equal(more.json<CartView>().items[0]?.quantity, 5, 'adding again adds to the line');

  const changed = await browser.send('PATCH', '/api/cart/items/tea-sencha', { quantity: 1 });
  t.equal(changed.statusCode, 200);
  t.equal(changed.json<CartView>().totalCents, 3000);

  const removed = await browser.send('DELETE', '/api/cart/items/tea-sencha');
  t.same(
    removed.json<CartView>().items.map((item: { sku: string }) => item.sku),
    ['mug-stoneware'],
  );
  t.equal((await browser.send('DELETE', '/api/cart/items/tea-sencha')).statusCode, 200, 'removing twice is harmless');
  await browser.send('DELETE', '/api/cart/items/mug-stoneware');
});

void t.test('unknown skus, lines not in the cart, and absurd quantities are refused', async (t) => {
  const browser = new Browser(app);
  await browser.login('storeonly@example.com');
  const unknown = await browser.send('POST', '/api/cart/items', { sku: 'caviar', quantity: 1 });
  t.equal(unknown.statusCode, 400);
  t.same(unknown.json(), { code: 'unknown_sku', message: 'There is no product caviar.' });

  const missing = await browser.send('PATCH', '/api/cart/items/tea-rooibos', { quantity: 2 });
  t.equal(missing.statusCode, 404);
  t.match(missing.json(), { code: 'not_in_cart' });

  for (const quantity of [0, -1, maximumQuantity + 1, 1.5, '2', null, 1e308]) {
    const response = await browser.send('POST', '/api/cart/items', { sku: 'tea-sencha', quantity });
    t.equal(response.statusCode, 400, `quantity ${JSON.stringify(quantity)}`);
    t.match(response.json(), { code: 'validation_failed', message: /^body\.quantity/ });
  }
  for (const sku of ['', 'UPPER', '../etc', 'x'.repeat(65)]) {
    const response = await browser.send('POST', '/api/cart/items', { sku, quantity: 1 });
    t.equal(response.statusCode, 400, `sku ${JSON.stringify(sku)}`);
  }

  await browser.send('POST', '/api/cart/items', { sku: 'tea-rooibos', quantity: maximumQuantity });
  const overLimit = await browser.send('POST', '/api/cart/items', { sku: 'tea-rooibos', quantity: 1 });
  t.equal(overLimit.statusCode, 400);
  t.match(overLimit.json(), { code: 'quantity_limit' });
  t.equal(
    (await browser.send('GET', '/api/cart')).json<CartView>().items[0]?.quantity,
    maximumQuantity,
    'and nothing changed',
  );
  await browser.send('DELETE', '/api/cart/items/tea-rooibos');
});

void t.test('concurrent adds lose nothing and never pass the limit', async (t) => {
  const browser = new Browser(app);
  await browser.login('storeonly@example.com');
  const adds = await Promise.all(
    Array.from({ length: 12 }, () => browser.send('POST', '/api/cart/items', { sku: 'strainer-steel', quantity: 10 })),
  );
  t.equal(adds.filter((response) => response.statusCode === 200).length, 9);
  t.equal(adds.filter((response) => response.statusCode === 400).length, 3);
  t.equal((await browser.send('GET', '/api/cart')).json<CartView>().items[0]?.quantity, 90);
  await browser.send('DELETE', '/api/cart/items/strainer-steel');
});

void t.test('the cart belongs to the user: it survives logout, a new login and a restart', async (t) => {
  const browser = new Browser(app);
  await browser.login('shopper@example.com');
  await browser.send('POST', '/api/cart/items', { sku: 'kettle-gooseneck', quantity: 1 });
  await browser.send('POST', '/api/logout');

  const elsewhere = new Browser(app);
  await elsewhere.login('shopper@example.com');
  t.same(
    (await elsewhere.send('GET', '/api/cart')).json<CartView>().items.map((item: { sku: string }) => item.sku),
    ['kettle-gooseneck'],
    'after logout and a login from another browser',
  );

  const restarted = await fixture.build();
  const afterRestart = new Browser(restarted);
  await afterRestart.login('shopper@example.com');
  t.equal(
    (await afterRestart.send('GET', '/api/cart')).json<CartView>().itemCount,
    1,
    'after a restart of the backend',
  );

  const other = new Browser(app);
  await other.login('storeonly@example.com');
  t.notOk(
    (await other.send('GET', '/api/cart'))
      .json<CartView>()
      .items.some((item: { sku: string }) => item.sku === 'kettle-gooseneck'),
    "another user's cart is their own",
  );
  await elsewhere.send('DELETE', '/api/cart/items/kettle-gooseneck');
});
