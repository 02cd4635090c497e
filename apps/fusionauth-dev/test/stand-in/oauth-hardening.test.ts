import { randomUUID } from 'node:crypto';
import {
  Oauth2AuthorizedURLValidationPolicy,
  OAuthScopeHandlingPolicy,
  type User,
} from '@fusionauth/typescript-client';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import type { Test } from 'tap';
import t from 'tap';
import { verifyPassword } from '../../src/crypto/passwords.js';
import { invalidChangePasswordIdPage } from '../../src/oauth/assumptions.js';
import { currentCode, demoPassword, demoUsers, wrongCode } from '../support/demo-users.js';
import { OAuthBrowser, type Page } from '../support/oauth-browser.js';
import { oauthUser, temporaryOAuthApp, temporaryTenant, type OAuthUser } from '../support/oauth-fixtures.js';
import {
  authorizeRequest,
  checkHostedPageHeaders,
  codeOf,
  exchangeCode,
  forumApp,
  postToken,
  redirectParams,
  signIn,
  signInForTokens,
  storeApp,
  type OAuthApp,
} from '../support/oauth-flow.js';
import { standInTarget } from '../support/target.js';

const { app, target } = await standInTarget(t);
const { url } = target;
const { store } = app.standIn;

/** A variable of the seeded kickstart (ids of its users, user actions and keys). */
function variable(name: string): string {
  const value = app.standIn.kickstart?.variables[name];
  if (value === undefined) throw new Error(`the kickstart has no variable ${name}`);
  return value;
}

const storeClient = storeApp(target);
const forum = forumApp(target);

/** The mfa demo user's authenticator (base64, as the User API takes it): `currentCode()` answers it. */
const authenticator: Partial<User> = {
  twoFactor: { methods: [{ method: 'authenticator', secret: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=' }] },
};
/** FusionAuth's words on the hosted pages (its theme's messages). */
const twoFactorTimeout = 'You did not complete the two-factor challenge in time. Please restart your request.';
const invalidChangePasswordId = 'Your password reset code has expired or is invalid. Please retry your request.';
const tooManyTwoFactorAttempts = 'You have exceeded the number of allowed attempts. Your account has been locked.';
const locked = 'Your account has been locked.';
const loggedOut = 'You have been logged out.';
const invalidCode = 'Invalid code';

const credentials = (user: OAuthUser) => ({ loginId: user.email, password: user.password });

/** The page and every answer whose redirect led to it. */
const hops = (page: Page): Page[] => [...page.redirectedFrom, page];

function isLoginForm(page: Page): boolean {
  return page.status === 200 && page.hasField('loginId') && page.hasField('password');
}

/** The forgot-password form, which an unusable `changePasswordId` leads to. */
function isForgotPasswordForm(page: Page): boolean {
  return (
    page.status === 200 && page.form('loginId').action.pathname === '/password/forgot' && !page.hasField('password')
  );
}

/** The login or forgot-password form's error (`#form-error`), or undefined when it shows none. */
function formError(page: Page): string | undefined {
  return page.document.querySelector('#form-error')?.text.trim();
}

/** Whether any answer on the way to the page carried an authorization code anywhere. */
function anyCode(page: Page): boolean {
  return hops(page).some((hop) => {
    const location = hop.location;
    if (!location) return false;
    return location.searchParams.has('code') || new URLSearchParams(location.hash.slice(1)).has('code');
  });
}

/** The Set-Cookie line for `name` on any answer that led to the page. */
function setCookieOnTheWay(page: Page, name: string): string | undefined {
  return hops(page)
    .map((hop) => hop.setCookie(name))
    .find((line) => line !== undefined);
}

/** Whether a Set-Cookie line removes its cookie: an empty value, expired or with no lifetime left. */
function clearsCookie(line: string | undefined): boolean {
  if (line === undefined) return false;
  const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
  const value = pair.slice(pair.indexOf('=') + 1);
  const attribute = (name: string) =>
    attributes.find((part) => part.toLowerCase().startsWith(`${name}=`))?.slice(name.length + 1);
  const maxAge = attribute('max-age');
  const expires = attribute('expires');
  const gone =
    (maxAge !== undefined && Number(maxAge) <= 0) || (expires !== undefined && Date.parse(expires) <= Date.now());
  return value === '' && gone;
}

/** The SSO sessions the Refresh Token API lists for a user (`GET /api/jwt/refresh?userId=`): no application id. */
async function ssoSessionsOf(userId: string) {
  const answer = await target.client.retrieveRefreshTokens(userId);
  return (answer.response.refreshTokens ?? []).filter((token) => !token.applicationId);
}

/** Locks a user with the kickstart's "Suspended" action, which prevents login, for an hour. */
async function suspend(userId: string): Promise<void> {
  await target.client.actionUser({
    action: {
      actioneeUserId: userId,
      actionerUserId: variable('adminUserId'),
      userActionId: variable('suspensionActionId'),
      expiry: Date.now() + 3_600_000,
      comment: 'oauth-hardening test',
    },
  });
}

/** A browser signed in at `client` with "Keep me signed in": it holds a live SSO session. */
async function keptSignedIn(t: Test, client: OAuthApp, loginId: string, password: string): Promise<OAuthBrowser> {
  const browser = new OAuthBrowser(url);
  const request = await authorizeRequest(target, client);
  const page = await signIn(browser, request, { loginId, password }, { rememberDevice: true });
  t.ok(codeOf(page, request), `${loginId} is signed in`);
  t.ok(await browser.cookie('fusionauth.sso'), 'and holds fusionauth.sso');
  return browser;
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test(
  'a pending two-factor or password-change step finishes only under the application that started it',
  async (t) => {
    const tenantB = await temporaryTenant(t, target);
    // No registration required: were the step finished there, a code would come back at once.
    const elsewhere = await temporaryOAuthApp(t, target, {
      client: tenantB.client,
      oauthConfiguration: { requireRegistration: false },
    });
    const others: Array<[string, OAuthApp]> = [
      ['the Forum (same tenant)', forum],
      ["another tenant's application", elsewhere],
    ];

    // Each application gets a step of its own, so that no attempt depends on an earlier one.
    for (const [label, other] of others) {
      const mfaUser = await oauthUser(t, target.client, {
        applicationIds: [target.storeApplicationId, target.forumApplicationId],
        user: authenticator,
      });
      const browser = new OAuthBrowser(url);
      const request = await authorizeRequest(target, storeClient);
      const challenge = await signIn(browser, request, credentials(mfaUser));
      t.equal(
        challenge.url.pathname,
        '/oauth2/two-factor',
        `${label}: the Store's authorize asks for the second factor`,
      );
      const page = await browser.submit(challenge, 'code', {
        code: currentCode(),
        client_id: other.clientId,
        redirect_uri: other.redirectUri,
      });
      t.ok(isLoginForm(page), `${label}, twoFactorId: the login form`);
      t.equal(formError(page), twoFactorTimeout, `${label}, twoFactorId: [TwoFactorTimeout]`);
      t.notOk(anyCode(page), `${label}, twoFactorId: no code`);
      const own = await browser.submit(challenge, 'code', { code: currentCode() });
      t.ok(codeOf(own, request), `${label}, twoFactorId: the Store's own request still finishes it`);
    }

    for (const [label, other] of others) {
      const changer = await oauthUser(t, target.client, {
        applicationIds: [target.storeApplicationId, target.forumApplicationId],
        user: { passwordChangeRequired: true },
      });
      const browser = new OAuthBrowser(url);
      const request = await authorizeRequest(target, storeClient);
      const changePage = await signIn(browser, request, credentials(changer));
      t.equal(changePage.url.pathname, '/password/change', `${label}: the Store's authorize asks for a new password`);
      const newPassword = `new-${randomUUID()}`;
      const page = await browser.submit(changePage, 'password', {
        password: newPassword,
        passwordConfirm: newPassword,
        client_id: other.clientId,
        redirect_uri: other.redirectUri,
      });
      t.ok(
        invalidChangePasswordIdPage === 'forgot-password' ? isForgotPasswordForm(page) : isLoginForm(page),
        `${label}, changePasswordId: invalidChangePasswordIdPage`,
      );
      t.equal(formError(page), invalidChangePasswordId, `${label}, changePasswordId: [InvalidChangePasswordId]`);
      t.notOk(anyCode(page), `${label}, changePasswordId: no code`);
      const record = store.users.get(changer.id);
      t.ok(record && (await verifyPassword(changer.password, record.password)), `${label}: the password is unchanged`);
      t.equal(record?.user.passwordChangeRequired, true, `${label}: and still must be changed`);
      const own = await browser.submit(changePage, 'password', { password: newPassword, passwordConfirm: newPassword });
      t.ok(codeOf(own, request), `${label}, changePasswordId: the Store's own request still finishes it`);
    }
  },
);

void t.test('AllowWildcards: a wildcard matches one host label or a port of a plain URL', async (t) => {
  const wildcards = await temporaryOAuthApp(t, target, {
    oauthConfiguration: {
      authorizedURLValidationPolicy: Oauth2AuthorizedURLValidationPolicy.AllowWildcards,
      authorizedRedirectURLs: ['https://*.example.com/cb', 'http://localhost:*/cb'],
    },
  });
  const refused = [
    // Browsers read a backslash as a slash: the host would be evil.com, or evil.
    'https://evil%2Ecom\\.example.com/cb',
    'https://evil\\.example.com/cb',
    // User information: the host is what follows the @.
    'http://localhost:x@evil.com/cb',
    'http://localhost:8080@evil/cb',
    'https://user@app.example.com/cb',
    'https://user:secret@app.example.com/cb',
    // A wildcard stands for one host label, never two.
    'https://a.b.example.com/cb',
    // Outside printable ASCII.
    'https://äpp.example.com/cb',
  ];
  for (const redirectUri of refused) {
    const request = await authorizeRequest(target, { ...wildcards, redirectUri });
    const answer = await app.inject({ url: `${request.url.pathname}${request.url.search}` });
    t.equal(answer.statusCode, 400, `${redirectUri}: the error page`);
    t.match(
      answer.body,
      '&quot;error_reason&quot;:&quot;invalid_redirect_uri&quot;',
      `${redirectUri}: invalid_redirect_uri`,
    );
    t.notOk(answer.headers.location, `${redirectUri}: no redirect`);
  }

  const user = await oauthUser(t, target.client, { applicationIds: [wildcards.clientId] });
  for (const redirectUri of ['https://app.example.com/cb', 'http://localhost:8080/cb']) {
    const request = await authorizeRequest(target, { ...wildcards, redirectUri });
    const browser = new OAuthBrowser(url);
    const form = await browser.visit(request.url);
    t.ok(isLoginForm(form), `${redirectUri}: the login form`);
    const page = await browser.submit(form, 'loginId', credentials(user));
    t.equal(page.status, 302, `${redirectUri}: a redirect`);
    t.ok(redirectParams(page, redirectUri)?.get('code'), `${redirectUri}: with a code`);
  }

  // ExactMatch keeps a registered URI as it is, but a Location header must be ASCII.
  const registered = 'https://app.example.com/cb/é✓';
  const escaped = 'https://app.example.com/cb/%C3%A9%E2%9C%93';
  const unicode = await temporaryOAuthApp(t, target, { oauthConfiguration: { authorizedRedirectURLs: [registered] } });
  const unicodeClient = { ...unicode, redirectUri: registered };
  const ascii = /^[\x21-\x7e]+$/;
  for (const responseMode of ['query', 'fragment']) {
    const request = await authorizeRequest(target, unicodeClient, {
      response_type: 'token',
      response_mode: responseMode,
    });
    const answer = await app.inject({ url: `${request.url.pathname}${request.url.search}` });
    t.equal(answer.statusCode, 302, `an error redirect (${responseMode}), not a 500`);
    const location = String(answer.headers.location ?? '');
    t.match(location, ascii, `its Location is ASCII (${responseMode})`);
    t.ok(location.startsWith(escaped), `the registered URI, escaped (${responseMode}): ${location}`);
  }
  const unicodeUser = await oauthUser(t, target.client, { applicationIds: [unicode.clientId] });
  const request = await authorizeRequest(target, unicodeClient);
  const page = await signIn(new OAuthBrowser(url), request, credentials(unicodeUser));
  t.equal(page.status, 302, 'the login: a redirect, not a 500');
  const location = page.headers.get('location') ?? '';
  t.match(location, ascii, 'its Location is ASCII');
  t.ok(location.startsWith(`${escaped}?`), `to the registered URI, escaped: ${location}`);
  t.ok(new URL(location).searchParams.get('code'), 'with a code');
});

void t.test('wrong second-factor codes keep counting when the password is entered again', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId], user: authenticator });
  const browser = new OAuthBrowser(url);
  let challenge = await signIn(browser, await authorizeRequest(target, storeClient), credentials(user));
  t.equal(challenge.url.pathname, '/oauth2/two-factor');
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    challenge = await browser.submit(challenge, 'code', { code: wrongCode() });
    t.ok(challenge.hasField('code'), `wrong code ${attempt}: the two-factor page again`);
    t.match(challenge.text, invalidCode, `wrong code ${attempt}: ${invalidCode}`);
  }

  challenge = await signIn(browser, await authorizeRequest(target, storeClient), credentials(user));
  t.equal(challenge.url.pathname, '/oauth2/two-factor', 'the password again: a new challenge');
  const lockedOut = await browser.submit(challenge, 'code', { code: wrongCode() });
  t.ok(isLoginForm(lockedOut), 'the fifth wrong code: the login form');
  t.equal(formError(lockedOut), tooManyTwoFactorAttempts, 'the account is locked');
  const actions = await target.client.retrieveActionsPreventingLogin(user.id);
  t.ok(
    actions.response.actions?.some((action) => action.userActionId === variable('failedLoginLockActionId')),
    "the tenant's failed-login action is on the user",
  );

  const refusedPage = await signIn(browser, await authorizeRequest(target, storeClient), credentials(user));
  t.ok(isLoginForm(refusedPage), 'the right password then: the login form');
  t.equal(formError(refusedPage), locked, `"${locked}"`);
  t.notOk(anyCode(refusedPage), 'no code');
});

void t.test('a form login ends the SSO session the browser held before', async (t) => {
  const shopperId = variable('shopperUserId');
  const browser = await keptSignedIn(t, storeClient, demoUsers.shopper, demoPassword);
  t.equal((await ssoSessionsOf(shopperId)).length, 1, "the shopper's SSO session");

  const relogin = await authorizeRequest(target, storeClient, { prompt: 'login' });
  const page = await signIn(browser, relogin, { loginId: demoUsers.storeOnly, password: demoPassword });
  const code = codeOf(page, relogin);
  t.ok(code, 'prompt=login, storeonly without "Keep me signed in": a code');
  const exchanged = await exchangeCode(target, relogin, code);
  t.equal(exchanged.response?.userId, variable('storeOnlyUserId'), "storeonly's code");
  t.ok(clearsCookie(setCookieOnTheWay(page, 'fusionauth.sso')), 'fusionauth.sso is cleared');
  t.notOk(await browser.cookie('fusionauth.sso'));

  const next = await authorizeRequest(target, storeClient);
  const nextPage = await browser.visit(next.url);
  t.ok(isLoginForm(nextPage), 'the next authorize: the form');
  t.notOk(anyCode(nextPage), 'no silent code for the shopper');
  t.strictSame(await ssoSessionsOf(shopperId), [], "the shopper's SSO refresh token is gone");
});

void t.test("another tenant's live SSO cookie is left alone at authorize", async (t) => {
  const tenantB = await temporaryTenant(t, target);
  const elsewhere = await temporaryOAuthApp(t, target, { client: tenantB.client });
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const browser = await keptSignedIn(t, storeClient, user.email, user.password);
  const before = (await browser.cookie('fusionauth.sso'))?.value;

  const page = await browser.visit((await authorizeRequest(target, elsewhere)).url);
  t.ok(isLoginForm(page), "tenant B's application: its login form");
  t.equal(page.setCookie('fusionauth.sso'), undefined, 'no Set-Cookie for fusionauth.sso');
  t.equal(page.setCookie('fusionauth.remember-device'), undefined, 'nor for fusionauth.remember-device');
  t.notOk(page.text.includes(loggedOut), `no "${loggedOut}"`);
  t.equal((await browser.cookie('fusionauth.sso'))?.value, before, 'the browser keeps the cookie');

  const back = await authorizeRequest(target, storeClient);
  const silent = await browser.visit(back.url);
  t.equal(silent.status, 302, 'tenant A again: a redirect, no form');
  t.ok(codeOf(silent, back), 'with a code from the SSO session');
});

void t.test('a user locked after reaching the password-change page cannot change the password', async (t) => {
  const user = await oauthUser(t, target.client, {
    applicationIds: [target.storeApplicationId],
    user: { passwordChangeRequired: true },
  });
  const browser = new OAuthBrowser(url);
  const request = await authorizeRequest(target, storeClient);
  const changePage = await signIn(browser, request, credentials(user));
  t.equal(changePage.url.pathname, '/password/change');

  await suspend(user.id);
  const newPassword = `new-${randomUUID()}`;
  const page = await browser.submit(changePage, 'password', { password: newPassword, passwordConfirm: newPassword });
  t.ok(isLoginForm(page), 'the login form');
  t.equal(formError(page), locked, 'with the lock message');
  t.notOk(anyCode(page), 'no code');
  const record = store.users.get(user.id);
  t.ok(record && (await verifyPassword(user.password, record.password)), 'the old password still holds');
  t.notOk(record && (await verifyPassword(newPassword, record.password)), 'the new one does not');
  t.equal(record?.user.passwordChangeRequired, true, 'the change is still required');
});

void t.test('the refresh grant honours expires_in', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const request = await authorizeRequest(target, storeClient, { scope: 'openid offline_access' });
  const tokens = await signInForTokens(target, new OAuthBrowser(url), request, credentials(user));
  const refresh = (expiresIn: string) =>
    postToken(
      target,
      new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token ?? '',
        client_id: storeClient.clientId,
        client_secret: storeClient.clientSecret,
        expires_in: expiresIn,
      }),
    );
  const lifetime = (token: unknown) => {
    const { exp = 0, iat = 0 } = decodeJwt(String(token));
    return exp - iat;
  };

  const short = await refresh('60');
  t.equal(short.status, 200, 'expires_in=60: 200');
  t.equal(short.body['expires_in'], 60, 'expires_in: 60');
  t.equal(lifetime(short.body['access_token']), 60, 'an access token whose exp − iat is 60');

  for (const invalid of ['abc', '0']) {
    const answer = await refresh(invalid);
    t.equal(answer.status, 400, `expires_in=${invalid}: 400`);
    t.equal(answer.body['error'], 'invalid_request', `expires_in=${invalid}: invalid_request`);
    t.notOk(answer.body['access_token'], `expires_in=${invalid}: no token`);
  }

  const long = await refresh('86400');
  t.equal(long.status, 200, 'expires_in=86400: 200');
  t.equal(long.body['expires_in'], 300, "capped at the Store's 300 s");
  t.equal(lifetime(long.body['access_token']), 300);
});

void t.test("Compatibility: the access token gets the user's email and username, not the profile", async (t) => {
  const compatible = await temporaryOAuthApp(t, target, {
    oauthConfiguration: { scopeHandlingPolicy: OAuthScopeHandlingPolicy.Compatibility },
  });
  const username = `user-${randomUUID()}`;
  const withUsername = await oauthUser(t, target.client, { applicationIds: [compatible.clientId], user: { username } });
  const withoutUsername = await oauthUser(t, target.client, { applicationIds: [compatible.clientId] });
  for (const [user, expected] of [
    [withUsername, username],
    [withoutUsername, undefined],
  ] as const) {
    const request = await authorizeRequest(target, compatible);
    const tokens = await signInForTokens(target, new OAuthBrowser(url), request, credentials(user));
    const claims = decodeJwt(tokens.access_token ?? '');
    const label = expected === undefined ? 'without a username' : 'with a username';
    t.equal(claims['email'], user.email, `${label}: email`);
    t.equal(claims['email_verified'], true, `${label}: email_verified`);
    if (expected === undefined) t.notOk('preferred_username' in claims, `${label}: no preferred_username`);
    else t.equal(claims['preferred_username'], expected, `${label}: preferred_username`);
    for (const claim of ['given_name', 'family_name', 'name']) {
      t.notOk(claim in claims, `${label}: no ${claim}`);
    }
  }
});

void t.test(
  'a silent login of a user locked since the SSO session started: the form, the cookie cleared',
  async (t) => {
    // By default a lock revokes the user's refresh tokens, the SSO session among them, and the cookie
    // then names an ended session. A tenant that keeps them (`onLoginPrevented: false`) leaves the
    // session alive for the silent login to refuse.
    const keyId = variable('storeSigningKeyId');
    const tenantB = await temporaryTenant(t, target, {
      jwtConfiguration: {
        accessTokenKeyId: keyId,
        idTokenKeyId: keyId,
        refreshTokenRevocationPolicy: { onLoginPrevented: false },
      },
    });
    const client = await temporaryOAuthApp(t, target, { client: tenantB.client });
    const user = await oauthUser(t, tenantB.client, { applicationIds: [client.clientId] });
    const browser = await keptSignedIn(t, client, user.email, user.password);
    await suspend(user.id);
    t.equal((await ssoSessionsOf(user.id)).length, 1, 'the SSO session outlives the lock');

    const page = await browser.visit((await authorizeRequest(target, client)).url);
    t.ok(isLoginForm(page), 'the login form');
    t.equal(formError(page), locked, 'with the lock message');
    t.notOk(anyCode(page), 'no code');
    t.ok(clearsCookie(page.setCookie('fusionauth.sso')), 'Set-Cookie clears fusionauth.sso');
    t.notOk(await browser.cookie('fusionauth.sso'), 'the browser holds it no more');
  },
);

void t.test('prompt=none never lands on a page: interaction_required', async (t) => {
  const changer = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const changeBrowser = await keptSignedIn(t, storeClient, changer.email, changer.password);
  await target.client.patchUser(changer.id, { user: { passwordChangeRequired: true } });
  const storeOnlyBrowser = await keptSignedIn(t, storeClient, demoUsers.storeOnly, demoPassword);

  const cases: Array<[string, OAuthBrowser, OAuthApp]> = [
    ['a password change is required', changeBrowser, storeClient],
    ['not registered for the Forum', storeOnlyBrowser, forum],
  ];
  for (const [label, browser, client] of cases) {
    const request = await authorizeRequest(target, client, { prompt: 'none' });
    const page = await browser.visit(request.url);
    t.equal(page.status, 302, `${label}: a redirect`);
    t.strictSame(page.redirectedFrom, [], `${label}: no hosted page on the way`);
    const params = redirectParams(page, client.redirectUri);
    t.ok(params, `${label}: to the redirect URI`);
    t.equal(params?.get('error'), 'interaction_required', `${label}: error=interaction_required`);
    t.equal(params?.get('state'), request.state, `${label}: the state`);
    t.notOk(params?.has('code'), `${label}: no code`);
  }
});

void t.test('logout: an unknown client or a hint it did not sign is refused; tenants stay apart', async (t) => {
  const logout = (parameters: Record<string, string>) =>
    app.inject({ url: `/oauth2/logout?${new URLSearchParams(parameters).toString()}` });
  const issuer = target.issuer;
  const now = Math.floor(Date.now() / 1000);
  const claims = { aud: storeClient.clientId, iss: issuer, sub: variable('shopperUserId') };

  const storeKey = store.keys.get(variable('storeSigningKeyId'));
  if (!storeKey) throw new Error('no Store signing key');
  const stranger = await generateKeyPair('RS256');
  const foreign = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: randomUUID() })
    .setIssuedAt(now - 60)
    .setExpirationTime(now + 3600)
    .sign(stranger.privateKey);
  const forged = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: storeKey.kid })
    .setIssuedAt(now - 60)
    .setExpirationTime(now + 3600)
    .sign(stranger.privateKey);
  const refusedCases: Array<[string, Record<string, string>]> = [
    ['an unknown client_id', { client_id: randomUUID() }],
    ['an id_token_hint signed with an unknown key', { id_token_hint: foreign }],
    ["an id_token_hint with the Store key's kid but another key's signature", { id_token_hint: forged }],
  ];
  for (const [label, parameters] of refusedCases) {
    const answer = await logout(parameters);
    t.equal(answer.statusCode, 400, `${label}: 400`);
    t.match(answer.body, '&quot;error_reason&quot;:&quot;invalid_client_id&quot;', `${label}: invalid_client_id`);
    t.notOk(answer.headers['set-cookie'], `${label}: no cookie touched`);
  }

  const expired = await new SignJWT(claims)
    .setProtectedHeader({ alg: storeKey.algorithm, typ: 'JWT', kid: storeKey.kid })
    .setIssuedAt(now - 7200)
    .setExpirationTime(now - 3600)
    .sign(storeKey.signingKey);
  const accepted = await logout({ id_token_hint: expired, post_logout_redirect_uri: 'http://localhost:3000/' });
  t.equal(accepted.statusCode, 200, 'a genuine, expired id_token_hint: the logout page');
  t.match(accepted.body, 'url=http://localhost:3000/', "it names the Store: the Store's post-logout URI is allowed");
  t.notMatch(accepted.body, 'error_reason');

  const tenantB = await temporaryTenant(t, target);
  const elsewhere = await temporaryOAuthApp(t, target, { client: tenantB.client });
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const browser = await keptSignedIn(t, storeClient, user.email, user.password);
  const cookie = (await browser.cookie('fusionauth.sso'))?.value ?? '';
  const sessions = await ssoSessionsOf(user.id);
  t.equal(sessions.length, 1, 'an SSO session at tenant A');

  const page = await browser.request('GET', `/oauth2/logout?client_id=${elsewhere.clientId}`);
  t.equal(page.status, 200, "tenant B's logout page");
  t.strictSame(
    (await ssoSessionsOf(user.id)).map((session) => session.id),
    sessions.map((session) => session.id),
    "tenant A's SSO session is not revoked",
  );
  const request = await authorizeRequest(target, storeClient);
  const silent = await app.inject({
    url: `${request.url.pathname}${request.url.search}`,
    cookies: { 'fusionauth.sso': cookie },
  });
  t.equal(silent.statusCode, 302, "tenant A's SSO cookie still signs in silently");
  t.ok(
    new URL(String(silent.headers.location ?? ''), url).searchParams.get('code'),
    'with a code from the SSO session',
  );
  t.notOk(clearsCookie(page.setCookie('fusionauth.sso')), "tenant B's logout leaves tenant A's cookie in the browser");
});

void t.test('every hosted page and redirect cannot be framed, sends no Referer and is not stored', async (t) => {
  const plain = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const browser = new OAuthBrowser(url);
  const form = await browser.visit((await authorizeRequest(target, storeClient)).url);
  checkHostedPageHeaders(t, form, 'the login form');
  const wrong = await browser.submit(form, 'loginId', { loginId: plain.email, password: 'wrong' });
  checkHostedPageHeaders(t, wrong, 'the login form after a wrong password');
  const signedIn = await browser.submit(wrong, 'loginId', { ...credentials(plain), rememberDevice: true });
  t.ok(anyCode(signedIn));
  checkHostedPageHeaders(t, signedIn, 'the redirect with a code');
  checkHostedPageHeaders(
    t,
    await browser.visit((await authorizeRequest(target, storeClient)).url),
    'the silent redirect',
  );
  checkHostedPageHeaders(
    t,
    await browser.visit((await authorizeRequest(target, storeClient, { response_mode: 'form_post' })).url),
    'the form_post page',
  );

  const anonymous = new OAuthBrowser(url);
  checkHostedPageHeaders(t, await anonymous.visit(`/oauth2/authorize?client_id=${randomUUID()}`), 'the error page');
  checkHostedPageHeaders(
    t,
    await anonymous.visit((await authorizeRequest(target, storeClient, { response_type: 'token' })).url),
    'the error redirect',
  );
  checkHostedPageHeaders(
    t,
    await anonymous.visit((await authorizeRequest(target, storeClient, { prompt: 'none' })).url),
    'the prompt=none redirect',
  );

  const mfaUser = await oauthUser(t, target.client, {
    applicationIds: [target.storeApplicationId],
    user: authenticator,
  });
  const mfaBrowser = new OAuthBrowser(url);
  const challenge = await signIn(mfaBrowser, await authorizeRequest(target, storeClient), credentials(mfaUser));
  t.equal(challenge.url.pathname, '/oauth2/two-factor');
  checkHostedPageHeaders(t, challenge, 'to the two-factor page');
  const again = await mfaBrowser.submit(challenge, 'code', { code: wrongCode() });
  checkHostedPageHeaders(t, again, 'the two-factor page after a wrong code');
  checkHostedPageHeaders(
    t,
    await mfaBrowser.submit(again, 'code', { code: currentCode() }),
    'the two-factor redirect with a code',
  );

  const changer = await oauthUser(t, target.client, {
    applicationIds: [target.storeApplicationId],
    user: { passwordChangeRequired: true },
  });
  const changeBrowser = new OAuthBrowser(url);
  const changePage = await signIn(changeBrowser, await authorizeRequest(target, storeClient), credentials(changer));
  t.equal(changePage.url.pathname, '/password/change');
  checkHostedPageHeaders(t, changePage, 'to the password-change page');
  const newPassword = `new-${randomUUID()}`;
  checkHostedPageHeaders(
    t,
    await changeBrowser.submit(changePage, 'password', { password: newPassword, passwordConfirm: newPassword }),
    'the password-change redirect with a code',
  );

  const notRegistered = await signIn(new OAuthBrowser(url), await authorizeRequest(target, forum), credentials(plain));
  t.equal(notRegistered.url.pathname, '/oauth2/authorized-not-registered');
  checkHostedPageHeaders(t, notRegistered, 'to the not-registered page');
});

void t.test("the two-factor page: the tenant's trust lifetime, and a code with a space", async (t) => {
  const days = 7;
  const tenantB = await temporaryTenant(t, target, {
    externalIdentifierConfiguration: { twoFactorTrustIdTimeToLiveInSeconds: days * 86_400 },
  });
  const client = await temporaryOAuthApp(t, target, { client: tenantB.client });
  const user = await oauthUser(t, tenantB.client, { applicationIds: [client.clientId], user: authenticator });
  const browser = new OAuthBrowser(url);
  const request = await authorizeRequest(target, client);
  const challenge = await signIn(browser, request, credentials(user));
  t.equal(challenge.url.pathname, '/oauth2/two-factor');
  t.match(challenge.text, `Trust this device for ${days} days`, "the tenant's twoFactorTrustIdTimeToLiveInSeconds");
  t.notMatch(challenge.text, 'Trust this device for 30 days');

  const code = currentCode();
  const done = await browser.submit(challenge, 'code', {
    code: `${code.slice(0, 3)} ${code.slice(3)}`,
    trustComputer: true,
  });
  t.ok(codeOf(done, request), '"123 456" is accepted');
  t.match(setCookieOnTheWay(done, 'fusionauth.trust'), `Max-Age=${days * 86_400}`, 'trusted for as long');
});
