import { hashSessionId } from '@native-login/session-login';
import { Browser, LogCapture, sessionIdOf } from '@native-login/test-support';
import t from 'tap';
import { storeFixture } from './support.js';

const fixture = await storeFixture(t);
const app = await fixture.build();
const sessionKey = (cookie: string) => `${fixture.redis.keyPrefix}session:${hashSessionId(sessionIdOf(cookie))}`;

t.test('session ids: 1,000 logins give 1,000 distinct ids of at least 128 random bits', async (t) => {
  const ids = new Set<string>();
  for (let login = 0; login < 1_000; login += 1) {
    const browser = new Browser(app);
    await browser.login('storeonly@example.com');
    ids.add(sessionIdOf(browser.jar.get('store_session') ?? ''));
  }
  t.equal(ids.size, 1_000);
  for (const id of [...ids].slice(0, 20)) t.ok(Buffer.from(id, 'base64url').length >= 16, 'at least 16 bytes');
});

t.test(
  'regression: a login destroys the record of the session the browser had (installed @fastify/session)',
  async (t) => {
    const browser = new Browser(app);
    await browser.login('storeonly@example.com');
    const before = browser.jar.get('store_session') ?? '';
    t.equal(await fixture.redis.client.exists(sessionKey(before)), 1);
    await browser.login('shopper@example.com');
    t.equal(await fixture.redis.client.exists(sessionKey(before)), 0, 'the old record is gone, not just unused');
    t.not(browser.jar.get('store_session'), before);
  },
);

t.test(
  'no enumeration: unknown, wrong password, locked, expired and action-prevented look and time alike',
  async (t) => {
    const { standIn } = fixture;
    const store = standIn.storeApplicationId;
    const { email: expiring } = await standIn.registerUser({
      applicationId: store,
      user: { expiry: Date.now() + 300 },
    });
    // A user of this test's own: its wrong passwords soon lock it in FusionAuth too, which must not show.
    const { email: wrongPasswordEmail } = await standIn.registerUser({ applicationId: store });
    const locked = await standIn.registerUser({ applicationId: store });
    await standIn.client.deactivateUser(locked.id);
    await new Promise((resolve) => setTimeout(resolve, 400));

    const cases: Record<string, [string, string]> = {
      'unknown user': ['nobody-at-all@example.com', 'password123'],
      'wrong password': [wrongPasswordEmail, 'not-the-password'],
      'locked (423)': [locked.email, 'password123'],
      'expired (410)': [expiring, 'password123'],
      'action prevents login (409)': ['locked@example.com', 'password123'],
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const times: Record<string, number[]> = {};
    const bodies = new Set<string>();
    // Interleaved rounds, so that whatever else the machine does falls on every case alike.
    for (let round = 0; round < 25; round += 1) {
      for (const [label, [loginId, password]] of Object.entries(cases)) {
        const started = process.hrtime.bigint();
        const response = await new Browser(app).login(loginId, password);
        (times[label] ??= []).push(Number(process.hrtime.bigint() - started) / 1e6);
        bodies.add(`${response.statusCode} ${response.body}`);
      }
    }
    t.equal(bodies.size, 1, `one status and body for all: ${[...bodies][0]}`);
    const medians = Object.fromEntries(Object.entries(times).map(([label, values]) => [label, median(values)]));
    const spread = Math.max(...Object.values(medians)) - Math.min(...Object.values(medians));
    t.ok(spread < 5, `medians within 5 ms of each other: ${JSON.stringify(medians)}`);
  },
);

t.test('the log of a whole visit holds no password, cookie, session id, JWT or refresh token', async (t) => {
  const log = new LogCapture();
  const traced = await fixture.build({ LOG_LEVEL: 'trace' }, { logStream: log });
  const browser = new Browser(traced);
  const login = await browser.login('shopper@example.com');
  await browser.send('POST', '/api/cart/items', { sku: 'tea-sencha', quantity: 1 });
  await browser.send('GET', '/api/sessions');
  const cookie = decodeURIComponent(browser.jar.get('store_session') ?? '');
  const refreshTokens = fixture.standIn.refreshTokensOf(login.json().user.id);
  await browser.send('POST', '/api/logout');
  await new Browser(traced).login('shopper@example.com', 'a-wrong-password');

  t.ok(log.lines.length > 10, `${log.lines.length} lines logged at trace level`);
  t.notOk(log.all.includes('password123') || log.all.includes('a-wrong-password'), 'no password');
  t.notOk(log.all.includes(cookie), 'no cookie value');
  t.notOk(log.all.includes(sessionIdOf(cookie)), 'no session id');
  t.notMatch(log.all, /eyJ[\w-]+\.eyJ[\w-]+/, 'no JWT');
  t.ok(refreshTokens.length > 0);
  for (const token of refreshTokens) t.notOk(log.all.includes(token), 'no refresh token');
  for (const event of ['login_succeeded', 'logout', 'login_failed']) {
    t.match(
      log.lines.find((line) => line['event'] === event),
      { userId: event === 'login_failed' ? undefined : String, ip: '127.0.0.1' },
      event,
    );
  }
});

t.test('wrong methods on every route are 404 JSON, never a 5xx', async (t) => {
  const routes = [
    '/api/login',
    '/api/login/two-factor',
    '/api/logout',
    '/api/user',
    '/api/sessions',
    '/api/products',
    '/api/cart',
    '/api/cart/items',
    '/api/fusionauth/webhook',
    '/healthz',
    '/readyz',
  ];
  const allowed = new Set([
    'POST /api/login',
    'POST /api/login/two-factor',
    'POST /api/logout',
    'GET /api/user',
    'GET /api/sessions',
    'DELETE /api/sessions',
    'GET /api/products',
    'GET /api/cart',
    'POST /api/cart/items',
    'POST /api/fusionauth/webhook',
    'GET /healthz',
    'GET /readyz',
    'HEAD /api/user',
    'HEAD /api/sessions',
    'HEAD /api/products',
    'HEAD /api/cart',
    'HEAD /healthz',
    'HEAD /readyz',
  ]);
  for (const url of routes) {
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      if (allowed.has(`${method} ${url}`)) continue;
      const response = await app.inject({ method, url, headers: { 'x-csrf': '1' } });
      t.equal(response.statusCode, 404, `${method} ${url}`);
      t.match(response.json(), { code: 'not_found' });
    }
  }
});
