import { Browser, CookieJar, TcpProxy } from '@native-login/test-support';
import t from 'tap';
import { storeFixture } from './support.js';

const fixture = await storeFixture(t);
const app = await fixture.build();

t.test('CSRF: every state-changing request needs X-CSRF: 1, the own origin, and JSON', async (t) => {
  const browser = new Browser(app);
  await browser.login('shopper@example.com');
  const cookie = browser.jar.header() ?? '';
  const json = { 'content-type': 'application/json' };
  const add = JSON.stringify({ sku: 'tea-sencha', quantity: 1 });
  const cases: Array<[string, Record<string, string>, string | undefined, number]> = [
    ['no X-CSRF header', { ...json, cookie }, add, 403],
    ['X-CSRF with another value', { ...json, cookie, 'x-csrf': 'yes' }, add, 403],
    ['a foreign Origin', { ...json, cookie, 'x-csrf': '1', origin: 'https://evil.example' }, add, 403],
    ['Sec-Fetch-Site: cross-site', { ...json, cookie, 'x-csrf': '1', 'sec-fetch-site': 'cross-site' }, add, 403],
    ['Sec-Fetch-Site: same-site', { ...json, cookie, 'x-csrf': '1', 'sec-fetch-site': 'same-site' }, add, 403],
    ['a text/plain body', { 'content-type': 'text/plain', cookie, 'x-csrf': '1' }, add, 415],
    [
      'a form body',
      { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-csrf': '1' },
      'sku=tea-sencha&quantity=1',
      415,
    ],
  ];
  for (const [label, headers, payload, status] of cases) {
    const response = await app.inject({ method: 'POST', url: '/api/cart/items', headers, payload });
    t.equal(response.statusCode, status, label);
    if (status === 403) t.match(response.json(), { code: 'csrf_rejected' }, label);
  }
  const own = await app.inject({
    method: 'POST',
    url: '/api/cart/items',
    headers: { ...json, cookie, 'x-csrf': '1', origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' },
    payload: add,
  });
  t.equal(own.statusCode, 200, 'the SPA itself gets through');
  t.equal((await browser.send('GET', '/api/cart')).json().itemCount, 1, 'and only that one request changed the cart');

  const login = await app.inject({
    method: 'POST',
    url: '/api/login',
    headers: json,
    payload: { loginId: 'a', password: 'b' },
  });
  t.equal(login.statusCode, 403, 'the login itself too');
  const logout = await app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
  t.equal(logout.statusCode, 403, 'and logout: a cross-site page cannot sign the user out');
  t.equal((await browser.send('GET', '/api/cart')).statusCode, 200, 'the session survived the forged logout');
});

t.test('no CORS for other origins', async (t) => {
  const preflight = await app.inject({
    method: 'OPTIONS',
    url: '/api/cart/items',
    headers: {
      origin: 'https://evil.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'x-csrf',
    },
  });
  t.notOk(preflight.headers['access-control-allow-origin'], 'no preflight is granted');
  const read = await app.inject({ method: 'GET', url: '/api/products', headers: { origin: 'https://evil.example' } });
  t.notOk(read.headers['access-control-allow-origin']);
  t.notOk(read.headers['access-control-allow-credentials']);
});

t.test('security headers, and no-store on authenticated answers and on anything that sets a cookie', async (t) => {
  const browser = new Browser(app);
  const login = await browser.login('shopper@example.com');
  t.equal(login.headers['cache-control'], 'no-store', 'the answer that sets the cookie');
  const cart = await browser.send('GET', '/api/cart');
  t.equal(cart.headers['cache-control'], 'no-store', 'an authenticated answer');
  const logout = await browser.send('POST', '/api/logout');
  t.equal(logout.headers['cache-control'], 'no-store', 'the answer that clears the cookie');
  t.match(cart.headers['content-security-policy'], /default-src 'none'.*script-src 'self'.*frame-ancestors 'none'/);
  t.equal(cart.headers['x-content-type-options'], 'nosniff');
  t.ok(cart.headers['strict-transport-security'], 'HSTS (browsers heed it over https only)');
});

t.test('brute force: failed attempts per login id and per IP are limited, with Retry-After', async (t) => {
  const limited = await fixture.build(
    { LOGIN_ATTEMPTS_PER_ACCOUNT: '3', LOGIN_ATTEMPTS_PER_IP: '5', LOGIN_ATTEMPT_WINDOW_SECONDS: '60' },
    { keyPrefix: `${fixture.redis.keyPrefix}limits:` },
  );
  const attempt = (loginId: string, password = 'wrong-password', ip = '198.51.100.1') =>
    limited.inject({
      method: 'POST',
      url: '/api/login',
      remoteAddress: ip,
      headers: { 'content-type': 'application/json', 'x-csrf': '1' },
      payload: { loginId, password },
    });
  for (let failure = 1; failure <= 3; failure += 1) {
    t.equal((await attempt('Shopper@Example.com ')).statusCode, 401, `failure ${failure}`);
  }
  const blocked = await attempt('shopper@example.com', 'password123');
  t.equal(blocked.statusCode, 429, 'even the right password, once the account has had its tries');
  t.same(blocked.json(), {
    code: 'too_many_attempts',
    message: 'Too many failed attempts. Please wait before trying again.',
  });
  t.ok(Number(blocked.headers['retry-after']) > 0 && Number(blocked.headers['retry-after']) <= 60);
  t.equal((await attempt('shopper@example.com', 'password123', '198.51.100.2')).statusCode, 429, 'from another IP too');

  t.equal((await attempt('storeonly@example.com', 'password123')).statusCode, 200, 'a success does not count');
  t.equal((await attempt('nobody-1@example.com')).statusCode, 401, 'failure 4 from this IP');
  t.equal((await attempt('nobody-2@example.com')).statusCode, 401, 'failure 5 from this IP');
  t.equal(
    (await attempt('nobody-3@example.com')).statusCode,
    429,
    'then the IP has had its tries, whatever the account',
  );
  t.equal(
    (await attempt('storeonly@example.com', 'password123', '198.51.100.3')).statusCode,
    200,
    'another IP is not held back',
  );
});

t.test('second-factor codes count against the login id too', async (t) => {
  const limited = await fixture.build(
    { LOGIN_ATTEMPTS_PER_ACCOUNT: '2' },
    { keyPrefix: `${fixture.redis.keyPrefix}codes:` },
  );
  const browser = new Browser(limited);
  await browser.login('mfa@example.com');
  t.equal((await browser.send('POST', '/api/login/two-factor', { code: '000000' })).statusCode, 401);
  t.equal((await browser.send('POST', '/api/login/two-factor', { code: '000001' })).statusCode, 401);
  const third = await browser.send('POST', '/api/login/two-factor', { code: '000002' });
  t.equal(third.statusCode, 429);
  t.equal(
    (await new Browser(limited).login('MFA@example.com')).statusCode,
    429,
    'and the password step of that account',
  );
});

t.test('an attempt FusionAuth cannot answer is not counted; a limiter store failure refuses the attempt', async (t) => {
  const down = await fixture.build(
    { FUSIONAUTH_URL: 'http://127.0.0.1:1', LOGIN_ATTEMPTS_PER_ACCOUNT: '1' },
    { keyPrefix: `${fixture.redis.keyPrefix}down:` },
  );
  for (let attempt = 0; attempt < 3; attempt += 1) {
    t.equal(
      (await new Browser(down).login('shopper@example.com', 'x')).statusCode,
      503,
      'identity_unavailable, not 429',
    );
  }

  const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(fixture.redis.url).port || 6379) });
  t.teardown(() => proxy.close());
  const app = await fixture.build({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_COMMAND_TIMEOUT_MS: '300' });
  proxy.cut();
  const response = await new Browser(app, new CookieJar()).login('shopper@example.com');
  t.equal(response.statusCode, 503, 'fails closed');
  t.match(response.json(), { code: 'session_store_unavailable' });
  proxy.restore();
});

t.test('the client IP: a trusted proxy may name it, nobody else may; FusionAuth is told it', async (t) => {
  const direct = await fixture.build(
    { LOGIN_ATTEMPTS_PER_IP: '2' },
    { keyPrefix: `${fixture.redis.keyPrefix}direct:` },
  );
  const spoof = (forwardedFor: string) =>
    direct.inject({
      method: 'POST',
      url: '/api/login',
      headers: { 'content-type': 'application/json', 'x-csrf': '1', 'x-forwarded-for': forwardedFor },
      payload: { loginId: `nobody-${forwardedFor}@example.com`, password: 'x' },
    });
  t.equal((await spoof('10.0.0.1')).statusCode, 401);
  t.equal((await spoof('10.0.0.2')).statusCode, 401);
  t.equal((await spoof('10.0.0.3')).statusCode, 429, 'a made-up X-Forwarded-For does not buy new attempts');

  const proxied = await fixture.build(
    { LOGIN_ATTEMPTS_PER_IP: '2', TRUSTED_PROXIES: '127.0.0.1' },
    { keyPrefix: `${fixture.redis.keyPrefix}proxied:` },
  );
  const viaProxy = (client: string, loginId: string, password: string) =>
    proxied.inject({
      method: 'POST',
      url: '/api/login',
      headers: {
        'content-type': 'application/json',
        'x-csrf': '1',
        'x-forwarded-for': client,
        'user-agent': 'Proxied/1.0',
      },
      payload: { loginId, password },
    });
  await viaProxy('192.0.2.10', 'nobody-a@example.com', 'x');
  await viaProxy('192.0.2.10', 'nobody-b@example.com', 'x');
  t.equal(
    (await viaProxy('192.0.2.10', 'nobody-c@example.com', 'x')).statusCode,
    429,
    'the client behind the proxy is limited',
  );
  const other = await viaProxy('192.0.2.20', 'shopper@example.com', 'password123');
  t.equal(other.statusCode, 200, 'another client behind the same proxy is not');

  const tokens =
    (await fixture.standIn.client.retrieveRefreshTokens(other.json().user.id)).response.refreshTokens ?? [];
  t.ok(
    tokens.some((token) => token.metaData?.device?.lastAccessedAddress === '192.0.2.20'),
    "FusionAuth is told the client's address, for its own lockout and login history",
  );
});

t.test('regression: a burst of parallel attempts cannot pass the limits before they are counted', async (t) => {
  const limited = await fixture.build(
    { LOGIN_ATTEMPTS_PER_ACCOUNT: '3' },
    { keyPrefix: `${fixture.redis.keyPrefix}burst:` },
  );
  const burst = await Promise.all(
    Array.from({ length: 30 }, (_, index) =>
      limited.inject({
        method: 'POST',
        url: '/api/login',
        remoteAddress: `198.51.100.${100 + index}`,
        headers: { 'content-type': 'application/json', 'x-csrf': '1' },
        payload: { loginId: 'changeme@example.com', password: 'wrong-password' },
      }),
    ),
  );
  const checked = burst.filter((response) => response.statusCode === 401).length;
  t.ok(checked <= 3, `${checked} of 30 parallel wrong passwords reached FusionAuth`);
  t.equal(burst.filter((response) => response.statusCode === 429).length, 30 - checked, 'the rest were refused');

  const browser = new Browser(limited);
  await browser.login('mfa@example.com');
  const codes = await Promise.all(
    Array.from({ length: 40 }, (_, index) =>
      browser.send('POST', '/api/login/two-factor', { code: String(100000 + index) }),
    ),
  );
  const tried = codes.filter((response) => response.json().code === 'invalid_code').length;
  t.ok(tried <= 5, `${tried} of 40 parallel codes from one sign-in were checked`);
});

t.test('IPv6 clients are limited by their /64 network, not address by address', async (t) => {
  const limited = await fixture.build({ LOGIN_ATTEMPTS_PER_IP: '2' }, { keyPrefix: `${fixture.redis.keyPrefix}ipv6:` });
  const from = (address: string, loginId: string) =>
    limited.inject({
      method: 'POST',
      url: '/api/login',
      remoteAddress: address,
      headers: { 'content-type': 'application/json', 'x-csrf': '1' },
      payload: { loginId, password: 'wrong' },
    });
  t.equal((await from('2001:db8:1:2::1', 'nobody-x@example.com')).statusCode, 401);
  t.equal((await from('2001:db8:1:2::2', 'nobody-y@example.com')).statusCode, 401);
  t.equal((await from('2001:db8:1:2:ffff::3', 'nobody-z@example.com')).statusCode, 429, 'same /64');
  t.equal((await from('2001:db8:1:3::1', 'nobody-z@example.com')).statusCode, 401, 'another /64');
});
