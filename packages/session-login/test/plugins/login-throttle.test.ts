import { Browser, CookieJar } from '@native-login/test-support';
import t from 'tap';
import type { ErrorBody, SignedIn } from '../../src/index.js';
import { notesFixture } from '../support/notes-app.js';
import { behindRedisProxy } from '../support/redis.js';

const fixture = await notesFixture(t);

void t.test('brute force: failed attempts per login id and per IP are limited, with Retry-After', async (t) => {
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
  const retryAfter = Number(blocked.headers['retry-after']);
  t.ok(retryAfter > 0 && retryAfter <= 60);
  t.same(blocked.json(), {
    code: 'too_many_attempts',
    message: `Too many attempts. Try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}.`,
  });
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

void t.test('second-factor codes count against the login id too', async (t) => {
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

void t.test(
  'an attempt FusionAuth cannot answer is not counted; a limiter store failure refuses the attempt',
  async (t) => {
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

    const { proxy, app } = await behindRedisProxy(t, fixture);
    proxy.cut();
    const response = await new Browser(app, new CookieJar()).login('shopper@example.com');
    t.equal(response.statusCode, 503, 'fails closed');
    t.match(response.json(), { code: 'session_store_unavailable' });
    proxy.restore();
  },
);

void t.test('the client IP: a trusted proxy may name it, nobody else may; FusionAuth is told it', async (t) => {
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
    (await fixture.standIn.client.retrieveRefreshTokens(other.json<SignedIn>().user.id)).response.refreshTokens ?? [];
  t.ok(
    tokens.some((token) => token.metaData?.device?.lastAccessedAddress === '192.0.2.20'),
    "FusionAuth is told the client's address, for its own lockout and login history",
  );
});

void t.test('regression: a burst of parallel attempts cannot pass the limits before they are counted', async (t) => {
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
  const tried = codes.filter((response) => response.json<ErrorBody>().code === 'invalid_code').length;
  t.ok(tried <= 5, `${tried} of 40 parallel codes from one sign-in were checked`);
});

void t.test('IPv6 clients are limited by their /64 network, not address by address', async (t) => {
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
