import { setTimeout as sleep } from 'node:timers/promises';
import t from 'tap';
import {
  persistentCookieMaxAge,
  silentAuthenticationType,
  ssoCookiePath,
  ssoCookieSameSite,
  ssoSessionSlides,
} from '../../src/oauth/assumptions.js';
import { currentCode } from '../support/demo-users.js';
import { OAuthBrowser, type Page } from '../support/oauth-browser.js';
import { oauthUser, temporaryOAuthApp, temporaryTenant } from '../support/oauth-fixtures.js';
import {
  authorizeRequest,
  codeOf,
  exchangeCode,
  forumApp,
  reachedApp,
  redirectParams,
  signIn,
  storeApp,
  verifyJwt,
} from '../support/oauth-flow.js';
import { contractTarget } from '../support/target.js';

const target = await contractTarget(t);
const store = storeApp(target);
const forum = forumApp(target);
const loggedOut = 'You have been logged out.';

/** The Set-Cookie line for `name` on any answer that led to the page. */
function setCookieOnTheWay(page: Page, name: string): string | undefined {
  return [...page.redirectedFrom, page].map((hop) => hop.setCookie(name)).find((line) => line !== undefined);
}

/** One Set-Cookie attribute's value (`true` for a flag), by case-insensitive name. */
function cookieAttribute(line: string, name: string): string | true | undefined {
  for (const part of line.split(';').slice(1)) {
    const [key = '', ...value] = part.trim().split('=');
    if (key.toLowerCase() === name.toLowerCase()) return value.length > 0 ? value.join('=') : true;
  }
  return undefined;
}

function isLoginForm(page: Page): boolean {
  return page.status === 200 && page.hasField('loginId') && page.hasField('password');
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test(
  'Keep me signed in: fusionauth.sso is set, and the next authorize gives a code without a form',
  async (t) => {
    const user = await oauthUser(t, target.client, {
      applicationIds: [target.storeApplicationId, target.forumApplicationId],
    });
    const session = new OAuthBrowser(target.url);
    const request = await authorizeRequest(target, store);
    const page = await signIn(
      session,
      request,
      { loginId: user.email, password: user.password },
      { rememberDevice: true },
    );
    const code = codeOf(page, request);
    t.ok(code, 'the login itself gives a code');

    const line = setCookieOnTheWay(page, 'fusionauth.sso') ?? '';
    t.ok(line, 'fusionauth.sso is set');
    t.equal(cookieAttribute(line, 'HttpOnly'), true, 'HttpOnly');
    t.equal(String(cookieAttribute(line, 'SameSite')).toLowerCase(), ssoCookieSameSite, 'ssoCookieSameSite');
    t.equal(cookieAttribute(line, 'Path'), ssoCookiePath, 'ssoCookiePath');
    t.equal(cookieAttribute(line, 'Domain'), undefined, "host-only: FusionAuth's host alone");
    t.equal(cookieAttribute(line, 'Secure'), undefined, 'not Secure over http');
    const sso = await session.cookie('fusionauth.sso');
    const lifetime = Number(sso?.expiryTime() ?? 0) - Date.now();
    t.ok(lifetime >= (persistentCookieMaxAge - 86_400) * 1000, `persistent for 70 years, not ${lifetime} ms`);
    t.ok(await session.cookie('fusionauth.remember-device'), 'fusionauth.remember-device is set alongside');

    const first = await exchangeCode(target, request, code);
    t.match(first, { resolved: true, statusCode: 200 });
    const firstIdToken = (await verifyJwt(target, first.response?.id_token ?? '', store.clientId)).payload;

    const again = await authorizeRequest(target, store);
    const silent = await session.visit(again.url);
    t.equal(silent.status, 302, 'the Store again: a redirect, no form');
    t.strictSame(silent.redirectedFrom, []);
    t.equal(redirectParams(silent, store.redirectUri)?.get('userState'), 'Authenticated');
    t.equal(redirectParams(silent, store.redirectUri)?.get('state'), again.state);

    const forumRequest = await authorizeRequest(target, forum);
    const forumPage = await session.visit(forumRequest.url);
    t.equal(forumPage.status, 302, 'the Forum: signed in through the SSO session (step 9)');
    const forumTokens = await exchangeCode(target, forumRequest, codeOf(forumPage, forumRequest));
    t.match(forumTokens, { resolved: true, statusCode: 200 });
    const { payload } = await verifyJwt(target, forumTokens.response?.id_token ?? '', forum.clientId);
    t.equal(payload.sub, user.id);
    t.equal(payload['authenticationType'], silentAuthenticationType, 'silentAuthenticationType');
    t.equal(payload['auth_time'], firstIdToken['auth_time'], 'auth_time is when the user authenticated');
    t.equal(payload['nonce'], forumRequest.nonce, "the silent login's own nonce");
    t.equal(payload['sid'], firstIdToken['sid'], 'one SSO session');
  },
);

void t.test('the box unchecked: no fusionauth.sso, and the next authorize shows the form', async (t) => {
  const user = await oauthUser(t, target.client, {
    applicationIds: [target.storeApplicationId, target.forumApplicationId],
  });
  const session = new OAuthBrowser(target.url);
  const request = await authorizeRequest(target, store);
  const page = await signIn(session, request, { loginId: user.email, password: user.password });
  t.ok(codeOf(page, request), 'signed in');
  t.notOk(setCookieOnTheWay(page, 'fusionauth.sso'), 'no SSO cookie');
  t.notOk(await session.cookie('fusionauth.sso'));

  for (const app of [store, forum]) {
    const next = await session.visit((await authorizeRequest(target, app)).url);
    t.ok(isLoginForm(next), `${app.clientId}: the form`);
    t.notOk(reachedApp(next, app.redirectUri));
  }
  const refreshTokens = await target.client.retrieveRefreshTokens(user.id);
  t.notOk(
    refreshTokens.response.refreshTokens?.some((token) => !token.applicationId),
    'no SSO session among the refresh tokens',
  );
});

void t.test(
  'the SSO session is a refresh token without an application; revoking it brings the form back',
  async (t) => {
    const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
    const session = new OAuthBrowser(target.url);
    const request = await authorizeRequest(target, store, { scope: 'openid' });
    const page = await signIn(
      session,
      request,
      { loginId: user.email, password: user.password },
      { rememberDevice: true },
    );
    t.ok(codeOf(page, request));

    const listed = await target.client.retrieveRefreshTokens(user.id);
    const tokens = listed.response.refreshTokens ?? [];
    t.equal(tokens.length, 1, 'one refresh token: the SSO session (no offline_access was asked for)');
    t.notOk(tokens[0]?.applicationId, 'with no application id');
    t.equal(tokens[0]?.userId, user.id);

    await target.client.revokeRefreshTokensByUserId(user.id);
    const next = await session.visit((await authorizeRequest(target, store)).url);
    t.ok(isLoginForm(next), 'the form again');
    t.notOk(reachedApp(next, store.redirectUri));
    // [?] [SSOSessionDeletedOrExpired] is shown when the cookie names a dead session.
    t.ok(next.text.includes(loggedOut), '[SSOSessionDeletedOrExpired] on the form');
  },
);

void t.test('prompt=login and max_age=0 show the form despite the SSO session; prompt=none uses it', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const session = new OAuthBrowser(target.url);
  const request = await authorizeRequest(target, store);
  await signIn(session, request, { loginId: user.email, password: user.password }, { rememberDevice: true });

  const login = await session.visit((await authorizeRequest(target, store, { prompt: 'login' })).url);
  t.ok(isLoginForm(login), 'prompt=login: the form');
  t.equal(login.form('loginId').hidden.get('prompt'), 'login', 'the prompt is carried');
  const maxAgeZero = await session.visit((await authorizeRequest(target, store, { max_age: '0' })).url);
  t.ok(isLoginForm(maxAgeZero), 'max_age=0: the form');

  const none = await authorizeRequest(target, store, { prompt: 'none' });
  const nonePage = await session.visit(none.url);
  t.ok(codeOf(nonePage, none), 'prompt=none: a code from the SSO session');
  const generous = await authorizeRequest(target, store, { max_age: '3600' });
  t.ok(codeOf(await session.visit(generous.url), generous), 'max_age=3600: a code');
});

void t.test('an SSO session older than max_age: the form', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const session = new OAuthBrowser(target.url);
  await signIn(
    session,
    await authorizeRequest(target, store),
    { loginId: user.email, password: user.password },
    {
      rememberDevice: true,
    },
  );
  await sleep(2_100);
  const stale = await session.visit((await authorizeRequest(target, store, { max_age: '1' })).url);
  t.ok(isLoginForm(stale), 'authenticated more than 1 s ago: the form');
  const fresh = await authorizeRequest(target, store, { max_age: '60' });
  t.ok(codeOf(await session.visit(fresh.url), fresh), 'max_age=60: still silent');
});

void t.test('a login finished on the two-factor page keeps the user signed in as the login form asked', async (t) => {
  const secretBase32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const user = await oauthUser(t, target.client, {
    applicationIds: [target.storeApplicationId, target.forumApplicationId],
    user: { twoFactor: { methods: [{ method: 'authenticator', secret: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=' }] } },
  });
  const session = new OAuthBrowser(target.url);
  const request = await authorizeRequest(target, store);
  const challenge = await signIn(
    session,
    request,
    { loginId: user.email, password: user.password },
    {
      rememberDevice: true,
    },
  );
  t.equal(challenge.url.pathname, '/oauth2/two-factor');
  const done = await session.submit(challenge, 'code', { code: currentCode(secretBase32) });
  t.ok(codeOf(done, request), 'the code');
  t.ok(await session.cookie('fusionauth.sso'), 'fusionauth.sso is set once the second factor is in');
  const forumRequest = await authorizeRequest(target, forum);
  t.ok(codeOf(await session.visit(forumRequest.url), forumRequest), 'the Forum signs in without a form');
});

void t.test('a silent login obeys the rules of an interactive one', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const session = new OAuthBrowser(target.url);
  const request = await authorizeRequest(target, store);
  const page = await signIn(
    session,
    request,
    { loginId: user.email, password: user.password },
    { rememberDevice: true },
  );
  t.ok(codeOf(page, request));

  const forumPage = await session.visit((await authorizeRequest(target, forum)).url);
  t.equal(forumPage.url.pathname, '/oauth2/authorized-not-registered', 'not registered for the Forum');
  t.notOk(reachedApp(forumPage, forum.redirectUri), 'no code for the Forum');

  await target.client.deactivateUser(user.id);
  const deactivated = await session.visit((await authorizeRequest(target, store)).url);
  t.notOk(reachedApp(deactivated, store.redirectUri), 'no code once the user is deactivated');
});

void t.test('ssoSessionSlides: a tenant with a 2 s httpSessionMaxInactiveInterval', async (t) => {
  const tenant = await temporaryTenant(t, target, { httpSessionMaxInactiveInterval: 2 });
  const app = await temporaryOAuthApp(t, target, { client: tenant.client });
  const user = await oauthUser(t, tenant.client, { applicationIds: [app.clientId] });
  const session = new OAuthBrowser(target.url);
  const request = await authorizeRequest(target, app);
  const page = await signIn(
    session,
    request,
    { loginId: user.email, password: user.password },
    { rememberDevice: true },
  );
  t.ok(codeOf(page, request), 'signed in, kept signed in');

  await sleep(1_200);
  const used = await authorizeRequest(target, app);
  t.ok(codeOf(await session.visit(used.url), used), '1.2 s later: silent');

  // 2.4 s after the login but 1.2 s after the last use: alive only if each use slides the lifetime.
  await sleep(1_200);
  const later = await authorizeRequest(target, app);
  const laterPage = await session.visit(later.url);
  if (ssoSessionSlides) t.ok(codeOf(laterPage, later), '2.4 s later, used 1.2 s ago: still silent');
  else t.ok(isLoginForm(laterPage), '2.4 s later: expired, whatever the use');

  await sleep(2_500);
  const expired = await session.visit((await authorizeRequest(target, app)).url);
  t.ok(isLoginForm(expired), '2.5 s unused: the form');
  t.notOk(reachedApp(expired, app.redirectUri));
  t.ok(expired.text.includes(loggedOut), '[SSOSessionDeletedOrExpired] on the form');
});
