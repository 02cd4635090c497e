import { randomBytes, randomUUID } from 'node:crypto';
import { Signer } from '@fastify/cookie';
import { GrantType, ProofKeyForCodeExchangePolicy } from '@fusionauth/typescript-client';
import {
  Browser,
  buildBackend,
  LogCapture,
  OAuthBrowser,
  sessionIdOf,
  TcpProxy,
  testConfig,
  type Followed,
  type PageAnswer,
} from '@native-login/test-support';
import type { FastifyInstance } from 'fastify';
import { parse } from 'node-html-parser';
import t from 'tap';
import type { CurrentSession, LogoutRedirect, SessionList } from '../../src/index.js';
import { decodePreLogin, preLoginHandle } from '../../src/oauth/pre-login/pre-login-records.js';
import { decodeSession } from '../../src/session/session-codec.js';
import notesApp, { notesFixture } from '../support/notes-app.js';
import { sessionKey } from '../support/redis.js';

/**
 * The OAuth flow end to end: the notes app as the Store (and a second one as the Forum), on real
 * Redis, against the stand-in's real OAuth server, driven by a browser with a cookie jar that
 * follows every redirect by hand, so that each hop can be looked at, replayed or altered.
 */
const fixture = await notesFixture(t);
const { standIn, redis } = fixture;
const fusionAuth = standIn.client;
const bothFlows = { STORE_LOGIN_FLOWS: 'native,oauth' };
const storeOrigin = 'http://localhost:3000';
const standInOrigin = new URL(standIn.url).origin;
const forumOrigin = 'http://localhost:3001';
const store = await fixture.build(bothFlows);

/** A Forum on the same stand-in and Redis, with keys of its own. */
async function buildForum(environment: Record<string, string | undefined> = {}, logStream?: LogCapture) {
  const config = testConfig('FORUM', standIn, {
    ...redis.environment,
    FORUM_LOGIN_FLOWS: 'native,oauth',
    ...environment,
  });
  const app = await buildBackend(notesApp, config, {
    keyPrefix: `${redis.keyPrefix}forum:`,
    ...(logStream && { logStream }),
  });
  t.teardown(() => app.close());
  return app;
}
const forum = await buildForum();

const browser = (apps: Record<string, FastifyInstance> = { [storeOrigin]: store, [forumOrigin]: forum }) =>
  new OAuthBrowser(apps);

const cookieOf = (b: OAuthBrowser, origin: string, name: string) =>
  b.jar.getCookiesSync(origin).find((cookie) => cookie.key === name)?.value;

const setCookieLines = (answer: PageAnswer) => answer.headers.getSetCookie();

/** A Set-Cookie line's attributes, whatever their order: `{ name, value, max-age, path, httponly, ... }`. */
function cookieAttributes(line: string): Record<string, string | true> {
  const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
  const separator = pair.indexOf('=');
  const parsed: Record<string, string | true> = { name: pair.slice(0, separator), value: pair.slice(separator + 1) };
  for (const attribute of attributes) {
    const [key = '', value] = attribute.split('=');
    parsed[key.toLowerCase()] = value ?? true;
  }
  return parsed;
}

const callbackAnswer = (followed: Followed) =>
  followed.hops.find((hop) => new URL(hop.url).pathname === '/api/oauth/callback');

/** The app's answer to one of its API routes, as JSON, with the browser's cookies. */
async function api<T>(b: OAuthBrowser, url: string): Promise<{ status: number; body: T }> {
  const answer = await b.request(url);
  return { status: answer.status, body: (answer.body ? JSON.parse(answer.body) : undefined) as T };
}

/** The browser's session record in Redis (the Store's, in the test's namespace). */
async function storedSession(b: OAuthBrowser) {
  return decodeSession(await redis.client.get(sessionKey(redis, cookieOf(b, storeOrigin, 'store_session'))));
}

const refreshTokenIds = async (userId: string, applicationId: string) =>
  ((await fusionAuth.retrieveRefreshTokens(userId)).response.refreshTokens ?? [])
    .filter((token) => token.applicationId === applicationId)
    .map((token) => token.id);

const withParameter = (url: string, name: string, value: string | undefined) => {
  const changed = new URL(url);
  if (value === undefined) changed.searchParams.delete(name);
  else changed.searchParams.set(name, value);
  return changed.href;
};

const preLoginKeys = () => redis.keys(`${redis.keyPrefix}oauth-login:*`);
const sessionKeys = () => redis.keys(`${redis.keyPrefix}session:*`);

void t.test('GET /api/login-flows names the flows the app offers, in their configured order', async (t) => {
  t.same((await store.inject({ method: 'GET', url: '/api/login-flows' })).json(), { flows: ['native', 'oauth'] });
  const oauthOnly = await fixture.build({ STORE_LOGIN_FLOWS: 'oauth' });
  t.same((await oauthOnly.inject({ method: 'GET', url: '/api/login-flows' })).json(), { flows: ['oauth'] });
  const nativeOnly = await fixture.build();
  const answer = await nativeOnly.inject({ method: 'GET', url: '/api/login-flows' });
  t.equal(answer.statusCode, 200, 'public: no session, no CSRF header');
  t.same(answer.json(), { flows: ['native'] });
});

void t.test('the login start: a pre-login cookie and record, and a redirect to FusionAuth with PKCE', async (t) => {
  const b = browser();
  const start = await b.request(`${storeOrigin}/api/oauth/login?returnTo=${encodeURIComponent('/cart?step=2#top')}`);
  t.equal(start.status, 302);
  t.equal(start.headers.get('cache-control'), 'no-store');
  const authorize = new URL(start.location ?? '');
  t.equal(`${authorize.origin}${authorize.pathname}`, `${standIn.url}/oauth2/authorize`, "FusionAuth's login page");
  const parameters = Object.fromEntries(authorize.searchParams);
  t.match(parameters, {
    client_id: standIn.storeApplicationId,
    redirect_uri: `${storeOrigin}/api/oauth/callback`,
    response_type: 'code',
    scope: 'openid email profile offline_access',
    state: /^[\w-]{40,}$/,
    nonce: /^[\w-]{40,}$/,
    code_challenge: /^[\w-]{43}$/,
    code_challenge_method: 'S256',
  });
  t.notOk('code_verifier' in parameters, 'the verifier stays on the server');

  const [line = ''] = setCookieLines(start);
  const cookie = cookieAttributes(line);
  t.match(cookie, {
    name: 'store_oauth',
    value: /^[\w-]{43}$/,
    'max-age': '600',
    path: '/',
    httponly: true,
    samesite: 'Lax',
  });
  t.notOk('secure' in cookie, 'not Secure over http, as the origin says');
  t.notOk(cookieOf(b, storeOrigin, 'store_session'), 'no session for a visitor who has not signed in');
  const key = `${redis.keyPrefix}oauth-login:${preLoginHandle(String(cookie.value))}`;
  const stored = await redis.client.get(key);
  t.match(decodePreLogin(stored), { state: parameters.state, returnTo: '/cart?step=2#top', codeVerifier: String });
  t.notOk(stored?.includes(String(cookie.value)), 'stored under a hash of the cookie, and without it');
  t.notOk((await preLoginKeys()).some((name) => name.includes(String(cookie.value))));
  const ttl = await redis.client.pttl(key);
  t.ok(ttl > 590_000 && ttl <= 600_000, `it lives ten minutes (${ttl} ms)`);

  const page = await b.request(start.location ?? '');
  t.equal(page.status, 200, "FusionAuth's form");
  t.ok(parse(page.body).querySelector('form [name="loginId"]'), 'with its login id field');
});

void t.test(
  "signing in on FusionAuth's page: back to returnTo, signed in, and no token reaches the browser",
  async (t) => {
    const b = browser();
    const followed = await b.signIn(storeOrigin, { email: 'shopper@example.com', returnTo: '/cart?step=2#top' });
    t.equal(followed.next, `${storeOrigin}/cart?step=2#top`, 'returnTo, search and hash kept');
    const callback = callbackAnswer(followed);
    t.ok(callback, 'through the callback');
    if (!callback) return;
    t.equal(callback.status, 302);
    t.equal(callback.headers.get('cache-control'), 'no-store');
    t.equal(callback.headers.get('referrer-policy'), 'no-referrer', 'the code in this URL is never sent on');
    t.equal(callback.body, '', 'no body, so no token in one');
    const cookies = setCookieLines(callback);
    t.ok(
      cookies.some((line) => /^store_oauth=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/.test(line)),
      'the pre-login cookie is cleared',
    );
    t.ok(
      cookies.some((line) => /^store_session=.+; Path=\/; HttpOnly; SameSite=Lax/.test(line)),
      'the session cookie is set',
    );

    const me = await api<CurrentSession>(b, `${storeOrigin}/api/user`);
    t.equal(me.status, 200);
    t.same(me.body.user, {
      id: 'cf367aca-b9b3-4b55-9f14-75469b3a01db',
      email: 'shopper@example.com',
      firstName: 'Sam',
      lastName: 'Shopper',
      roles: ['customer'],
    });
    const sessions = await api<SessionList>(b, `${storeOrigin}/api/sessions`);
    t.match(sessions.body.sessions, [{ current: true, signedInWith: 'fusionauth' }]);

    const record = await storedSession(b);
    const issued = await refreshTokenIds(me.body.user.id, standIn.storeApplicationId);
    t.ok(record?.refreshTokenId && issued.includes(record.refreshTokenId), "the session keeps its refresh token's id");
    const secrets = standIn.refreshTokensOf(me.body.user.id);
    t.ok(secrets.length > 0, 'the refresh tokens FusionAuth holds for the user are known, to look for');
    const appAnswers = followed.hops.filter((hop) => hop.url.startsWith(storeOrigin));
    for (const hop of appAnswers) {
      const seen = `${hop.body} ${JSON.stringify([...hop.headers])}`;
      t.notOk(
        secrets.some((secret) => seen.includes(secret)),
        `no refresh token in ${new URL(hop.url).pathname}'s answer`,
      );
      t.notMatch(seen, /eyJ[\w-]+\.eyJ/, `no JWT in ${new URL(hop.url).pathname}'s answer`);
    }
  },
);

void t.test(
  'single sign-on: after a Store sign-in with "Keep me signed in", the Forum signs in without a form',
  async (t) => {
    const b = browser();
    await b.signIn(storeOrigin, { email: 'shopper@example.com' });
    const forumSignIn = await b.follow(`${forumOrigin}/api/oauth/login?returnTo=%2Fposts`);
    t.equal(forumSignIn.next, `${forumOrigin}/posts`, 'straight back to the Forum');
    t.notOk(
      forumSignIn.hops.some((hop) => hop.status === 200),
      'no page on the way: FusionAuth answered with a code at once',
    );
    const me = await api<CurrentSession>(b, `${forumOrigin}/api/user`);
    t.equal(me.status, 200);
    t.same(me.body.user.roles, ['member'], "the Forum's own roles");
    const sessions = await api<SessionList>(b, `${forumOrigin}/api/sessions`);
    t.match(sessions.body.sessions, [{ current: true, signedInWith: 'single_sign_on' }]);
    t.not(
      cookieOf(b, forumOrigin, 'forum_session'),
      cookieOf(b, storeOrigin, 'store_session'),
      'sessions of their own',
    );
  },
);

void t.test('without "Keep me signed in", the Forum shows the form again', async (t) => {
  const b = browser();
  await b.signIn(storeOrigin, { email: 'shopper@example.com', rememberDevice: false });
  t.equal((await api(b, `${storeOrigin}/api/user`)).status, 200);
  const forumSignIn = await b.follow(`${forumOrigin}/api/oauth/login`);
  t.equal(forumSignIn.last.status, 200);
  t.ok(parse(forumSignIn.last.body).querySelector('form [name="loginId"]'), "FusionAuth's form");
});

void t.test('a replayed callback is sign_in_expired and makes no session', async (t) => {
  const b = browser();
  const callbackUrl = await b.callbackUrlOf(storeOrigin, { email: 'shopper@example.com', returnTo: '/cart' });
  const first = await b.request(callbackUrl);
  t.equal(first.location, `${storeOrigin}/cart`, 'the first use signs in');

  const before = (await sessionKeys()).length;
  const attacker = browser();
  const replayed = await attacker.request(callbackUrl);
  t.equal(replayed.status, 302);
  t.equal(replayed.location, `${storeOrigin}/?login_error=sign_in_expired`);
  t.notOk(cookieOf(attacker, storeOrigin, 'store_session'), 'no session cookie');
  const again = await b.request(callbackUrl);
  t.equal(again.location, `${storeOrigin}/?login_error=sign_in_expired`, 'nor for the browser that used it');
  t.equal((await sessionKeys()).length, before, 'no session stored');
});

void t.test('a forged or missing state, and an issuer that is not FusionAuth’s, make no session', async (t) => {
  for (const [label, change] of [
    ['a forged state', (url: string) => withParameter(url, 'state', 'forged-state')],
    ['no state', (url: string) => withParameter(url, 'state', undefined)],
    ['an iss mix-up', (url: string) => withParameter(url, 'iss', 'https://evil.example')],
    ['a second code', (url: string) => `${url}&code=another`],
  ] as const) {
    const b = browser();
    const callbackUrl = await b.callbackUrlOf(storeOrigin, { email: 'shopper@example.com', returnTo: '/cart' });
    const answer = await b.request(change(callbackUrl));
    t.equal(answer.location, `${storeOrigin}/cart?login_error=sign_in_failed`, label);
    t.notOk(cookieOf(b, storeOrigin, 'store_session'), `${label}: no session`);
    t.equal((await b.request(callbackUrl)).location, `${storeOrigin}/?login_error=sign_in_expired`, `${label}: spent`);
  }
});

void t.test(
  "login CSRF: another browser's callback is refused, with its own pre-login cookie or without one, and its code is not spent",
  async (t) => {
    const attacker = browser();
    const attackersCallback = await attacker.callbackUrlOf(storeOrigin, { email: 'storeonly@example.com' });

    const victim = browser();
    await victim.request(`${storeOrigin}/api/oauth/login?returnTo=%2Fnotes`);
    t.ok(cookieOf(victim, storeOrigin, 'store_oauth'), 'the victim has a sign-in of their own under way');
    const forced = await victim.request(attackersCallback);
    t.equal(forced.location, `${storeOrigin}/notes?login_error=sign_in_failed`, 'the state is not theirs');
    t.notOk(cookieOf(victim, storeOrigin, 'store_session'));

    const stranger = browser();
    const cookieless = await stranger.request(attackersCallback);
    t.equal(cookieless.location, `${storeOrigin}/?login_error=sign_in_expired`, 'no pre-login cookie at all');
    t.notOk(cookieOf(stranger, storeOrigin, 'store_session'));

    const own = await attacker.request(attackersCallback);
    t.equal(own.location, `${storeOrigin}/`, 'the code was never exchanged: its own browser still signs in with it');
  },
);

void t.test('FusionAuth errors come back as codes the SPA can explain', async (t) => {
  for (const [error, code] of [
    ['access_denied', 'access_denied'],
    ['login_required', 'login_required'],
    ['interaction_required', 'login_required'],
    ['consent_required', 'login_required'],
    ['server_error', 'sign_in_failed'],
    ['invalid_request', 'sign_in_failed'],
  ] as const) {
    const b = browser();
    const start = await b.request(`${storeOrigin}/api/oauth/login?returnTo=%2Fcart`);
    const state = new URL(start.location ?? '').searchParams.get('state') ?? '';
    const query = new URLSearchParams({ error, error_reason: 'some_reason', state, iss: standIn.url });
    const before = (await sessionKeys()).length;
    const answer = await b.request(`${storeOrigin}/api/oauth/callback?${query.toString()}`);
    t.equal(answer.location, `${storeOrigin}/cart?login_error=${code}`, error);
    t.notOk(cookieOf(b, storeOrigin, 'store_session'), `${error}: no session cookie`);
    t.equal((await sessionKeys()).length, before, `${error}: no session stored`);
  }
});

void t.test('a code FusionAuth does not know (its 400 at the token endpoint) is sign_in_failed', async (t) => {
  const log = new LogCapture();
  const app = await fixture.build({ ...bothFlows, LOG_LEVEL: 'info' }, { logStream: log });
  const b = browser({ [storeOrigin]: app });
  const start = await b.request(`${storeOrigin}/api/oauth/login`);
  const state = new URL(start.location ?? '').searchParams.get('state') ?? '';
  const code = `made-up-${randomUUID()}`;
  const answer = await b.request(
    `${storeOrigin}/api/oauth/callback?${new URLSearchParams({ code, state, iss: standIn.url }).toString()}`,
  );
  t.equal(answer.location, `${storeOrigin}/?login_error=sign_in_failed`);
  t.notOk(cookieOf(b, storeOrigin, 'store_session'), 'no session');
  t.match(
    log.lines.find((line) => line['event'] === 'login_failed'),
    { flow: 'oauth', loginError: 'sign_in_failed', reason: 'token_request_refused', statusCode: 400 },
  );
  t.notMatch(log.all, code, 'the code is never logged');
});

void t.test('returnTo that leaves the app lands on /', async (t) => {
  const b = browser();
  await b.signIn(storeOrigin, { email: 'shopper@example.com' });
  for (const returnTo of [
    '//evil.example',
    'https://evil.example',
    '/\\evil.example',
    'javascript:alert(1)',
    '/\t/evil.example',
    '/api/oauth/frontchannel-logout',
    '',
  ]) {
    const followed = await b.signIn(storeOrigin, { email: 'shopper@example.com', returnTo });
    t.equal(followed.next, `${storeOrigin}/`, JSON.stringify(returnTo));
  }
  const kept = await b.signIn(storeOrigin, { email: 'shopper@example.com', returnTo: '/posts/7?sort=new#reply' });
  t.equal(kept.next, `${storeOrigin}/posts/7?sort=new#reply`, 'a path of the app is kept');
});

void t.test('returnTo whose dot segments collapse into //host lands on /, never on another host', async (t) => {
  for (const returnTo of ['/.//evil.example/phish', '/%2e//evil.example/phish', '/a/..//evil.example/phish']) {
    const b = browser();
    const start = await b.request(`${storeOrigin}/api/oauth/login?returnTo=${encodeURIComponent(returnTo)}`);
    const stored = decodePreLogin(
      await redis.client.get(
        `${redis.keyPrefix}oauth-login:${preLoginHandle(cookieOf(b, storeOrigin, 'store_oauth') ?? '')}`,
      ),
    );
    t.equal(stored?.returnTo, '/', `${returnTo}: the pre-login record keeps /`);
    t.equal(start.status, 302);
    // Stops at whatever is neither FusionAuth nor the Store's API: a page of the Store, or elsewhere.
    const followed = await b.signIn(
      storeOrigin,
      { email: 'shopper@example.com', returnTo },
      (next) => next.origin !== standInOrigin && !(next.origin === storeOrigin && next.pathname.startsWith('/api/')),
    );
    const callback = callbackAnswer(followed);
    t.ok(callback, `${returnTo}: through the callback`);
    t.equal(callback?.status, 302);
    t.equal(callback?.headers.get('location'), '/', `${returnTo}: Location is /`);
    t.notMatch(callback?.headers.get('location') ?? '', /^\/\/|evil/, `${returnTo}: never //evil.example`);
    t.equal(followed.next, `${storeOrigin}/`);
    t.equal((await api(b, `${storeOrigin}/api/user`)).status, 200, `${returnTo}: signed in all the same`);
  }
});

void t.test('returnTo that is the API percent-encoded lands on /, and the user stays signed in', async (t) => {
  for (const returnTo of ['/%61pi/oauth/frontchannel-logout', '/ap%69/oauth/frontchannel-logout']) {
    const b = browser();
    const followed = await b.signIn(storeOrigin, { email: 'shopper@example.com', returnTo });
    t.equal(callbackAnswer(followed)?.headers.get('location'), '/', `${returnTo}: Location is /`);
    t.equal(followed.next, `${storeOrigin}/`, returnTo);
    // The browser goes where the callback sent it, as a page of its own.
    if (followed.next) {
      await b.request(followed.next, { headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'document' } });
    }
    t.equal((await api(b, `${storeOrigin}/api/user`)).status, 200, `${returnTo}: still signed in`);
    t.ok(cookieOf(b, storeOrigin, 'store_session'), `${returnTo}: the session cookie is kept`);
  }
});

void t.test('session fixation: a session id held before the callback is dead after it', async (t) => {
  const native = new Browser(store);
  t.equal((await native.login('shopper@example.com')).statusCode, 200);
  const before = native.jar.get('store_session') ?? '';
  const oldRefreshTokenId = decodeSession(await redis.client.get(sessionKey(redis, before)))?.refreshTokenId;
  t.ok(oldRefreshTokenId, 'the native session holds a refresh token, which the sign-in must revoke');
  t.ok(
    oldRefreshTokenId &&
      (await refreshTokenIds('cf367aca-b9b3-4b55-9f14-75469b3a01db', standIn.storeApplicationId)).includes(
        oldRefreshTokenId,
      ),
    'live before the sign-in',
  );

  const b = browser();
  b.jar.setCookieSync(`store_session=${before}`, storeOrigin);
  await b.signIn(storeOrigin, { email: 'shopper@example.com' });
  const after = cookieOf(b, storeOrigin, 'store_session');
  t.ok(after);
  t.not(sessionIdOf(after ?? ''), sessionIdOf(before), 'a fresh id');
  t.equal((await native.send('GET', '/api/user')).statusCode, 401, 'the old id is honoured no more');
  t.equal(await redis.client.exists(sessionKey(redis, before)), 0, 'its record is gone');
  const live = await refreshTokenIds('cf367aca-b9b3-4b55-9f14-75469b3a01db', standIn.storeApplicationId);
  t.notOk(oldRefreshTokenId && live.includes(oldRefreshTokenId), "and FusionAuth revoked the old session's token");

  // An attacker's own session, validly signed and stored, planted in the victim's browser: were it
  // kept through the sign-in, the attacker would be signed in as the victim.
  const attacker = new Browser(store);
  t.equal((await attacker.login('storeonly@example.com')).statusCode, 200);
  const attackers = attacker.jar.get('store_session') ?? '';
  t.equal(await redis.client.exists(sessionKey(redis, attackers)), 1, "the attacker's session is stored");
  const victim = browser();
  victim.jar.setCookieSync(`store_session=${attackers}`, storeOrigin);
  t.match((await api<CurrentSession>(victim, `${storeOrigin}/api/user`)).body, {
    user: { email: 'storeonly@example.com' },
  });
  await victim.signIn(storeOrigin, { email: 'shopper@example.com' });
  const victims = cookieOf(victim, storeOrigin, 'store_session');
  t.ok(victims);
  t.not(sessionIdOf(victims ?? ''), sessionIdOf(attackers), 'the planted id is not kept');
  t.equal((await attacker.send('GET', '/api/user')).statusCode, 401, 'the attacker is signed in as nobody');
  t.equal(await redis.client.exists(sessionKey(redis, attackers)), 0, 'the planted session is gone');
  t.match((await api<CurrentSession>(victim, `${storeOrigin}/api/user`)).body, {
    user: { email: 'shopper@example.com' },
  });
});

void t.test(
  'session fixation: an id the attacker chose and signed with the app’s secret is never adopted',
  async (t) => {
    const secret = randomBytes(32).toString('base64url');
    const app = await fixture.build({ ...bothFlows, STORE_SESSION_SECRET: secret });
    const signed = (id: string) => new Signer(secret, 'sha256').sign(id);
    const native = new Browser(app);
    t.equal((await native.login('shopper@example.com')).statusCode, 200);
    const issued = native.jar.get('store_session') ?? '';
    t.equal(signed(sessionIdOf(issued)), decodeURIComponent(issued), 'the test signs session ids as the app does');

    const chosen = randomBytes(24).toString('base64url');
    const planted = encodeURIComponent(signed(chosen));
    const b = browser({ [storeOrigin]: app });
    b.jar.setCookieSync(`store_session=${planted}`, storeOrigin);
    await b.signIn(storeOrigin, { email: 'shopper@example.com' });
    const after = cookieOf(b, storeOrigin, 'store_session');
    t.ok(after);
    t.not(after, planted, 'a fresh id');
    t.not(sessionIdOf(after ?? ''), chosen);
    t.equal(await redis.client.exists(sessionKey(redis, planted)), 0, 'nothing stored under the chosen id');
    const attacker = browser({ [storeOrigin]: app });
    attacker.jar.setCookieSync(`store_session=${planted}`, storeOrigin);
    t.equal((await api(attacker, `${storeOrigin}/api/user`)).status, 401, 'the chosen id signs nobody in');
    t.equal((await api(b, `${storeOrigin}/api/user`)).status, 200, 'the victim is signed in under the fresh id');
  },
);

void t.test(
  'not registered: FusionAuth keeps storeonly@ out of the Forum, and a code for them all the same is not_registered',
  async (t) => {
    const b = browser();
    const refused = await b.signIn(forumOrigin, { email: 'storeonly@example.com' });
    t.equal(refused.next, undefined, 'no way back to the Forum');
    t.equal(refused.last.status, 200, "FusionAuth's own page says why");
    t.ok(refused.last.url.startsWith(standIn.url));

    // An application of this test's own that does not require registration: FusionAuth gives a code.
    const applicationId = randomUUID();
    const clientSecret = `secret-${randomUUID()}`;
    const lenientOrigin = 'http://localhost:3002';
    await fusionAuth.createApplication(applicationId, {
      application: {
        name: `Lenient forum ${applicationId}`,
        roles: [{ name: 'member', isDefault: true }],
        oauthConfiguration: {
          clientSecret,
          authorizedRedirectURLs: [`${lenientOrigin}/api/oauth/callback`],
          enabledGrants: [GrantType.authorization_code, GrantType.refresh_token],
          generateRefreshTokens: true,
          requireRegistration: false,
          proofKeyForCodeExchangePolicy: ProofKeyForCodeExchangePolicy.Required,
        },
        // The kickstart's RSA key: the tenant's default key is an HMAC one, which no JWKS publishes.
        jwtConfiguration: {
          enabled: true,
          accessTokenKeyId: '7c3f39a7-7f59-45df-afc9-56d01209eeea',
          idTokenKeyId: '7c3f39a7-7f59-45df-afc9-56d01209eeea',
        },
      },
    });
    const lenient = await buildForum({
      FORUM_APPLICATION_ID: applicationId,
      FORUM_CLIENT_SECRET: clientSecret,
      FORUM_ORIGIN: lenientOrigin,
      FORUM_LOGIN_FLOWS: 'oauth',
    });
    const c = browser({ [lenientOrigin]: lenient });
    const followed = await c.signIn(lenientOrigin, { email: 'storeonly@example.com', returnTo: '/posts' });
    t.equal(followed.next, `${lenientOrigin}/posts?login_error=not_registered`);
    t.notOk(cookieOf(c, lenientOrigin, 'forum_session'), 'no session');
    const userId = 'a475f5d2-d094-422d-9cfe-dadf63a50215';
    t.same(await refreshTokenIds(userId, applicationId), [], 'nor a refresh token left behind');
  },
);

void t.test('an unverified email address is email_not_verified, with no session and no token left', async (t) => {
  const b = browser();
  const followed = await b.signIn(storeOrigin, { email: 'unverified@example.com', returnTo: '/cart' });
  t.equal(followed.next, `${storeOrigin}/cart?login_error=email_not_verified`);
  t.notOk(cookieOf(b, storeOrigin, 'store_session'));
  t.same(await refreshTokenIds('7d80f20e-b126-4d45-bed9-17fc6f1c7037', standIn.storeApplicationId), []);
});

void t.test(
  "an id token signed with the tenant's HMAC key is sign_in_failed, and the refresh token issued with it is revoked",
  async (t) => {
    const { storeApplicationId } = standIn;
    const tenant = (await fusionAuth.retrieveTenant(standIn.tenantId)).response.tenant;
    const hmacKeyId = tenant?.jwtConfiguration?.idTokenKeyId ?? '';
    t.match((await fusionAuth.retrieveKey(hmacKeyId)).response.key, { algorithm: 'HS256' }, "the tenant's key is HMAC");
    const application = (await fusionAuth.retrieveApplication(storeApplicationId)).response.application;
    const ownKeyId = application?.jwtConfiguration?.idTokenKeyId;
    t.ok(ownKeyId && ownKeyId !== hmacKeyId, "the Store's id tokens are signed with a key of its own");
    // FusionAuth signs the Store's id tokens with a shared secret, which no JWKS publishes.
    await fusionAuth.patchApplication(storeApplicationId, {
      application: { jwtConfiguration: { idTokenKeyId: hmacKeyId } },
    });
    t.teardown(() =>
      fusionAuth.patchApplication(storeApplicationId, {
        application: { jwtConfiguration: { idTokenKeyId: ownKeyId } },
      }),
    );

    // A witness first: an app that cannot revoke (FusionAuth refuses its API key) leaves the token
    // FusionAuth issued for all to see, so the revocation below is of a token that was there.
    const log = new LogCapture();
    const cannotRevoke = await fixture.build(
      { ...bothFlows, FUSIONAUTH_API_KEY: 'not-the-api-key', LOG_LEVEL: 'warn' },
      { logStream: log },
    );
    const witness = await standIn.registerUser({ applicationId: storeApplicationId });
    const w = browser({ [storeOrigin]: cannotRevoke });
    const witnessed = await w.signIn(storeOrigin, { email: witness.email, returnTo: '/cart' });
    t.equal(witnessed.next, `${storeOrigin}/cart?login_error=sign_in_failed`, 'the id token is refused');
    t.notOk(cookieOf(w, storeOrigin, 'store_session'), 'no session');
    const left = await refreshTokenIds(witness.id, storeApplicationId);
    t.equal(left.length, 1, 'FusionAuth issued a refresh token with the refused id token');
    t.match(
      log.lines.find((line) => line['event'] === 'login_failed'),
      { loginError: 'sign_in_failed', reason: 'response_rejected' },
      'a check of the token response failed',
    );
    t.match(
      log.lines.find((line) => line['event'] === 'revocation_failed'),
      { why: 'sign-in refused' },
      'and the app knew the refresh token, and tried to revoke it',
    );
    for (const id of left) if (id) await fusionAuth.revokeRefreshTokenById(id);

    const user = await standIn.registerUser({ applicationId: storeApplicationId });
    t.same(await refreshTokenIds(user.id, storeApplicationId), [], 'a user with no refresh token yet');
    const b = browser();
    const followed = await b.signIn(storeOrigin, { email: user.email, returnTo: '/cart' });
    t.equal(followed.next, `${storeOrigin}/cart?login_error=sign_in_failed`);
    t.notOk(cookieOf(b, storeOrigin, 'store_session'), 'no session');
    t.same(await refreshTokenIds(user.id, storeApplicationId), [], 'no live refresh token for the Store (JWT API)');
  },
);

void t.test('FusionAuth slow or unreachable at the token endpoint: identity_unavailable, and no session', async (t) => {
  const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(standIn.url).port) });
  t.teardown(() => proxy.close());
  const log = new LogCapture();
  // The back channel goes through the proxy; the browser reaches FusionAuth directly.
  const app = await fixture.build(
    {
      ...bothFlows,
      FUSIONAUTH_URL: `http://127.0.0.1:${proxy.port}`,
      FUSIONAUTH_PUBLIC_URL: standIn.url,
      FUSIONAUTH_TIMEOUT_MS: '300',
      LOG_LEVEL: 'info',
    },
    { logStream: log },
  );
  for (const [label, breakIt, reason] of [
    ['slow', () => proxy.stall(), 'timeout'],
    ['down', () => proxy.cut(), 'network_error'],
  ] as const) {
    proxy.restore();
    const b = browser({ [storeOrigin]: app });
    const callbackUrl = await b.callbackUrlOf(storeOrigin, { email: 'shopper@example.com', returnTo: '/cart' });
    breakIt();
    const started = Date.now();
    const answer = await b.request(callbackUrl);
    t.equal(answer.location, `${storeOrigin}/cart?login_error=identity_unavailable`, label);
    t.ok(Date.now() - started < 2000, `${label}: within the timeout`);
    t.notOk(cookieOf(b, storeOrigin, 'store_session'), `${label}: no session`);
    t.match(
      log.lines.filter((line) => line['event'] === 'login_failed').at(-1),
      { level: 50, loginError: 'identity_unavailable', reason, msg: 'FusionAuth unavailable' },
      `${label}: logged as an outage`,
    );
  }
});

void t.test('FusionAuth unreachable at the login start: back to returnTo with identity_unavailable', async (t) => {
  const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(standIn.url).port) });
  t.teardown(() => proxy.close());
  const app = await fixture.build({
    ...bothFlows,
    FUSIONAUTH_URL: `http://127.0.0.1:${proxy.port}`,
    FUSIONAUTH_PUBLIC_URL: standIn.url,
    FUSIONAUTH_TIMEOUT_MS: '300',
  });
  proxy.cut();
  const b = browser({ [storeOrigin]: app });
  const down = await b.request(`${storeOrigin}/api/oauth/login?returnTo=%2Fcart`);
  t.equal(down.location, `${storeOrigin}/cart?login_error=identity_unavailable`);
  t.notOk(cookieOf(b, storeOrigin, 'store_oauth'), 'no pre-login cookie');
  proxy.restore();
  const up = await b.request(`${storeOrigin}/api/oauth/login?returnTo=%2Fcart`);
  t.match(up.location, `${standIn.url}/oauth2/authorize?`, 'discovery is tried again once FusionAuth is back');
});

void t.test('an issuer that is not the browser-facing URL is a configuration error the log explains', async (t) => {
  const log = new LogCapture();
  const elsewhere = standIn.url.replace('127.0.0.1', 'localhost');
  const app = await fixture.build(
    { ...bothFlows, FUSIONAUTH_PUBLIC_URL: elsewhere, LOG_LEVEL: 'info' },
    { logStream: log },
  );
  const answer = await app.inject({ method: 'GET', url: '/api/oauth/login?returnTo=%2Fcart' });
  t.equal(answer.headers.location, '/cart?login_error=identity_unavailable');
  t.match(
    log.lines.find((line) => line['level'] === 50),
    {
      msg: /check FUSIONAUTH_URL, and that FUSIONAUTH_PUBLIC_URL is the tenant's issuer/,
      reason: 'discovery_failed',
      detail: `FusionAuth's issuer is ${standIn.url}, not ${elsewhere}: discovered metadata issuer does not match the expected issuer`,
    },
  );
});

void t.test('a client secret FusionAuth refuses is identity_unavailable, and the log names the variable', async (t) => {
  const log = new LogCapture();
  const app = await fixture.build(
    { ...bothFlows, STORE_CLIENT_SECRET: 'not-the-secret', LOG_LEVEL: 'info' },
    { logStream: log },
  );
  const b = browser({ [storeOrigin]: app });
  const followed = await b.signIn(storeOrigin, { email: 'shopper@example.com' });
  t.equal(followed.next, `${storeOrigin}/?login_error=identity_unavailable`);
  t.match(
    log.lines.find((line) => line['level'] === 50),
    {
      msg: 'FusionAuth rejected the client secret: check STORE_CLIENT_SECRET',
      statusCode: 401,
    },
  );
  t.notMatch(log.all, 'not-the-secret', 'nor the secret itself');
});

void t.test('the log has the events, never the code, the state, the cookies or the tokens', async (t) => {
  const log = new LogCapture();
  const app = await fixture.build({ ...bothFlows, LOG_LEVEL: 'info' }, { logStream: log });
  const b = browser({ [storeOrigin]: app });
  const callbackUrl = await b.callbackUrlOf(storeOrigin, { email: 'shopper@example.com' });
  const preLogin = cookieOf(b, storeOrigin, 'store_oauth') ?? '';
  await b.request(callbackUrl);
  const userId = 'cf367aca-b9b3-4b55-9f14-75469b3a01db';
  t.match(
    log.lines.find((line) => line['event'] === 'login_started'),
    { flow: 'oauth', ip: '127.0.0.1' },
  );
  t.match(
    log.lines.find((line) => line['event'] === 'login_succeeded'),
    { flow: 'oauth', userId, ip: '127.0.0.1', via: 'fusionauth' },
  );
  t.ok(
    log.lines.some((line) => (line['req'] as { url?: string } | undefined)?.url === '/api/oauth/callback?[redacted]'),
    "the callback's URL without its query",
  );
  const { searchParams } = new URL(callbackUrl);
  t.ok(standIn.refreshTokensOf(userId).length > 0, 'the refresh tokens FusionAuth holds for the user are known');
  for (const [what, secret] of [
    ['code', searchParams.get('code')],
    ['state', searchParams.get('state')],
    ['pre-login cookie', preLogin],
    ['session cookie', cookieOf(b, storeOrigin, 'store_session')],
    ...standIn.refreshTokensOf(userId).map((token) => ['refresh token', token] as const),
  ] as const) {
    t.ok(secret, `${what} known`);
    t.notOk(secret && log.all.includes(secret), `no ${what} in the log`);
  }
  t.notMatch(log.all, /eyJ[\w-]+\.eyJ/, 'no JWT');
});

void t.test("the callback's code never reaches the log through a percent-encoded path", async (t) => {
  for (const path of ['/%61pi/oauth/callback', '/api/oauth/%63allback', '/%61%70%69/%6f%61uth/callback']) {
    const log = new LogCapture();
    const app = await fixture.build({ ...bothFlows, LOG_LEVEL: 'info' }, { logStream: log });
    const b = browser({ [storeOrigin]: app });
    const callbackUrl = new URL(
      await b.callbackUrlOf(storeOrigin, { email: 'shopper@example.com', returnTo: '/cart' }),
    );
    const code = callbackUrl.searchParams.get('code');
    const state = callbackUrl.searchParams.get('state');
    t.ok(code && state, `${path}: a code and a state to look for`);
    const answer = await b.request(`${storeOrigin}${path}${callbackUrl.search}`);
    t.equal(answer.location, `${storeOrigin}/cart`, `${path}: the router reads it as the callback, which signs in`);
    const urls = log.lines
      .map((line) => (line['req'] as { url?: string } | undefined)?.url)
      .filter((url) => url?.startsWith(path));
    t.ok(urls.length > 0, `${path}: its request line is logged`);
    t.same([...new Set(urls)], [`${path}?[redacted]`], `${path}: without its query`);
    t.notOk(code && log.all.includes(code), `${path}: no code in the log`);
    t.notOk(state && log.all.includes(state), `${path}: no state in the log`);
  }
});

void t.test(
  'front-channel logout ends the session the cookie names, is idempotent, and can do nothing else',
  async (t) => {
    const b = browser();
    await b.signIn(storeOrigin, { email: 'shopper@example.com' });
    await b.follow(`${forumOrigin}/api/oauth/login`);
    const other = browser();
    await other.signIn(storeOrigin, { email: 'shopper@example.com', rememberDevice: false });
    const record = await storedSession(b);
    const frontChannel = `${storeOrigin}/api/oauth/frontchannel-logout`;
    const fromFusionAuth = { headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'iframe' } };

    const crossSite = await other.request(frontChannel, { headers: { 'sec-fetch-site': 'cross-site' } });
    t.equal(crossSite.status, 403, 'a cross-site request is refused');
    t.equal((await api(other, `${storeOrigin}/api/user`)).status, 200, 'and ends nothing');

    const cookie = cookieOf(b, storeOrigin, 'store_session') ?? '';
    const answer = await b.request(`${frontChannel}?everywhere=true`, fromFusionAuth);
    t.equal(answer.status, 200);
    t.equal(answer.body, '', 'an empty body');
    t.equal(answer.headers.get('cache-control'), 'no-store');
    t.ok(
      setCookieLines(answer).some((line) => /^store_session=;/.test(line)),
      'the cookie is cleared',
    );
    t.notOk(cookieOf(b, storeOrigin, 'store_session'));
    t.equal(await redis.client.exists(sessionKey(redis, cookie)), 0, 'the session has ended');
    const replay = browser();
    replay.jar.setCookieSync(`store_session=${cookie}`, storeOrigin);
    t.equal((await api(replay, `${storeOrigin}/api/user`)).status, 401, 'its cookie is worth nothing');
    const live = await refreshTokenIds('cf367aca-b9b3-4b55-9f14-75469b3a01db', standIn.storeApplicationId);
    t.ok(record?.refreshTokenId && !live.includes(record.refreshTokenId), 'its refresh token is revoked');

    t.equal((await b.request(frontChannel, fromFusionAuth)).status, 200, 'again: still 200');
    t.equal((await browser().request(frontChannel, fromFusionAuth)).status, 200, 'and without any session');
    t.equal((await api(other, `${storeOrigin}/api/user`)).status, 200, "the user's other sessions live on");
    t.equal((await api(b, `${forumOrigin}/api/user`)).status, 200, "and so does this browser's Forum session");
    t.equal((await b.request(frontChannel, { method: 'POST' })).status, 404, 'it answers GET alone');
  },
);

void t.test(
  'front-channel logout: only a frame or a page ends the session; an image, a script, a fetch or a HEAD do not',
  async (t) => {
    const frontChannel = `${storeOrigin}/api/oauth/frontchannel-logout`;
    const b = browser();
    await b.signIn(storeOrigin, { email: 'shopper@example.com', rememberDevice: false });
    const cookie = cookieOf(b, storeOrigin, 'store_session') ?? '';
    t.ok(cookie);
    for (const destination of ['image', 'script', 'empty', 'style', 'object', 'embed', 'worker']) {
      for (const site of ['same-site', 'same-origin', 'none']) {
        const answer = await b.request(frontChannel, {
          headers: { 'sec-fetch-site': site, 'sec-fetch-dest': destination },
        });
        t.equal(answer.status, 403, `Sec-Fetch-Dest: ${destination}, Sec-Fetch-Site: ${site}: refused`);
        t.match(JSON.parse(answer.body || '{}'), { code: 'csrf_rejected' });
        t.notOk(
          setCookieLines(answer).some((line) => /^store_session=;/.test(line)),
          `${destination}: the cookie is not cleared`,
        );
      }
    }
    t.equal(await redis.client.exists(sessionKey(redis, cookie)), 1, 'the session survives them all');
    t.equal((await api(b, `${storeOrigin}/api/user`)).status, 200, 'and still signs in');

    // HEAD: no route of its own (a HEAD would otherwise run the GET handler), so nothing ends.
    const head = await store.inject({
      method: 'HEAD',
      url: '/api/oauth/frontchannel-logout',
      headers: {
        host: 'localhost:3000',
        cookie: b.jar.getCookieStringSync(storeOrigin),
        'sec-fetch-site': 'same-site',
        'sec-fetch-dest': 'iframe',
      },
    });
    t.ok([404, 405].includes(head.statusCode), `HEAD is not answered as GET (${head.statusCode})`);
    t.notOk([head.headers['set-cookie']].flat().some((line) => line?.startsWith('store_session=;')));
    t.equal(await redis.client.exists(sessionKey(redis, cookie)), 1, 'the session survives a HEAD');
    t.equal((await api(b, `${storeOrigin}/api/user`)).status, 200);

    // The router is case-sensitive: the same path in capitals is no route at all.
    const capitals = await b.request(`${storeOrigin}/API/oauth/frontchannel-logout`, {
      headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'document' },
    });
    t.equal(capitals.status, 404, '/API/... is not the logout URL');
    t.equal((await api(b, `${storeOrigin}/api/user`)).status, 200);

    for (const destination of ['iframe', 'document']) {
      const c = browser();
      await c.signIn(storeOrigin, { email: 'shopper@example.com', rememberDevice: false });
      const ended = cookieOf(c, storeOrigin, 'store_session') ?? '';
      const answer = await c.request(frontChannel, {
        headers: { 'sec-fetch-site': 'same-site', 'sec-fetch-dest': destination },
      });
      t.equal(answer.status, 200, `Sec-Fetch-Dest: ${destination}: answered`);
      t.equal(await redis.client.exists(sessionKey(redis, ended)), 0, `${destination}: the session has ended`);
      t.equal((await api(c, `${storeOrigin}/api/user`)).status, 401, `${destination}: signed out`);
    }
    t.equal((await api(b, `${storeOrigin}/api/user`)).status, 200, 'other sessions live on');
  },
);

void t.test(
  "POST /api/logout hands out FusionAuth's logout URL after a FusionAuth sign-in, or without a session",
  async (t) => {
    const expectLogoutUrl = (body: string, label: string) => {
      const { logoutUrl } = JSON.parse(body) as LogoutRedirect;
      const url = new URL(logoutUrl);
      t.equal(`${url.origin}${url.pathname}`, `${standIn.url}/oauth2/logout`, label);
      t.same(Object.fromEntries(url.searchParams), {
        client_id: standIn.storeApplicationId,
        post_logout_redirect_uri: `${storeOrigin}/`,
      });
      return logoutUrl;
    };
    const b = browser();
    await b.signIn(storeOrigin, { email: 'shopper@example.com' });
    await b.follow(`${forumOrigin}/api/oauth/login`);
    const signedOut = await b.request(`${storeOrigin}/api/logout`, { json: {} });
    t.equal(signedOut.status, 200);
    const logoutUrl = expectLogoutUrl(signedOut.body, "FusionAuth's logout, for this app");
    t.equal((await api(b, `${storeOrigin}/api/user`)).status, 401, 'the Store session has ended');

    const anonymous = await browser().request(`${storeOrigin}/api/logout`, { json: {} });
    t.equal(anonymous.status, 200, "without a session: FusionAuth's may still be alive");
    expectLogoutUrl(anonymous.body, 'the same URL');

    const native = new Browser(store);
    await native.login('shopper@example.com');
    t.equal((await native.send('POST', '/api/logout')).statusCode, 204, 'after the embedded form: as before');
    const nativeOnly = await fixture.build();
    t.equal((await new Browser(nativeOnly).send('POST', '/api/logout')).statusCode, 204, 'and in a native-only app');

    // FusionAuth's logout page calls every application's logout URL from iframes: the Forum's ends too.
    const page = await b.request(logoutUrl);
    t.equal(page.status, 200);
    const frames = parse(page.body)
      .querySelectorAll('iframe')
      .map((frame) => frame.getAttribute('src') ?? '');
    t.ok(frames.includes(`${forumOrigin}/api/oauth/frontchannel-logout`), "the Forum's logout URL is among them");
    for (const src of frames) await b.request(src, { headers: { 'sec-fetch-site': 'same-site' } });
    t.equal((await api(b, `${forumOrigin}/api/user`)).status, 401, 'a Store logout ends the Forum session');
    const next = await b.follow(`${storeOrigin}/api/oauth/login`);
    t.equal(next.last.status, 200, 'and the next sign-in shows the form: the SSO session has ended');
  },
);

void t.test('OAuth-only mode: the native routes are not there; native-only: the OAuth routes are not', async (t) => {
  const oauthOnly = await fixture.build({ STORE_LOGIN_FLOWS: 'oauth' });
  const native = new Browser(oauthOnly);
  t.equal((await native.login('shopper@example.com')).statusCode, 404, 'POST /api/login');
  t.equal((await native.send('POST', '/api/login/two-factor', { code: '123456' })).statusCode, 404);
  const b = browser({ [storeOrigin]: oauthOnly });
  await b.signIn(storeOrigin, { email: 'shopper@example.com' });
  t.equal((await api(b, `${storeOrigin}/api/user`)).status, 200, 'FusionAuth signs in');

  const nativeOnly = await fixture.build();
  for (const url of ['/api/oauth/login', '/api/oauth/callback', '/api/oauth/frontchannel-logout']) {
    t.equal((await nativeOnly.inject({ method: 'GET', url })).statusCode, 404, url);
  }
});

void t.test('in the embedded store too, a pre-login record is used once', async (t) => {
  const embedded = await fixture.build({ ...bothFlows, REDIS_URL: undefined });
  const b = browser({ [storeOrigin]: embedded });
  const callbackUrl = await b.callbackUrlOf(storeOrigin, { email: 'shopper@example.com' });
  t.equal((await b.request(callbackUrl)).location, `${storeOrigin}/`);
  t.equal((await api(b, `${storeOrigin}/api/user`)).status, 200);
  t.equal(
    (await browser({ [storeOrigin]: embedded }).request(callbackUrl)).location,
    `${storeOrigin}/?login_error=sign_in_expired`,
  );
});

void t.test(
  'login starts are limited per client IP: back to returnTo with too_many_attempts, never JSON',
  async (t) => {
    const log = new LogCapture();
    const app = await fixture.build({ ...bothFlows, LOGIN_STARTS_PER_IP: '2', LOG_LEVEL: 'info' }, { logStream: log });
    const start = (remoteAddress: string) =>
      app.inject({ method: 'GET', url: '/api/oauth/login?returnTo=%2Fcart', remoteAddress });
    for (const attempt of [1, 2]) {
      const allowed = await start('203.0.113.7');
      t.equal(allowed.statusCode, 302, `start ${attempt}`);
      t.match(allowed.headers.location, `${standIn.url}/oauth2/authorize?`, `start ${attempt}: to FusionAuth`);
    }
    const keys = (await preLoginKeys()).length;
    const third = await start('203.0.113.7');
    t.equal(third.statusCode, 302, 'a navigation: a redirect, not a 429');
    t.equal(third.headers.location, '/cart?login_error=too_many_attempts');
    t.equal(third.body, '', 'no body');
    t.notMatch(String(third.headers['content-type'] ?? ''), /json/, 'and no JSON');
    t.notOk(third.headers['set-cookie'], 'no pre-login cookie');
    t.equal((await preLoginKeys()).length, keys, 'nor record');
    t.match(
      log.lines.find((line) => line['event'] === 'login_failed'),
      { flow: 'oauth', loginError: 'too_many_attempts', reason: 'too_many_attempts' },
    );
    const unsafe = await app.inject({
      method: 'GET',
      url: `/api/oauth/login?returnTo=${encodeURIComponent('/.//evil.example')}`,
      remoteAddress: '203.0.113.7',
    });
    t.equal(unsafe.headers.location, '/?login_error=too_many_attempts', 'to a checked returnTo only');
    const elsewhere = await start('203.0.113.8');
    t.equal(elsewhere.statusCode, 302, 'another IP is not held up');
    t.match(elsewhere.headers.location, `${standIn.url}/oauth2/authorize?`);
  },
);

void t.test("a second login start deletes the first start's pre-login record", async (t) => {
  const b = browser();
  const first = await b.request(`${storeOrigin}/api/oauth/login?returnTo=%2Fcart`);
  const firstCookie = cookieOf(b, storeOrigin, 'store_oauth') ?? '';
  const firstKey = `${redis.keyPrefix}oauth-login:${preLoginHandle(firstCookie)}`;
  t.equal(await redis.client.exists(firstKey), 1, "the first start's record");

  const second = await b.request(`${storeOrigin}/api/oauth/login?returnTo=%2Fnotes`);
  const secondCookie = cookieOf(b, storeOrigin, 'store_oauth') ?? '';
  t.ok(secondCookie && secondCookie !== firstCookie, 'a cookie of its own');
  t.equal(await redis.client.exists(firstKey), 0, "the first start's record is gone");
  t.equal(await redis.client.exists(`${redis.keyPrefix}oauth-login:${preLoginHandle(secondCookie)}`), 1);

  // The first start's sign-in completed at FusionAuth all the same, and its callback brought back
  // with the first cookie: nothing to claim.
  const page = await b.request(first.location ?? '');
  const reached = await b.submitForm(
    page,
    { loginId: 'shopper@example.com', password: 'password123', rememberDevice: 'true' },
    (next) => next.pathname === '/api/oauth/callback',
  );
  t.ok(reached.next, "FusionAuth sends the first start's code back");
  t.equal(
    new URL(reached.next ?? '').searchParams.get('state'),
    new URL(first.location ?? '').searchParams.get('state'),
  );
  const withFirstCookie = browser();
  withFirstCookie.jar.setCookieSync(`store_oauth=${firstCookie}`, storeOrigin);
  const answer = await withFirstCookie.request(reached.next ?? '');
  t.equal(
    answer.location,
    `${storeOrigin}/?login_error=sign_in_expired`,
    'sign_in_expired, even with the first cookie',
  );
  t.notOk(cookieOf(withFirstCookie, storeOrigin, 'store_session'), 'no session');

  // The second start still signs in, with its own cookie.
  const secondState = new URL(second.location ?? '').searchParams.get('state');
  t.ok(secondState);
  const own = await b.follow(second.location ?? '');
  t.equal(own.next, `${storeOrigin}/notes`, 'FusionAuth’s SSO session answers at once: the second start signs in');
});

void t.test('served over https, the pre-login cookie is __Host- and Secure', async (t) => {
  const app = await fixture.build({
    ...bothFlows,
    STORE_ORIGIN: 'https://store.example',
    TRUSTED_PROXIES: '127.0.0.1',
  });
  const secure = await app.inject({
    method: 'GET',
    url: '/api/oauth/login',
    headers: { 'x-forwarded-proto': 'https' },
  });
  t.equal(secure.statusCode, 302);
  t.match(cookieAttributes(String(secure.headers['set-cookie'])), {
    name: '__Host-store_oauth',
    secure: true,
    path: '/',
    httponly: true,
    samesite: 'Lax',
  });
  t.equal(
    new URL(String(secure.headers.location)).searchParams.get('redirect_uri'),
    'https://store.example/api/oauth/callback',
    'the redirect URI comes from the configured origin',
  );
  const plain = await app.inject({ method: 'GET', url: '/api/oauth/login?returnTo=%2Fcart' });
  t.equal(plain.statusCode, 302, 'over plain http the cookie could not be set: a navigation, so a redirect');
  t.equal(plain.headers.location, '/cart?login_error=sign_in_failed', 'back to the SPA, which explains');
  t.notMatch(String(plain.headers['content-type'] ?? ''), /json/, 'never JSON');
  t.notOk(plain.headers['set-cookie'], 'no pre-login cookie');
  const callback = await app.inject({ method: 'GET', url: '/api/oauth/callback?code=x&state=y' });
  t.equal(callback.statusCode, 302, 'the callback too');
  t.equal(callback.headers.location, '/?login_error=sign_in_failed');
});
