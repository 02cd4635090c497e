import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FusionAuthClient } from '@fusionauth/typescript-client';
import { decodeJwt } from 'jose';
import type { Test } from 'tap';
import t from 'tap';
import {
  hostedFormsNeedCsrfToken,
  hostedStepStatus,
  invalidChangePasswordIdPage,
  passwordResetAuthenticationType,
  passwordResetCompletesAuthorization,
} from '../../src/oauth/assumptions.js';
import { OAuthBrowser, type Page } from '../support/oauth-browser.js';
import { oauthUser, temporaryOAuthApp, temporaryTenant, type OAuthUser } from '../support/oauth-fixtures.js';
import {
  authorizeRequest,
  codeOf,
  exchangeCode,
  forgotPasswordPage,
  reachedApp,
  redirectParams,
  signIn,
  signInForTokens,
  storeApp,
  type AuthorizeRequest,
  type OAuthApp,
} from '../support/oauth-flow.js';
import { contractTarget } from '../support/target.js';

const target = await contractTarget(t);
const store = storeApp(target);
const browser = () => new OAuthBrowser(target.url);

/** FusionAuth's words on these pages (its theme's messages). */
const messages = {
  blank: 'Required',
  invalidLogin: 'Invalid login credentials.',
  invalidChangePasswordId: 'Your password reset code has expired or is invalid. Please retry your request.',
  tooShort: 'Password does not meet the minimum length requirement',
  requireNumber: 'Password requires at least one number',
  doNotMatch: 'Values do not match',
  passwordChanged: 'Your password has been updated successfully.',
  sent: (loginId: string) => `We have sent a message to ${loginId} containing a link`,
};

/**
 * A reset link as the hosted forgot-password page makes it, without the email in between: the
 * Forgot Password API with the authorize request's parameters as `state`, which is what the page
 * sends, and FusionAuth's page for the id with those parameters.
 */
async function resetLink(
  client: FusionAuthClient,
  user: OAuthUser,
  request: AuthorizeRequest | undefined,
): Promise<{ changePasswordId: string; url: URL }> {
  const state = request && Object.fromEntries(request.params);
  const started = await client.forgotPassword({
    loginId: user.email,
    applicationId: request?.app.clientId,
    sendForgotPasswordEmail: false,
    ...(state && { state }),
  });
  const changePasswordId = started.response.changePasswordId ?? '';
  const url = new URL(`/password/change/${changePasswordId}`, target.url);
  for (const [name, value] of request?.params ?? []) url.searchParams.set(name, value);
  return { changePasswordId, url };
}

/** Asserts the page is the one an unusable `changePasswordId` leads to, with FusionAuth's message. */
function expectInvalidIdPage(t: Test, page: Page, app: OAuthApp, what: string): void {
  t.equal(page.status, 200, `${what}: a page`);
  t.ok(page.text.includes(messages.invalidChangePasswordId), `${what}: [InvalidChangePasswordId]`);
  t.notOk(page.hasField('password'), `${what}: no password form`);
  t.notOk(reachedApp(page, app.redirectUri), `${what}: nothing goes to the app`);
  const form = page.form('loginId');
  t.equal(
    form.action.pathname,
    invalidChangePasswordIdPage === 'forgot-password' ? '/password/forgot' : '/oauth2/authorize',
    `${what}: invalidChangePasswordIdPage`,
  );
  t.equal(form.hidden.get('client_id'), app.clientId, `${what}: the OAuth fields carried`);
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('the login form links to /password/forgot, carrying the OAuth parameters', async (t) => {
  const request = await authorizeRequest(target, store);
  const login = await browser().visit(request.url);
  const link = login.link('Forgot your password?');
  t.equal(link?.origin, new URL(target.url).origin, "FusionAuth's own page");
  t.equal(link?.pathname, '/password/forgot');
  for (const [name, value] of request.params) t.equal(link?.searchParams.get(name), value, `${name} is carried`);
});

void t.test('the forgot-password page asks for the login id, the OAuth fields hidden in its form', async (t) => {
  const request = await authorizeRequest(target, store);
  const page = await forgotPasswordPage(browser(), request);
  t.equal(page.status, 200);
  t.match(page.contentType, /^text\/html/);
  const form = page.form('loginId');
  t.equal(form.method, 'POST');
  t.equal(form.action.pathname, '/password/forgot');
  for (const [name, value] of request.params) t.equal(form.hidden.get(name), value, `${name} is carried`);
  const back = page.link('Return to login');
  t.equal(back?.pathname, '/oauth2/authorize', '"Return to login"');
  t.equal(back?.searchParams.get('state'), request.state, 'to the same authorize request');
});

void t.test('a known and an unknown login id get the same "Message sent" page', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const nobody = `nobody-${randomUUID()}@example.com`;
  const request = await authorizeRequest(target, store);
  const session = browser();
  const known = await session.submit(await forgotPasswordPage(session, request), 'loginId', { loginId: user.email });
  const unknown = await session.submit(await forgotPasswordPage(session, request), 'loginId', { loginId: nobody });
  for (const [page, loginId] of [
    [known, user.email],
    [unknown, nobody],
  ] as const) {
    t.equal(page.redirectedFrom[0]?.status, hostedStepStatus, `${loginId}: the POST leads to the page`);
    t.equal(page.url.pathname, '/password/sent');
    t.equal(page.status, 200);
    t.ok(page.text.includes(messages.sent(loginId)), `${loginId}: FusionAuth's words`);
    t.equal(page.link('Return to login')?.searchParams.get('state'), request.state, '"Return to login"');
  }
  t.equal(known.text.replace(user.email, '…'), unknown.text.replace(nobody, '…'), 'nothing tells them apart');
});

void t.test('a blank login id gives the forgot-password form again with [blank]', async (t) => {
  const request = await authorizeRequest(target, store);
  const session = browser();
  const page = await session.submit(await forgotPasswordPage(session, request), 'loginId', { loginId: '' });
  t.equal(page.status, 200);
  t.equal(page.form('loginId').action.pathname, '/password/forgot', 'the form again');
  t.ok(page.text.includes(messages.blank));
  t.equal(page.form('loginId').hidden.get('state'), request.state, 'the OAuth fields survive the error');
});

void t.test('hostedFormsNeedCsrfToken: a reset asked for without loading the form first', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const request = await authorizeRequest(target, store);
  const body = new URLSearchParams(request.params);
  body.set('loginId', user.email);
  const page = await browser().request('POST', '/password/forgot', body);
  if (hostedFormsNeedCsrfToken) {
    t.not(page.location?.pathname, '/password/sent', 'refused without the token the form carries');
  } else {
    t.equal(page.status, hostedStepStatus);
    t.equal(page.location?.pathname, '/password/sent', 'the sent page, with no cookie and no token');
  }
});

void t.test(
  "passwordResetCompletesAuthorization: the reset link's page, the tenant's rules at the field, then a code",
  async (t) => {
    const tenant = await temporaryTenant(t, target, {
      passwordValidationRules: { minLength: 12, requireNumber: true },
    });
    const app = await temporaryOAuthApp(t, target, { client: tenant.client });
    const user = await oauthUser(t, tenant.client, { applicationIds: [app.clientId] });
    const request = await authorizeRequest(target, app);
    const { changePasswordId, url } = await resetLink(tenant.client, user, request);
    const session = browser();

    const page = await session.visit(url);
    t.equal(page.status, 200);
    const form = page.form('passwordConfirm');
    t.equal(form.action.pathname, '/password/change');
    t.equal(form.hidden.get('changePasswordId'), changePasswordId);
    t.equal(form.hidden.get('state'), request.state, 'the OAuth fields');
    t.equal(form.field('password')?.getAttribute('type'), 'password');
    t.equal(form.field('rememberDevice')?.getAttribute('type'), 'checkbox', '"Keep me signed in": a login follows');

    const short = await session.submit(page, 'password', { password: 'Short1', passwordConfirm: 'Short1' });
    t.equal(short.status, 200);
    t.ok(short.hasField('passwordConfirm'), 'too short: the form again');
    t.ok(short.text.includes(messages.tooShort), 'with [tooShort]password');
    const noNumber = await session.submit(short, 'password', {
      password: 'long-enough-but-no-digit',
      passwordConfirm: 'long-enough-but-no-digit',
    });
    t.ok(noNumber.text.includes(messages.requireNumber), 'no number: [requireNumber]password');
    const newPassword = `a-new-password-${Date.now()}`;
    const mismatch = await session.submit(noNumber, 'password', {
      password: newPassword,
      passwordConfirm: `${newPassword}x`,
    });
    t.ok(mismatch.text.includes(messages.doNotMatch), 'not the same twice: [doNotMatch]');
    t.notOk(reachedApp(mismatch, app.redirectUri), 'no code while the form is refused');

    const changed = await session.submit(mismatch, 'password', { password: newPassword, passwordConfirm: newPassword });
    if (!passwordResetCompletesAuthorization) {
      t.equal(changed.url.pathname, '/password/complete');
      return;
    }
    const params = redirectParams(changed, app.redirectUri);
    t.ok(params, `the change completes the authorize request, not ${changed.url.href}`);
    t.equal(params?.get('state'), request.state, 'with its state');
    t.equal(params?.get('userState'), 'Authenticated');
    const tokens = await exchangeCode(target, request, params?.get('code') ?? '');
    t.match(tokens, { resolved: true, statusCode: 200, response: { access_token: String } }, 'its PKCE verifier');
    t.equal(
      decodeJwt(tokens.response?.access_token ?? '')['authenticationType'],
      passwordResetAuthenticationType,
      'passwordResetAuthenticationType',
    );

    const again = await session.visit(url);
    expectInvalidIdPage(t, again, app, 'the link once more');

    const old = await signIn(browser(), await authorizeRequest(target, app), {
      loginId: user.email,
      password: user.password,
    });
    t.ok(old.text.includes(messages.invalidLogin), 'the old password is gone');
    const fresh = await signInForTokens(target, browser(), await authorizeRequest(target, app), {
      loginId: user.email,
      password: newPassword,
    });
    t.ok(fresh.access_token, 'the new password signs in');
  },
);

void t.test('a reset outside any OAuth request ends on the password-complete page', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const { url } = await resetLink(target.client, user, undefined);
  const session = browser();
  const page = await session.visit(url);
  t.equal(page.status, 200);
  t.notOk(page.hasField('rememberDevice'), 'no "Keep me signed in": no login follows');
  const newPassword = `a-new-password-${Date.now()}`;
  const done = await session.submit(page, 'password', { password: newPassword, passwordConfirm: newPassword });
  t.equal(done.redirectedFrom[0]?.status, hostedStepStatus);
  t.equal(done.url.pathname, '/password/complete');
  t.equal(done.status, 200);
  t.ok(done.text.includes(messages.passwordChanged), "FusionAuth's words");
  const login = await target.client.login({
    loginId: user.email,
    password: newPassword,
    applicationId: target.storeApplicationId,
  });
  t.equal(login.statusCode, 200, 'the new password signs in');
});

void t.test('invalidChangePasswordIdPage: an id nobody issued, and one past its lifetime', async (t) => {
  const request = await authorizeRequest(target, store);
  const unknown = new URL(`/password/change/${randomUUID()}`, target.url);
  for (const [name, value] of request.params) unknown.searchParams.set(name, value);
  expectInvalidIdPage(t, await browser().visit(unknown), store, 'an unknown id');

  const tenant = await temporaryTenant(t, target, {
    externalIdentifierConfiguration: { changePasswordIdTimeToLiveInSeconds: 1 },
  });
  const app = await temporaryOAuthApp(t, target, { client: tenant.client });
  const user = await oauthUser(t, tenant.client, { applicationIds: [app.clientId] });
  const { url } = await resetLink(tenant.client, user, await authorizeRequest(target, app));
  await sleep(2_000);
  const expired = await browser().visit(url);
  expectInvalidIdPage(t, expired, app, 'an expired id');
  t.notOk(codeOf(expired, request), 'no code');
});
