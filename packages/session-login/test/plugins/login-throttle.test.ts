import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, CookieJar, LogCapture, TcpProxy } from '@native-login/test-support';
import t from 'tap';
import type { ErrorBody, SignedIn } from '../../src/index.js';
import { normalizeLoginId } from '../../src/security/login-throttle.js';
import { attemptSlotsNamespace } from '../../src/security/attempt-slots/redis-attempt-slots.js';
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
  t.ok(retryAfter >= 50 && retryAfter <= 60, `Retry-After ${retryAfter} s is what is left of the 60 s window`);
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

/** The rate limiter's counters under `keyPrefix` whose key ends with `suffix` (`account:<login id>`, `ip:<ip>`). */
const limitKeys = async (keyPrefix: string, suffix: string) =>
  (await fixture.redis.keys(`${keyPrefix}login-limit:*`)).filter((key) => key.endsWith(suffix));

/** A wrong (or right) password for `loginId`, from `ip`, against `app`. */
const signIn = (
  app: Awaited<ReturnType<typeof fixture.build>>,
  loginId: string,
  password = 'wrong-password',
  ip = '198.51.100.1',
) =>
  app.inject({
    method: 'POST',
    url: '/api/login',
    remoteAddress: ip,
    headers: { 'content-type': 'application/json', 'x-csrf': '1' },
    payload: { loginId, password },
  });

void t.test('the window is the configured one: the limit holds until it ends, then resets', async (t) => {
  const keyPrefix = `${fixture.redis.keyPrefix}window:`;
  const limited = await fixture.build(
    { LOGIN_ATTEMPTS_PER_ACCOUNT: '2', LOGIN_ATTEMPT_WINDOW_SECONDS: '3' },
    { keyPrefix },
  );
  const start = Date.now();
  t.equal((await signIn(limited, 'window@example.com')).statusCode, 401);
  t.equal((await signIn(limited, 'window@example.com')).statusCode, 401);
  const blocked = await signIn(limited, 'window@example.com');
  t.equal(blocked.statusCode, 429);
  const retryAfter = Number(blocked.headers['retry-after']);
  t.ok(retryAfter >= 2 && retryAfter <= 3, `Retry-After ${retryAfter} s is what is left of the 3 s window`);
  const [counter] = await limitKeys(keyPrefix, 'account:window@example.com');
  const ttl = counter === undefined ? -2 : await fixture.redis.client.pttl(counter);
  t.ok(ttl > 2_000 && ttl <= 3_000, `the count lapses with the 3 s window (${ttl} ms left)`);

  await sleep(Math.max(0, start + 1_500 - Date.now()));
  const stillBlocked = await signIn(limited, 'window@example.com');
  t.equal(stillBlocked.statusCode, 429, 'half-way through the window, still refused');
  const laterRetryAfter = Number(stillBlocked.headers['retry-after']);
  t.ok(laterRetryAfter >= 1 && laterRetryAfter <= 2, `and Retry-After counts down (${laterRetryAfter} s)`);

  await sleep(Math.max(0, start + 3_300 - Date.now()));
  t.equal((await signIn(limited, 'window@example.com')).statusCode, 401, 'once the window has passed, tries again');
});

void t.test('a refused attempt gives back no slot: it held none', async (t) => {
  const keyPrefix = `${fixture.redis.keyPrefix}held:`;
  const limited = await fixture.build({}, { keyPrefix });
  // Another instance's attempt for this account is waiting for FusionAuth.
  const slot = `${attemptSlotsNamespace(keyPrefix)}account:held@example.com`;
  await fixture.redis.client.set(slot, '1', 'PX', 10_000);
  const refused = await signIn(limited, 'Held@Example.com');
  t.equal(refused.statusCode, 429);
  t.match(refused.json(), { code: 'too_many_attempts', message: /under way/ });
  await sleep(100);
  t.equal(await fixture.redis.client.get(slot), '1', "the other attempt's slot is still taken");
  const again = await signIn(limited, 'held@example.com', 'password123', '198.51.100.2');
  t.equal(again.statusCode, 429, 'the attempt under way still holds the account');
  await sleep(100);
  t.equal(await fixture.redis.client.get(slot), '1', 'and still holds it after a second refusal');
  t.equal(
    await fixture.redis.client.get(`${attemptSlotsNamespace(keyPrefix)}ip:198.51.100.1`),
    null,
    'no IP slot kept either',
  );
});

void t.test("one account's attempt under way does not hold back another account's", async (t) => {
  // FusionAuth answers slowly, so that every attempt is still under way when the others start.
  const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(fixture.standIn.url).port) });
  t.teardown(() => proxy.close());
  proxy.slowDown(300);
  const slow = await fixture.build(
    { FUSIONAUTH_URL: `http://127.0.0.1:${proxy.port}` },
    { keyPrefix: `${fixture.redis.keyPrefix}accounts:` },
  );
  const burst = await Promise.all(
    Array.from({ length: 4 }, (_, index) =>
      signIn(slow, `parallel-${index}@example.com`, 'x', `198.51.100.${20 + index}`),
    ),
  );
  t.same(
    burst.map((response) => response.statusCode),
    [401, 401, 401, 401],
    'each account has a slot of its own',
  );
  const sameAccount = await Promise.all([
    signIn(slow, 'parallel-0@example.com', 'x', '198.51.100.30'),
    signIn(slow, 'parallel-0@example.com', 'x', '198.51.100.31'),
  ]);
  t.same(
    sameAccount.map((response) => response.statusCode).sort(),
    [401, 429],
    'while one account still has one attempt at a time',
  );
});

void t.test("a failure of the limiter's store alone refuses the sign-in (503), never lets it through", async (t) => {
  const keyPrefix = `${fixture.redis.keyPrefix}broken-limit:`;
  const limited = await fixture.build({}, { keyPrefix });
  // The sessions and the slots work; only the limiter's counters for this account and this IP
  // cannot be read (a key of another type, so its script fails), as a store of its own that is down.
  t.equal((await signIn(limited, 'probe@example.com', 'x', '198.51.100.8')).statusCode, 401);
  const [accountCounter] = await limitKeys(keyPrefix, 'account:probe@example.com');
  const [ipCounter] = await limitKeys(keyPrefix, 'ip:198.51.100.8');
  if (accountCounter === undefined || ipCounter === undefined) throw new Error('the failure was not counted');
  const breakCounter = async (key: string) => {
    await fixture.redis.client.del(key);
    await fixture.redis.client.hset(key, 'not', 'a counter');
  };
  await breakCounter(accountCounter.replace(/probe@example\.com$/, 'shopper@example.com'));
  const response = await signIn(limited, 'shopper@example.com', 'password123');
  t.equal(response.statusCode, 503, 'fails closed: the right password is not let through');
  t.match(response.json(), { code: 'session_store_unavailable' });
  t.notOk(response.headers['set-cookie'], 'and no session is started');
  t.equal((await signIn(limited, 'storeonly@example.com', 'password123')).statusCode, 200, 'other accounts sign in');

  await breakCounter(ipCounter.replace(/198\.51\.100\.8$/, '198.51.100.9'));
  const fromIp = await signIn(limited, 'storeonly@example.com', 'password123', '198.51.100.9');
  t.equal(fromIp.statusCode, 503, "the IP's limiter fails closed too");
});

void t.test('a refusal is logged with the client IP, never the login id or the password', async (t) => {
  const log = new LogCapture();
  const limited = await fixture.build(
    { LOGIN_ATTEMPTS_PER_ACCOUNT: '1', LOG_LEVEL: 'info' },
    { keyPrefix: `${fixture.redis.keyPrefix}logged:`, logStream: log },
  );
  t.equal((await signIn(limited, 'logged@example.com', 'first-wrong', '198.51.100.60')).statusCode, 401);
  t.equal((await signIn(limited, 'logged@example.com', 'second-wrong', '198.51.100.60')).statusCode, 429);
  const refusals = log.lines.filter((line) => line['event'] === 'login_throttled');
  t.same(
    refusals.map(({ level, ip, msg }) => ({ level, ip, msg })),
    [{ level: 40, ip: '198.51.100.60', msg: 'too many failed sign-in attempts' }],
    'one warning, for the refused attempt',
  );
  t.notMatch(log.all, 'logged@example.com', 'the login id is not logged');
  t.notMatch(log.all, 'second-wrong', 'nor the password');
});

void t.test('attempts under way from one IP: five at once, on any instance, then a sixth waits', async (t) => {
  const keyPrefix = `${fixture.redis.keyPrefix}ip-slots:`;
  const limited = await fixture.build({}, { keyPrefix });
  const ipSlot = `${attemptSlotsNamespace(keyPrefix)}ip:198.51.100.70`;
  // Four attempts from this address are waiting for FusionAuth on other instances.
  await fixture.redis.client.set(ipSlot, '4', 'PX', 10_000);
  t.equal((await signIn(limited, 'fifth@example.com', 'x', '198.51.100.70')).statusCode, 401, 'a fifth may start');
  await sleep(100);
  t.equal(await fixture.redis.client.get(ipSlot), '4', 'and gave its slot back');
  await fixture.redis.client.set(ipSlot, '5', 'PX', 10_000);
  const sixth = await signIn(limited, 'sixth@example.com', 'password123', '198.51.100.70');
  t.equal(sixth.statusCode, 429, 'a sixth is refused');
  t.same(sixth.json(), {
    code: 'too_many_attempts',
    message: 'Another sign-in is under way. Please try again in a moment.',
  });
  t.equal(sixth.headers['retry-after'], '1', 'for a moment');
  t.equal(
    await fixture.redis.client.get(`${attemptSlotsNamespace(keyPrefix)}account:sixth@example.com`),
    null,
    'taking no slot',
  );
  t.equal(
    (await signIn(limited, 'storeonly@example.com', 'password123', '198.51.100.71')).statusCode,
    200,
    'elsewhere, sign-ins go on',
  );
});

void t.test('a failure of the in-flight slots alone refuses the sign-in (503), never lets it through', async (t) => {
  const keyPrefix = `${fixture.redis.keyPrefix}broken-slot:`;
  const limited = await fixture.build({}, { keyPrefix });
  // The limiter and the sessions work; only this account's slot cannot be read (a key of another type).
  await fixture.redis.client.hset(`${attemptSlotsNamespace(keyPrefix)}account:shopper@example.com`, 'not', 'a counter');
  const response = await signIn(limited, 'shopper@example.com', 'password123', '198.51.100.80');
  t.equal(response.statusCode, 503);
  t.match(response.json(), { code: 'session_store_unavailable' });
  t.notOk(response.headers['set-cookie'], 'no session is started');
  await sleep(100);
  t.equal(
    await fixture.redis.client.get(`${attemptSlotsNamespace(keyPrefix)}ip:198.51.100.80`),
    null,
    'and no IP slot is kept',
  );
});

void t.test('a login id is one account whatever its case and surrounding space', async (t) => {
  t.equal(normalizeLoginId('  Sam@Example.COM \t'), 'sam@example.com');
});
