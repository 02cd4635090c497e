import { Browser } from '@native-login/test-support';
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

const bodies: Array<[string, string | Buffer, string]> = [
  ['malformed JSON', '{"loginId": ', 'application/json'],
  ['empty JSON body', '', 'application/json'],
  ['a JSON array', '[1,2,3]', 'application/json'],
  ['a JSON string', '"hello"', 'application/json'],
  ['null', 'null', 'application/json'],
  ['wrong types', JSON.stringify({ loginId: 1, password: [], sku: {}, quantity: 'many', code: 7 }), 'application/json'],
  [
    'extra fields',
    JSON.stringify({ loginId: 'a@example.com', password: 'x', admin: true, quantity: 1, sku: 'tea-sencha' }),
    'application/json',
  ],
  ['__proto__', '{"__proto__": {"admin": true}, "quantity": 1, "sku": "tea-sencha"}', 'application/json'],
  ['deep nesting', `${'['.repeat(5_000)}${']'.repeat(5_000)}`, 'application/json'],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 'application/json'],
  ['oversized', JSON.stringify({ loginId: 'a'.repeat(100_000), password: 'x' }), 'application/json'],
  ['text/plain', 'loginId=a&password=b', 'text/plain'],
  ['a form', 'loginId=a&password=b', 'application/x-www-form-urlencoded'],
  ['multipart', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--', 'multipart/form-data; boundary=x'],
];

t.test('every route answers bad bodies with a 4xx { code, message }, never 5xx, and writes nothing', async (t) => {
  const keysBefore = (await fixture.redis.client.keys(`${fixture.redis.keyPrefix}*`)).sort();
  for (const [method, url] of routes) {
    for (const [label, payload, contentType] of bodies) {
      // Logging out is what POST /api/logout is for, whatever its body: only a visitor's is sent.
      for (const headers of url === '/api/logout' ? [{}] : [{ cookie }, {}]) {
        const response = await app.inject({
          method,
          url,
          payload,
          headers: { 'content-type': contentType, 'x-csrf': '1', ...headers },
        });
        const where = `${method} ${url} with ${label}${headers.cookie ? ' (signed in)' : ''}`;
        t.ok(response.statusCode < 500, `${where}: ${response.statusCode}`);
        if (response.statusCode >= 400) t.match(response.json(), { code: String, message: String }, where);
        t.notMatch(response.body, /at .+\.(js|ts):\d+/, `${where}: no stack trace`);
      }
    }
  }
  t.same(
    (await fixture.redis.client.keys(`${fixture.redis.keyPrefix}*`)).sort(),
    keysBefore,
    'no key was added or removed',
  );
  t.equal(Reflect.get({}, 'admin'), undefined);
});

t.test('each kind of bad body gets its own answer', async (t) => {
  const send = (payload: string, contentType = 'application/json') =>
    app.inject({ method: 'POST', url: '/api/login', payload, headers: { 'content-type': contentType } });
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

t.test('unknown routes and methods are 404 JSON', async (t) => {
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
