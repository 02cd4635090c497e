import { setTimeout as sleep } from 'node:timers/promises';
import { GrantType } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import t from 'tap';
import {
  defaultEnabledGrants,
  defaultLocale,
  errorPageStatus,
  grantDisabledError,
  hostedFailuresCountTowardLockout,
  hostedFormsNeedCsrfToken,
  hostedStepStatus,
  hostedTwoFactorFailuresCountTowardLockout,
  notRegisteredPageStatus,
  pkceError,
  promptError,
} from '../../src/oauth/assumptions.js';
import { currentCode, demoPassword, demoUsers, wrongCode } from '../support/demo-users.js';
import { OAuthBrowser, type Page } from '../support/oauth-browser.js';
import { oauthUser, temporaryOAuthApp } from '../support/oauth-fixtures.js';
import {
  authorizeRequest,
  codeOf,
  errorPageJson,
  exchangeCode,
  forumApp,
  reachedApp,
  redirectParams,
  signIn,
  storeApp,
  verifyJwt,
  type AuthorizeRequest,
  type OAuthApp,
} from '../support/oauth-flow.js';
import { contractTarget } from '../support/target.js';

const target = await contractTarget(t);
const store = storeApp(target);
const browser = () => new OAuthBrowser(target.url);

/** The hidden fields of FusionAuth's login form (theme `oauth2Authorize.ftl`, `helpers.oauthHiddenFields`). */
const loginFormHiddenFields = [
  'captcha_token',
  'client_id',
  'code_challenge',
  'code_challenge_method',
  'metaData.device.name',
  'metaData.device.type',
  'nonce',
  'oauth_context',
  'max_age',
  'pendingIdPLinkId',
  'prompt',
  'redirect_uri',
  'response_mode',
  'response_type',
  'scope',
  'state',
  'tenantId',
  'timezone',
  'user_code',
];

const messages = {
  invalidLogin: 'Invalid login credentials.',
  blank: 'Required',
  loginPrevented: 'Your account has been locked.',
  userLocked: 'Your account has been locked. Please contact your system administrator.',
  userExpired: 'Your account has expired. Please contact your system administrator.',
  tooManyTwoFactorAttempts: 'You have exceeded the number of allowed attempts. Your account has been locked.',
  notRegisteredPage:
    'Registration is required to access this application and your account has not been registered for this application.',
};

/** Asserts the page is the login form again, carrying no code to the app; answers its text. */
function expectLoginFormAgain(t: Test, page: Page, request: AuthorizeRequest, what: string): string {
  t.equal(page.status, 200, `${what}: the form again`);
  t.ok(page.hasField('loginId') && page.hasField('password'), `${what}: with its fields`);
  t.notOk(reachedApp(page, request.app.redirectUri), `${what}: no redirect to the app`);
  return page.text;
}

/** The parameters of an error redirect, or undefined when the page is not one. */
function errorRedirect(page: Page, app: OAuthApp): URLSearchParams | undefined {
  const params = redirectParams(page, app.redirectUri);
  return params?.has('error') ? params : undefined;
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('GET /oauth2/authorize renders the login form, every OAuth field hidden in it', async (t) => {
  const request = await authorizeRequest(target, store);
  const page = await browser().visit(request.url);
  t.equal(page.status, 200);
  t.match(page.contentType, /^text\/html/);
  t.strictSame(page.redirectedFrom, [], 'no redirect on the way');

  const form = page.form('loginId');
  t.equal(form.method, 'POST');
  t.equal(form.action.pathname, '/oauth2/authorize');
  t.equal(form.action.origin, new URL(target.url).origin);
  t.match(form.field('password')?.getAttribute('type'), 'password');
  const rememberDevice = form.field('rememberDevice');
  t.equal(rememberDevice?.getAttribute('type'), 'checkbox', '"Keep me signed in" is a checkbox');
  t.equal(rememberDevice?.getAttribute('value'), 'true');
  t.notOk(rememberDevice?.hasAttribute('checked'), 'unchecked by default');

  const hidden = form.hidden;
  for (const name of loginFormHiddenFields) t.ok(hidden.has(name), `hidden ${name}`);
  for (const name of [
    'client_id',
    'redirect_uri',
    'response_type',
    'scope',
    'state',
    'nonce',
    'code_challenge',
    'code_challenge_method',
  ]) {
    t.equal(hidden.get(name), request.params.get(name), `${name} is carried as sent`);
  }
});

void t.test('login_hint prefills the login id', async (t) => {
  const request = await authorizeRequest(target, store, { login_hint: demoUsers.shopper });
  const page = await browser().visit(request.url);
  t.equal(page.form('loginId').field('loginId')?.getAttribute('value'), demoUsers.shopper);
});

void t.test(
  'a login answers 302 to the redirect_uri with code, iss, locale, state and userState, in that order',
  async (t) => {
    const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
    // A state a browser would mangle if anything decoded or re-encoded it on the way.
    const request = await authorizeRequest(target, store, { state: 'a b&c=d/é?+%' });
    const page = await signIn(browser(), request, { loginId: user.email, password: user.password });
    t.equal(page.status, 302);
    const params = redirectParams(page, store.redirectUri);
    t.ok(params, `a redirect to the registered redirect_uri, not ${page.location?.href}`);
    t.strictSame([...(params?.keys() ?? [])], ['code', 'iss', 'locale', 'state', 'userState']);
    t.match(params?.get('code'), /^\S{16,}$/, 'an opaque code');
    t.equal(params?.get('iss'), target.issuer, "the tenant's issuer (RFC 9207)");
    t.equal(params?.get('locale'), defaultLocale, 'defaultLocale: no locale parameter was sent');
    t.equal(params?.get('state'), 'a b&c=d/é?+%', 'the state byte for byte');
    t.equal(params?.get('userState'), 'Authenticated');
  },
);

void t.test('the success redirect carries the locale parameter, and no state when none was sent', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const request = await authorizeRequest(target, store, { state: null, locale: 'fr' });
  const page = await signIn(browser(), request, { loginId: user.email, password: user.password });
  const params = redirectParams(page, store.redirectUri);
  t.strictSame([...(params?.keys() ?? [])], ['code', 'iss', 'locale', 'userState']);
  t.equal(params?.get('locale'), 'fr', 'defaultLocale applies only without a locale parameter');
});

void t.test('a wrong password or an unknown user gives the form again with [InvalidLogin]', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const request = await authorizeRequest(target, store);
  const session = browser();
  const wrong = await signIn(session, request, { loginId: user.email, password: 'not-the-password' });
  t.ok(expectLoginFormAgain(t, wrong, request, 'wrong password').includes(messages.invalidLogin));
  t.equal(wrong.form('loginId').hidden.get('state'), request.state, 'the OAuth fields survive the error');

  const unknown = await signIn(session, request, { loginId: 'nobody-at-all@example.com', password: 'whatever-it-is' });
  t.ok(expectLoginFormAgain(t, unknown, request, 'unknown user').includes(messages.invalidLogin));

  const retried = await session.submit(unknown, 'loginId', { loginId: user.email, password: user.password });
  t.equal(redirectParams(retried, store.redirectUri)?.get('state'), request.state, 'the re-rendered form completes');
  t.ok(codeOf(retried, request), 'with a code');
});

void t.test('blank fields give the form again with [blank]loginId and [blank]password', async (t) => {
  const request = await authorizeRequest(target, store);
  const page = await signIn(browser(), request, { loginId: '', password: '' });
  t.ok(expectLoginFormAgain(t, page, request, 'blank fields').includes(messages.blank));
});

void t.test('hostedFormsNeedCsrfToken: a login posted without loading the form first', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const request = await authorizeRequest(target, store);
  const body = new URLSearchParams(request.params);
  body.set('loginId', user.email);
  body.set('password', user.password);
  body.set('rememberDevice', 'false');
  const page = await browser().request('POST', '/oauth2/authorize', body);
  if (hostedFormsNeedCsrfToken) {
    t.notOk(codeOf(page, request), 'refused without the token the form carries');
  } else {
    t.equal(page.status, 302);
    t.ok(codeOf(page, request), 'a code, with no cookie and no token');
  }
});

void t.test('errorPageStatus: a missing or unknown client_id renders the error page', async (t) => {
  for (const [clientId, reason] of [
    [null, 'missing_client_id'],
    ['9b3a8bb4-0b4d-4a47-9c9e-0e1e9e7a0001', 'invalid_client_id'],
  ] as const) {
    const request = await authorizeRequest(target, store, { client_id: clientId });
    const page = await browser().request('GET', request.url);
    t.equal(page.status, errorPageStatus, `${reason}: the status`);
    t.match(page.contentType, /^text\/html/, `${reason}: a page`);
    t.notOk(page.location, `${reason}: no redirect`);
    t.ok(page.text.includes("We're sorry, your request was malformed"), `${reason}: FusionAuth's words`);
    // The `error` (clientIdError, [?]) is left unasserted: FusionAuth's users quote only the
    // redirect_uri body, so the tests assert error_reason alone.
    t.equal(errorPageJson(page)?.['error_reason'], reason);
  }
});

void t.test('an unregistered redirect_uri, one with a trailing slash or an extra query: the error page', async (t) => {
  for (const redirectUri of [
    'https://evil.example/api/oauth/callback',
    `${store.redirectUri}/`,
    `${store.redirectUri}?next=/cart`,
    `${target.forumOrigin}/api/oauth/callback`,
    'http://127.0.0.1:3000/api/oauth/callback',
  ]) {
    const request = await authorizeRequest(target, store, { redirect_uri: redirectUri });
    const page = await browser().request('GET', request.url);
    t.equal(page.status, errorPageStatus, `${redirectUri}: errorPageStatus`);
    t.match(page.contentType, /^text\/html/);
    t.notOk(page.location, `${redirectUri}: never redirected to`);
    t.strictSame(errorPageJson(page), {
      error: 'invalid_request',
      error_description: `Invalid redirect uri ${redirectUri}`,
      error_reason: 'invalid_redirect_uri',
    });
  }

  const missing = await browser().request('GET', (await authorizeRequest(target, store, { redirect_uri: null })).url);
  t.equal(missing.status, errorPageStatus, 'a missing redirect_uri');
  t.notOk(missing.location);
  t.equal(errorPageJson(missing)?.['error_reason'], 'invalid_redirect_uri');

  const both = await authorizeRequest(target, store, {
    redirect_uri: 'https://evil.example/callback',
    response_type: 'bogus',
  });
  const first = await browser().request('GET', both.url);
  t.equal(first.status, errorPageStatus, 'the redirect_uri is checked before anything that redirects');
  t.equal(errorPageJson(first)?.['error_reason'], 'invalid_redirect_uri');
});

void t.test(
  'errors after a good redirect_uri redirect there: error, error_reason, error_description, state',
  async (t) => {
    const cases: Array<[string, Record<string, string | null>, string, string, string | undefined]> = [
      [
        'response_type not code',
        { response_type: 'bogus' },
        'unsupported_response_type',
        'invalid_response_type',
        'Parameter response_type must be set to code or token.',
      ],
      ['an unknown scope under Reject', { scope: 'openid bogus' }, 'invalid_scope', 'unknown_scope', undefined],
      [
        'pkceError: no challenge under Required',
        { code_challenge: null, code_challenge_method: null },
        pkceError,
        'missing_code_challenge',
        undefined,
      ],
      [
        'pkceError: method plain',
        { code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' },
        pkceError,
        'invalid_pkce_code_challenge_method',
        undefined,
      ],
      ['promptError: an unknown prompt', { prompt: 'bogus' }, promptError, 'invalid_prompt', undefined],
      ['promptError: prompt is case sensitive', { prompt: 'None' }, promptError, 'invalid_prompt', undefined],
      [
        'prompt=none without an SSO session',
        { prompt: 'none' },
        'login_required',
        'authentication_required',
        'The user is required to complete authentication.',
      ],
    ];
    for (const [what, overrides, error, reason, description] of cases) {
      const request = await authorizeRequest(target, store, overrides);
      const page = await browser().request('GET', request.url);
      t.equal(page.status, 302, `${what}: a redirect`);
      const params = errorRedirect(page, store);
      t.ok(params, `${what}: to the redirect_uri, not ${page.location?.href ?? page.status}`);
      t.strictSame([...(params?.keys() ?? [])], ['error', 'error_reason', 'error_description', 'state'], what);
      t.equal(params?.get('error'), error, `${what}: error`);
      t.equal(params?.get('error_reason'), reason, `${what}: error_reason`);
      if (description === undefined) t.match(params?.get('error_description'), /\S/, `${what}: a description`);
      else t.equal(params?.get('error_description'), description, `${what}: error_description`);
      t.equal(params?.get('state'), request.state, `${what}: the state`);
    }

    const stateless = await authorizeRequest(target, store, { state: null, scope: 'openid bogus' });
    const params = errorRedirect(await browser().request('GET', stateless.url), store);
    t.strictSame([...(params?.keys() ?? [])], ['error', 'error_reason', 'error_description'], 'no state, none back');
  },
);

void t.test('grantDisabledError: an application without the authorization code grant', async (t) => {
  const app = await temporaryOAuthApp(t, target, { oauthConfiguration: { enabledGrants: [GrantType.refresh_token] } });
  const request = await authorizeRequest(target, app);
  const params = errorRedirect(await browser().request('GET', request.url), app);
  t.equal(params?.get('error'), grantDisabledError);
  t.equal(params?.get('error_reason'), 'grant_type_disabled');
  t.equal(params?.get('state'), request.state);

  const orderRequest = await authorizeRequest(target, app, { response_type: 'bogus' });
  const first = errorRedirect(await browser().request('GET', orderRequest.url), app);
  t.equal(first?.get('error_reason'), 'invalid_response_type', 'response_type is checked before the grant');
  const scopeRequest = await authorizeRequest(target, app, { scope: 'openid bogus' });
  const second = errorRedirect(await browser().request('GET', scopeRequest.url), app);
  t.equal(second?.get('error_reason'), 'grant_type_disabled', 'the grant is checked before the scope');
});

void t.test('defaultEnabledGrants: an application created without enabledGrants', async (t) => {
  const app = await temporaryOAuthApp(t, target, { oauthConfiguration: { enabledGrants: undefined } });
  const stored = await target.client.retrieveApplication(app.clientId);
  t.same(stored.response.application?.oauthConfiguration?.enabledGrants, defaultEnabledGrants, 'the grants it got');
  const request = await authorizeRequest(target, app);
  const page = await browser().visit(request.url);
  if (defaultEnabledGrants.includes(GrantType.authorization_code)) {
    t.equal(page.status, 200, 'the code grant is on: the form');
    t.ok(page.hasField('loginId'));
  } else {
    t.equal(errorRedirect(page, app)?.get('error_reason'), 'grant_type_disabled', 'the code grant is off');
  }
});

void t.test("the redirecting checks run in FusionAuth's order: the first fault is the one reported", async (t) => {
  const cases: Array<[string, Record<string, string | null>, string]> = [
    ['response_type before scope', { response_type: 'bogus', scope: 'openid bogus' }, 'invalid_response_type'],
    [
      'scope before PKCE',
      { scope: 'openid bogus', code_challenge: null, code_challenge_method: null },
      'unknown_scope',
    ],
    [
      'PKCE before prompt',
      { code_challenge: null, code_challenge_method: null, prompt: 'bogus' },
      'missing_code_challenge',
    ],
    [
      'the challenge method before prompt',
      { code_challenge_method: 'plain', prompt: 'bogus' },
      'invalid_pkce_code_challenge_method',
    ],
    [
      'PKCE before login_required',
      { code_challenge: null, code_challenge_method: null, prompt: 'none' },
      'missing_code_challenge',
    ],
    ['scope before login_required', { scope: 'openid bogus', prompt: 'none' }, 'unknown_scope'],
  ];
  for (const [what, overrides, reason] of cases) {
    const request = await authorizeRequest(target, store, overrides);
    const params = errorRedirect(await browser().request('GET', request.url), store);
    t.equal(params?.get('error_reason'), reason, what);
  }
});

void t.test('unverified email under Allow: a code with userState AuthenticatedNotVerified', async (t) => {
  const request = await authorizeRequest(target, store);
  const page = await signIn(browser(), request, { loginId: demoUsers.unverified, password: demoPassword });
  t.equal(redirectParams(page, store.redirectUri)?.get('userState'), 'AuthenticatedNotVerified');
  const tokens = await exchangeCode(target, request, codeOf(page, request));
  t.match(tokens, { resolved: true, statusCode: 200 });
  const { payload } = await verifyJwt(target, tokens.response?.id_token ?? '', store.clientId);
  t.equal(payload['email_verified'], false, 'the id token says so');
});

void t.test('notRegisteredPageStatus: requireRegistration shows the not-registered page and no code', async (t) => {
  const forum = forumApp(target);
  const request = await authorizeRequest(target, forum);
  const page = await signIn(browser(), request, { loginId: demoUsers.storeOnly, password: demoPassword });
  t.equal(page.url.pathname, '/oauth2/authorized-not-registered');
  t.equal(page.status, notRegisteredPageStatus);
  t.match(page.contentType, /^text\/html/);
  t.ok(page.text.includes(messages.notRegisteredPage), "FusionAuth's words");
  t.notOk(reachedApp(page, forum.redirectUri), 'no code, no redirect to the Forum');
  t.notOk(page.location, 'the page stays');
});

void t.test(
  'requireRegistration false: a code with AuthenticatedNotRegistered, and no applicationId or roles',
  async (t) => {
    const app = await temporaryOAuthApp(t, target, { oauthConfiguration: { requireRegistration: false } });
    const user = await oauthUser(t, target.client, { applicationIds: [] });
    const request = await authorizeRequest(target, app, { scope: 'openid' });
    const page = await signIn(browser(), request, { loginId: user.email, password: user.password });
    t.equal(redirectParams(page, app.redirectUri)?.get('userState'), 'AuthenticatedNotRegistered');
    const tokens = await exchangeCode(target, request, codeOf(page, request));
    t.match(tokens, { resolved: true, statusCode: 200 });
    const { payload } = await verifyJwt(target, tokens.response?.access_token ?? '', app.clientId);
    t.equal(payload.sub, user.id);
    t.notOk('applicationId' in payload, 'no applicationId');
    t.notOk('roles' in payload, 'no roles');
  },
);

void t.test(
  'hostedStepStatus: two-factor page, a wrong code renders it again, the right code gives a code',
  async (t) => {
    const request = await authorizeRequest(target, store);
    const session = browser();
    const page = await signIn(session, request, { loginId: demoUsers.mfa, password: demoPassword });
    t.equal(page.redirectedFrom[0]?.status, hostedStepStatus, 'the login POST leads to the page');
    t.equal(page.url.pathname, '/oauth2/two-factor');
    t.equal(page.status, 200);
    const form = page.form('code');
    t.equal(form.action.pathname, '/oauth2/two-factor');
    t.match(form.hidden.get('twoFactorId'), /\S/, 'a twoFactorId');
    t.ok(form.hidden.has('methodId'), 'a methodId');
    t.equal(form.hidden.get('state'), request.state, 'the OAuth fields');
    t.equal(form.hidden.get('code_challenge'), request.params.get('code_challenge'));
    t.equal(form.field('trustComputer')?.getAttribute('type'), 'checkbox');

    const wrong = await session.submit(page, 'code', { code: wrongCode() });
    t.equal(wrong.status, 200, 'a wrong code: the page again');
    t.ok(wrong.hasField('code'));
    t.notOk(reachedApp(wrong, store.redirectUri));

    const right = await session.submit(wrong, 'code', { code: currentCode() });
    const params = redirectParams(right, store.redirectUri);
    t.equal(params?.get('userState'), 'Authenticated');
    t.equal(params?.get('state'), request.state);
    const tokens = await exchangeCode(target, request, params?.get('code') ?? '');
    t.match(tokens, { resolved: true, statusCode: 200, response: { access_token: String } });
  },
);

void t.test('hostedTwoFactorFailuresCountTowardLockout: wrong codes on the page end in the lockout', async (t) => {
  const secretBase32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
  const user = await oauthUser(t, target.client, {
    applicationIds: [target.storeApplicationId],
    user: { twoFactor: { methods: [{ method: 'authenticator', secret: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=' }] } },
  });
  const request = await authorizeRequest(target, store);
  const session = browser();
  let page = await signIn(session, request, { loginId: user.email, password: user.password });
  t.equal(page.url.pathname, '/oauth2/two-factor');
  const tenant = await target.client.retrieveTenant(target.tenantId);
  const allowed = tenant.response.tenant?.failedAuthenticationConfiguration?.tooManyAttempts ?? 5;
  for (let attempt = 1; attempt < allowed; attempt += 1) {
    page = await session.submit(page, 'code', { code: wrongCode(secretBase32) });
    t.ok(page.hasField('code'), `wrong code ${attempt}: the page again`);
    t.notOk(page.text.includes(messages.tooManyTwoFactorAttempts), `wrong code ${attempt}: not yet locked`);
  }
  const last = await session.submit(page, 'code', { code: wrongCode(secretBase32) });
  t.notOk(reachedApp(last, store.redirectUri));
  if (hostedTwoFactorFailuresCountTowardLockout) {
    t.ok(last.text.includes(messages.tooManyTwoFactorAttempts), `wrong code ${allowed}: locked`);
    const again = await signIn(browser(), await authorizeRequest(target, store), {
      loginId: user.email,
      password: user.password,
    });
    t.ok(expectLoginFormAgain(t, again, request, 'the right password after').includes(messages.loginPrevented));
  } else {
    t.notOk(last.text.includes(messages.tooManyTwoFactorAttempts), 'never locked');
  }
});

void t.test('hostedStepStatus: a required password change, then the code; the new password holds', async (t) => {
  const user = await oauthUser(t, target.client, {
    applicationIds: [target.storeApplicationId],
    user: { passwordChangeRequired: true },
  });
  const request = await authorizeRequest(target, store);
  const session = browser();
  const page = await signIn(session, request, { loginId: user.email, password: user.password });
  t.equal(page.redirectedFrom[0]?.status, hostedStepStatus, 'the login POST leads to the page');
  t.equal(page.url.pathname, '/password/change');
  t.equal(page.status, 200);
  const form = page.form('passwordConfirm');
  t.equal(form.action.pathname, '/password/change');
  t.match(form.hidden.get('changePasswordId'), /\S/, 'a changePasswordId');
  t.equal(form.hidden.get('state'), request.state, 'the OAuth fields');
  t.equal(form.field('password')?.getAttribute('type'), 'password');
  t.equal(form.field('rememberDevice')?.getAttribute('type'), 'checkbox', '"Keep me signed in" here too');

  const newPassword = `${user.password}-changed`;
  const changed = await session.submit(page, 'passwordConfirm', {
    password: newPassword,
    passwordConfirm: newPassword,
  });
  const params = redirectParams(changed, store.redirectUri);
  t.equal(params?.get('state'), request.state, 'the login completes with the redirect');
  t.equal(params?.get('userState'), 'Authenticated');
  const tokens = await exchangeCode(target, request, params?.get('code') ?? '');
  t.match(tokens, { resolved: true, statusCode: 200 });

  const second = await authorizeRequest(target, store);
  const old = await signIn(browser(), second, { loginId: user.email, password: user.password });
  t.ok(expectLoginFormAgain(t, old, second, 'the old password').includes(messages.invalidLogin));
  const fresh = await signIn(browser(), second, { loginId: user.email, password: newPassword });
  t.ok(codeOf(fresh, second), 'the new password signs in, with no change asked again');
});

void t.test('a user action that prevents login: [LoginPreventedException] and no code', async (t) => {
  const request = await authorizeRequest(target, store);
  const page = await signIn(browser(), request, { loginId: demoUsers.locked, password: demoPassword });
  const text = expectLoginFormAgain(t, page, request, 'locked@');
  t.ok(text.includes(messages.loginPrevented));
  t.notOk(text.includes(messages.userLocked), 'not the deactivated message');
});

void t.test('hostedFailuresCountTowardLockout: five wrong passwords on the page lock the account', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const request = await authorizeRequest(target, store);
  const session = browser();
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const failed = await signIn(session, request, { loginId: user.email, password: 'not-the-password' });
    t.ok(expectLoginFormAgain(t, failed, request, `wrong password ${attempt}`).includes(messages.invalidLogin));
  }
  const after = await signIn(session, request, { loginId: user.email, password: user.password });
  if (hostedFailuresCountTowardLockout) {
    t.ok(expectLoginFormAgain(t, after, request, 'the right password').includes(messages.loginPrevented));
  } else {
    t.ok(codeOf(after, request), 'the right password still signs in');
  }
});

void t.test('a deactivated user: [UserLockedException], whatever the password', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  await target.client.deactivateUser(user.id);
  const request = await authorizeRequest(target, store);
  for (const password of [user.password, 'not-the-password']) {
    const page = await signIn(browser(), request, { loginId: user.email, password });
    t.ok(expectLoginFormAgain(t, page, request, 'deactivated').includes(messages.userLocked));
  }
});

void t.test('an expired user: [UserExpiredException]', async (t) => {
  const user = await oauthUser(t, target.client, {
    applicationIds: [target.storeApplicationId],
    user: { expiry: Date.now() + 1_000 },
  });
  await sleep(1_200);
  const request = await authorizeRequest(target, store);
  const page = await signIn(browser(), request, { loginId: user.email, password: user.password });
  t.ok(expectLoginFormAgain(t, page, request, 'expired').includes(messages.userExpired));
});
