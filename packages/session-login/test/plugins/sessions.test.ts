import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Browser, buildBackend, CookieJar, LogCapture, testConfig, type AppPlugin } from '@native-login/test-support';
import t, { type Test } from 'tap';
import { sessionLogin, type CurrentSession, type SignedIn } from '../../src/index.js';
import notesApp, { notesFixture } from '../support/notes-app.js';
import { sessionKey } from '../support/redis.js';

const fixture = await notesFixture(t);
const app = await fixture.build();

void t.test('the cookie: HttpOnly, SameSite=Lax, Path=/, no Domain, not Secure over plain http', async (t) => {
  const response = await new Browser(app).login('shopper@example.com');
  const cookie = String(response.headers['set-cookie']);
  t.match(cookie, /^store_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
  t.notMatch(cookie, /Domain|Secure|Expires|Max-Age/i, 'a browser-session cookie; the server keeps the clock');
});

void t.test('over https (behind a trusted TLS proxy): Secure and the __Host- prefix', async (t) => {
  const log = new LogCapture();
  const secure = await fixture.build(
    { STORE_ORIGIN: 'https://store.example.com', TRUSTED_PROXIES: '127.0.0.1', LOG_LEVEL: 'warn' },
    { logStream: log },
  );
  const viaProxy = await secure.inject({
    method: 'POST',
    url: '/api/login',
    headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', 'x-csrf': '1' },
    payload: { loginId: 'shopper@example.com', password: 'password123' },
  });
  t.equal(viaProxy.statusCode, 200);
  t.match(
    String(viaProxy.headers['set-cookie']),
    /^__Host-store_session=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
  );

  const plain = await new Browser(secure).login('shopper@example.com');
  t.equal(plain.statusCode, 403, 'a sign-in over plain http cannot get a Secure cookie, and says so');
  t.same(plain.json(), { code: 'https_required', message: 'Sign in over https.' });
  t.match(
    log.lines.find((line) => line['level'] === 40 && line['event'] !== 'webhooks_elsewhere'),
    { msg: 'a sign-in arrived over http for an https origin: is the TLS proxy listed in TRUSTED_PROXIES?' },
    'and the log tells the operator what is likely missing',
  );
});

void t.test('nothing is stored for anonymous visitors, and forged cookies create nothing', async (t) => {
  const before = await fixture.redis.keys(`${fixture.redis.keyPrefix}session:*`);
  const visitor = new Browser(app);
  for (const url of ['/api/hello', '/api/user', '/api/notes', '/healthz']) await visitor.send('GET', url);
  t.notOk(visitor.jar.get('store_session'), 'no cookie for a visitor');

  for (const forged of ['not-signed', 'abc.def', 's%3Aforged.signature', '']) {
    const browser = new Browser(app);
    browser.jar.set('store_session', forged);
    const response = await browser.send('GET', '/api/notes');
    t.equal(response.statusCode, 401, `cookie ${JSON.stringify(forged)}`);
  }
  t.same(await fixture.redis.keys(`${fixture.redis.keyPrefix}session:*`), before);
});

void t.test(
  'regression: a login destroys the record of the session the browser had (installed @fastify/session)',
  async (t) => {
    const browser = new Browser(app);
    await browser.login('storeonly@example.com');
    const before = browser.jar.get('store_session') ?? '';
    t.equal(await fixture.redis.client.exists(sessionKey(fixture.redis, before)), 1);
    await browser.login('shopper@example.com');
    t.equal(
      await fixture.redis.client.exists(sessionKey(fixture.redis, before)),
      0,
      'the old record is gone, not just unused',
    );
    t.not(browser.jar.get('store_session'), before);
  },
);

void t.test('logout destroys the record, clears the cookie, revokes the refresh token; replay is 401', async (t) => {
  const { client } = fixture.standIn;
  const browser = new Browser(app);
  const login = await browser.login('shopper@example.com');
  const userId = login.json<SignedIn>().user.id;
  const cookie = browser.jar.get('store_session');
  t.equal(await fixture.redis.client.exists(sessionKey(fixture.redis, cookie)), 1);
  const tokensBefore = (await client.retrieveRefreshTokens(userId)).response.refreshTokens?.length ?? 0;

  const logout = await browser.send('POST', '/api/logout');
  t.equal(logout.statusCode, 204);
  t.equal(logout.body, '');
  t.match(
    String(logout.headers['set-cookie']),
    /^store_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/,
  );
  t.equal(await fixture.redis.client.exists(sessionKey(fixture.redis, cookie)), 0, 'the server-side record is gone');
  const tokensAfter = (await client.retrieveRefreshTokens(userId)).response.refreshTokens?.length ?? 0;
  t.equal(tokensAfter, tokensBefore - 1, "the session's FusionAuth refresh token is revoked");

  const replay = new Browser(app);
  replay.jar.set('store_session', cookie ?? '');
  t.equal((await replay.send('GET', '/api/notes')).statusCode, 401, 'the old cookie is worthless');
  t.equal((await replay.send('POST', '/api/logout')).statusCode, 204, 'logging out again is still 204');
  t.equal((await browser.send('POST', '/api/logout')).statusCode, 204);
});

void t.test('idle timeout: activity slides it, silence ends the session, and the Redis TTL follows', async (t) => {
  const short = await fixture.build({ SESSION_IDLE_TIMEOUT_SECONDS: '1', SESSION_ABSOLUTE_TIMEOUT_SECONDS: '60' });
  const browser = new Browser(short);
  await browser.login('shopper@example.com');
  const key = sessionKey(fixture.redis, browser.jar.get('store_session'));
  const ttl = await fixture.redis.client.pttl(key);
  t.ok(ttl > 500 && ttl <= 1000, `TTL ${ttl} ms is the idle timeout`);

  for (let step = 0; step < 5; step += 1) {
    await sleep(400);
    t.equal(
      (await browser.send('GET', '/api/notes')).statusCode,
      200,
      `still signed in after ${(step + 1) * 400} ms of activity`,
    );
  }
  const extended = await fixture.redis.client.pttl(key);
  t.ok(extended > 500, `activity moved the Redis TTL too (${extended} ms left)`);

  await sleep(1_200);
  const expired = await browser.send('GET', '/api/notes');
  t.equal(expired.statusCode, 401);
  t.match(expired.json(), { code: 'unauthenticated' });
  t.equal(await fixture.redis.client.exists(key), 0, 'and the record has expired by itself');
});

void t.test('absolute timeout: activity does not extend it', async (t) => {
  const short = await fixture.build({ SESSION_IDLE_TIMEOUT_SECONDS: '2', SESSION_ABSOLUTE_TIMEOUT_SECONDS: '3' });
  const browser = new Browser(short);
  await browser.login('shopper@example.com');
  const me = (await browser.send('GET', '/api/user')).json<CurrentSession>();
  const absolute = Date.parse(me.session.absoluteExpiresAt);
  t.ok(Math.abs(absolute - (Date.now() + 3_000)) < 500, 'the absolute deadline is three seconds away');
  for (let step = 1; step <= 5; step += 1) {
    await sleep(500);
    t.equal((await browser.send('GET', '/api/notes')).statusCode, 200, `active, ${step * 500} ms in`);
  }
  await sleep(Math.max(0, absolute - Date.now()) + 200);
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 401, 'after the absolute deadline, however active');
});

void t.test('a session is extended at most once per tenth of the idle timeout', async (t) => {
  const browser = new Browser(app);
  await browser.login('shopper@example.com');
  const key = sessionKey(fixture.redis, browser.jar.get('store_session'));
  const first = await fixture.redis.client.get(key);
  for (let request = 0; request < 5; request += 1) await browser.send('GET', '/api/notes');
  t.equal(await fixture.redis.client.get(key), first, 'requests right after login do not rewrite the session');
  t.notOk((await browser.send('GET', '/api/notes')).headers['set-cookie'], 'nor send the cookie again');
});

void t.test(
  'regression: a slow request that finishes after its session was replaced does not hand its ended cookie back',
  async (t) => {
    // A guarded route that answers only when the test says so, as a slow request would.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (reached = resolve));
    const slowApp: AppPlugin = async (instance, options) => {
      await instance.register(sessionLogin, {
        ...options,
        guardedRoutes: async (scope) => {
          scope.get('/api/slow', async () => {
            reached();
            await held;
            return { done: true };
          });
        },
      });
    };
    const config = testConfig('STORE', fixture.standIn, {
      ...fixture.redis.environment,
      SESSION_IDLE_TIMEOUT_SECONDS: '10',
      // Any request extends the session, so the slow one has a write to make when it finishes.
      SESSION_EXTEND_AFTER_FRACTION: '0.001',
    });
    const slow = await buildBackend(slowApp, config, { keyPrefix: `${fixture.redis.keyPrefix}slow:` });
    t.teardown(() => slow.close());

    const browser = new Browser(slow);
    await browser.login('shopper@example.com');
    const before = browser.jar.get('store_session');
    await sleep(50);
    const pending = slow.inject({ method: 'GET', url: '/api/slow', headers: { cookie: `store_session=${before}` } });
    await started;
    // Meanwhile another tab of the same browser signs in again: a fresh session, the old one ended.
    t.equal((await browser.login('shopper@example.com')).statusCode, 200);
    const after = browser.jar.get('store_session');
    t.not(after, before);
    release();
    const late = await pending;
    t.equal(late.statusCode, 200, 'the slow request itself is answered');
    t.notMatch(String(late.headers['set-cookie'] ?? ''), /store_session=/, 'without the ended session cookie');
    browser.jar.store(late);
    t.equal(browser.jar.get('store_session'), after, 'so the browser keeps its new session');
    t.equal((await browser.send('GET', '/api/user')).statusCode, 200);
  },
);

/**
 * The notes app twice on one Redis namespace, as the Store's and as the Forum's application (its
 * own application id, secret and cookie, unless `shared` gives both the same secret and cookie).
 */
async function twoAppsOnOneNamespace(t: Test, name: string, shared?: { secret: string; cookieName: string }) {
  const keyPrefix = `${fixture.redis.keyPrefix}${name}:`;
  const store = await fixture.build(shared ? { STORE_SESSION_SECRET: shared.secret } : {}, {
    keyPrefix,
    ...(shared && { cookieName: shared.cookieName }),
  });
  const config = testConfig('FORUM', fixture.standIn, {
    ...fixture.redis.environment,
    ...(shared && { FORUM_SESSION_SECRET: shared.secret }),
  });
  const forum = await buildBackend(notesApp, config, { keyPrefix, ...(shared && { cookieName: shared.cookieName }) });
  t.teardown(() => forum.close());
  t.not(config.applicationId, fixture.standIn.storeApplicationId, 'two applications');
  return {
    store,
    forum,
    recordKey: (cookie: string | undefined) => sessionKey({ ...fixture.redis, keyPrefix }, cookie),
  };
}

void t.test("logging out of one app ends none of another app's sessions in the same Redis namespace", async (t) => {
  const { store, forum, recordKey } = await twoAppsOnOneNamespace(t, 'two-apps');
  const jar = new CookieJar();
  const inStore = new Browser(store, jar);
  const inForum = new Browser(forum, jar);
  const otherStoreTab = new Browser(store);
  t.equal((await inStore.login('shopper@example.com')).statusCode, 200);
  t.equal((await inForum.login('shopper@example.com')).statusCode, 200);
  t.equal((await otherStoreTab.login('shopper@example.com')).statusCode, 200);
  const forumCookie = jar.get('forum_session');
  t.ok(jar.get('store_session') && forumCookie, 'one browser, a session in each app');

  t.equal((await inStore.send('POST', '/api/logout')).statusCode, 204);
  t.equal((await inStore.send('GET', '/api/notes')).statusCode, 401, 'signed out of the Store');
  t.equal((await inForum.send('GET', '/api/notes')).statusCode, 200, 'still signed in to the Forum');

  t.equal((await otherStoreTab.send('POST', '/api/logout', { everywhere: true })).statusCode, 204);
  t.equal(await fixture.redis.client.exists(recordKey(forumCookie)), 1, "the Forum's record survives everywhere");
  t.equal((await inForum.send('GET', '/api/notes')).statusCode, 200, 'and its session with it');

  const forumTab = new Browser(forum);
  await forumTab.login('shopper@example.com');
  t.equal((await inForum.send('POST', '/api/logout', { everywhere: true })).statusCode, 204);
  t.equal((await forumTab.send('GET', '/api/notes')).statusCode, 401, "the Forum's everywhere ends its own");
});

void t.test("with one cookie name and secret too, an app's logout does not end the other app's session", async (t) => {
  const shared = { secret: randomBytes(32).toString('base64url'), cookieName: 'session' };
  const { store, forum, recordKey } = await twoAppsOnOneNamespace(t, 'one-cookie', shared);
  const jar = new CookieJar();
  t.equal((await new Browser(forum, jar).login('shopper@example.com')).statusCode, 200);
  const cookie = jar.get('session');
  t.ok(cookie);

  // The Store is handed the Forum's session cookie: it is no session of the Store's to end.
  t.equal((await new Browser(store, jar).send('POST', '/api/logout')).statusCode, 204);
  t.equal(await fixture.redis.client.exists(recordKey(cookie)), 1, "the Forum's record is still there");
  const replay = new Browser(forum);
  replay.jar.set('session', cookie ?? '');
  t.equal((await replay.send('GET', '/api/notes')).statusCode, 200, 'and the Forum session still works');
});
