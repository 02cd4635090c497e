import { assertBadBodiesRefused, Browser, snapshotKeys } from '@native-login/test-support';
import t from 'tap';
import { storeFixture } from './support.js';

const fixture = await storeFixture(t);
const app = await fixture.build();
const browser = new Browser(app);
await browser.login('storeonly@example.com');
const cookie = browser.jar.header() ?? '';

const routes = [
  ['POST', '/api/login'],
  ['POST', '/api/login/two-factor'],
  ['POST', '/api/logout'],
  ['GET', '/api/user'],
  ['GET', '/api/products'],
  ['GET', '/api/cart'],
  ['POST', '/api/cart/items'],
  ['PATCH', '/api/cart/items/tea-sencha'],
  ['DELETE', '/api/cart/items/tea-sencha'],
] as const;

void t.test('every route answers bad bodies with a 4xx { code, message }, never 5xx, and writes nothing', async (t) => {
  const before = await snapshotKeys(fixture.redis.client, fixture.redis.keyPrefix);
  await assertBadBodiesRefused(t, app, routes, cookie);
  t.same(await snapshotKeys(fixture.redis.client, fixture.redis.keyPrefix), before, 'nothing in Redis changed');
});

void t.test('each kind of bad body gets its own answer', async (t) => {
  const send = (payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/api/login', payload, headers: { 'content-type': contentType, 'x-csrf': '1' } });
  t.match((await send('{"loginId": ')).json(), { code: 'invalid_json' });
  t.equal((await send('{"loginId": ')).statusCode, 400);
  t.equal((await send('x'.repeat(70_000))).statusCode, 413);
  t.match((await send('x'.repeat(70_000))).json(), { code: 'payload_too_large' });
  t.equal((await send('a=b', 'text/plain')).statusCode, 415);
  t.match((await send('a=b', 'text/plain')).json(), { code: 'unsupported_media_type' });
  t.match((await send('{"loginId": 5, "password": "x"}')).json(), {
    code: 'validation_failed',
    message: /^body\.loginId/,
  });
});

void t.test('unknown routes and methods are 404 JSON', async (t) => {
  for (const [method, url] of [
    ['GET', '/api/nothing'],
    ['PUT', '/api/cart'],
    ['GET', '/api/login'],
  ] as const) {
    const response = await app.inject({ method, url });
    t.equal(response.statusCode, 404, `${method} ${url}`);
    t.match(response.json(), { code: 'not_found' });
  }
});
