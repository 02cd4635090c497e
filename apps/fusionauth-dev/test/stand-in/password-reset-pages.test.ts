import { randomUUID } from 'node:crypto';
import type { User } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import t from 'tap';
import { verifyPassword } from '../../src/crypto/passwords.js';
import type { SentEmail } from '../../src/email/mailbox.js';
import { emailBaseUrl } from '../../src/email/send-email.js';
import { developmentBaseUrl, forgotPasswordStateSkipsEmpty } from '../../src/oauth/assumptions.js';
import type { ApplicationRecord, TenantRecord } from '../../src/state/records.js';
import { OAuthBrowser, type Page } from '../support/oauth-browser.js';
import { oauthUser, temporaryOAuthApp, temporaryTenant, type OAuthUser } from '../support/oauth-fixtures.js';
import {
  authorizeRequest,
  checkHostedPageHeaders,
  exchangeCode,
  forgotPasswordPage,
  redirectParams,
  signIn,
  signInForTokens,
  storeApp,
  type AuthorizeRequest,
} from '../support/oauth-flow.js';
import { standInTarget } from '../support/target.js';

// As the stack does: the issuer is where browsers reach the stand-in, and so is the email's link.
const { app, target } = await standInTarget(t, { issuerAtUrl: true });
const { url, tenantId, client } = target;
const { store } = app.standIn;
const storeClient = storeApp(target);

const invalidChangePasswordId = 'Your password reset code has expired or is invalid. Please retry your request.';

async function mailbox(): Promise<SentEmail[]> {
  const answer = await fetch(new URL('/dev/mailbox.json', url));
  return ((await answer.json()) as { emails: SentEmail[] }).emails;
}

const emailsTo = async (address: string) => (await mailbox()).filter((email) => email.to === address);

/** "Forgot your password?" on the login form, and the login id submitted there. */
async function askForReset(session: OAuthBrowser, request: AuthorizeRequest, loginId: string): Promise<Page> {
  return session.submit(await forgotPasswordPage(session, request), 'loginId', { loginId });
}

/** The link of the newest reset email to `address` that goes to FusionAuth's change page. */
async function hostedResetLink(address: string): Promise<URL | undefined> {
  const [newest] = await emailsTo(address);
  const link = newest?.links.find((candidate) => new URL(candidate).pathname.startsWith('/password/change/'));
  return link === undefined ? undefined : new URL(link);
}

/**
 * The accessibility the hosted pages share: one h1, a label for every field a person fills in, a
 * title saying "Error:" when something is wrong, and each error tied to its field (`aria-invalid`,
 * `aria-describedby` naming elements that are there) or announced (`role="alert"`).
 */
function checkAccessible(t: Test, page: Page, label: string, { failed }: { failed: boolean }): void {
  const { document } = page;
  t.equal(document.querySelectorAll('h1').length, 1, `${label}: one h1`);
  t.equal(document.querySelector('html')?.getAttribute('lang'), 'en', `${label}: a language`);
  const title = document.querySelector('title')?.text ?? '';
  t.equal(title.startsWith('Error: '), failed, `${label}: the title says whether something went wrong`);
  for (const input of document.querySelectorAll('input')) {
    if (input.getAttribute('type') === 'hidden') continue;
    const id = input.getAttribute('id') ?? '';
    t.ok(id && document.querySelector(`label[for="${id}"]`), `${label}: ${id || 'a field'} has a label`);
    for (const described of (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)) {
      t.ok(document.getElementById(described), `${label}: ${id} is described by #${described}, which is there`);
    }
  }
  const invalid = document.querySelectorAll('[aria-invalid="true"]');
  const alerts = document.querySelectorAll('[role="alert"]');
  t.equal(invalid.length + alerts.length > 0, failed, `${label}: an error is tied to its field or announced`);
}

/** A user of the Store's, for one test. */
const storeUser = (t: Test, user: Partial<User> = {}): Promise<OAuthUser> =>
  oauthUser(t, client, { applicationIds: [target.storeApplicationId], user });

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test(
  'Forgot your password? on the login page: the email links to the change page with the OAuth request, which the new password completes',
  async (t) => {
    const user = await storeUser(t);
    const request = await authorizeRequest(target, storeClient);
    const session = new OAuthBrowser(url);
    const sent = await askForReset(session, request, user.email);
    t.equal(sent.url.pathname, '/password/sent');
    checkHostedPageHeaders(t, sent, 'the sent page');
    checkAccessible(t, sent, 'the sent page', { failed: false });

    const emails = await emailsTo(user.email);
    t.equal(emails.length, 1, 'one email');
    t.match(emails[0], { subject: 'Reset your password', template: { name: 'Forgot password' } });
    const link = await hostedResetLink(user.email);
    t.equal(link?.origin, new URL(url).origin, "FusionAuth's own page, at the tenant's issuer");
    t.match(link?.pathname, /^\/password\/change\/[\w-]{16,}$/, 'the changePasswordId in the path');
    t.equal(
      link?.searchParams.get('tenantId'),
      tenantId,
      "the user's tenant, as FusionAuth's default template puts it",
    );
    for (const [name, value] of request.params) t.equal(link?.searchParams.get(name), value, `${name} is carried`);
    t.equal(
      [...(link?.searchParams.values() ?? [])].includes(''),
      !forgotPasswordStateSkipsEmpty,
      'forgotPasswordStateSkipsEmpty',
    );
    t.ok(emails[0]?.text.includes(link?.href ?? '-'), 'the text part has the same link');
    t.notOk(
      emails[0]?.links.some((candidate) => candidate.includes('/reset-password')),
      "no link to the app's own reset page",
    );

    const page = await session.visit(link ?? '');
    t.equal(page.status, 200);
    t.equal(page.document.querySelector('h1')?.text, 'Change password');
    t.notMatch(page.text, 'must be changed before you can sign in', 'a reset, not a required change');
    checkHostedPageHeaders(t, page, 'the change page');
    checkAccessible(t, page, 'the change page', { failed: false });

    const short = await session.submit(page, 'password', { password: 'short', passwordConfirm: 'short' });
    checkAccessible(t, short, 'a refused password', { failed: true });
    const password = short.document.getElementById('password');
    t.equal(password?.getAttribute('aria-invalid'), 'true', 'the password field is marked');
    t.equal(
      short.document.getElementById('password-error')?.text,
      'Password does not meet the minimum length requirement',
      'the refusal in words, at the field',
    );
    t.match(
      short.document.getElementById('password-rules')?.text,
      'Must be between 8 and 256 characters in length',
      "the tenant's rules beside it",
    );
    t.match(password?.getAttribute('aria-describedby'), 'password-error password-rules');

    const newPassword = `a-new-password-${randomUUID()}`;
    const done = await session.submit(short, 'password', {
      password: newPassword,
      passwordConfirm: newPassword,
      rememberDevice: true,
    });
    checkHostedPageHeaders(t, done, 'the redirect with a code');
    const params = redirectParams(done, storeClient.redirectUri);
    t.equal(params?.get('state'), request.state, 'the authorize request the reset was asked from completes');
    const tokens = await exchangeCode(target, request, params?.get('code') ?? '');
    t.match(tokens, { resolved: true, statusCode: 200, response: { access_token: String, id_token: String } });
    t.ok(await session.cookie('fusionauth.sso'), '"Keep me signed in" on the change page starts the SSO session');

    const again = await session.visit(link ?? '');
    t.ok(again.text.includes(invalidChangePasswordId), 'the link works once');
    t.notOk(again.hasField('password'));
    const retried = await session.submit(again, 'loginId', { loginId: user.email });
    t.equal(retried.url.pathname, '/password/sent', 'another email can be asked for from there');
    t.equal((await emailsTo(user.email)).length, 2);
    t.not((await hostedResetLink(user.email))?.pathname, link?.pathname, 'with a new id');

    const old = await signIn(new OAuthBrowser(url), await authorizeRequest(target, storeClient), {
      loginId: user.email,
      password: user.password,
    });
    t.match(old.text, 'Invalid login credentials.', 'the old password is gone');
    const fresh = await signInForTokens(target, new OAuthBrowser(url), await authorizeRequest(target, storeClient), {
      loginId: user.email,
      password: newPassword,
    });
    t.ok(fresh.access_token, 'the new one completes the OAuth flow');
  },
);

void t.test('an unknown login id: the same sent page, and no email', async (t) => {
  const nobody = `nobody-${randomUUID()}@example.com`;
  const before = (await mailbox()).length;
  const page = await askForReset(new OAuthBrowser(url), await authorizeRequest(target, storeClient), nobody);
  t.equal(page.url.pathname, '/password/sent');
  t.match(page.text, `We have sent a message to ${nobody}`);
  t.equal((await mailbox()).length, before, 'nothing was sent');
});

void t.test('the forgot-password page: a blank login id is marked at the field and announced', async (t) => {
  const page = await askForReset(new OAuthBrowser(url), await authorizeRequest(target, storeClient), '  ');
  t.equal(page.url.pathname, '/password/forgot');
  checkHostedPageHeaders(t, page, 'the forgot-password page');
  checkAccessible(t, page, 'a blank login id', { failed: true });
  t.equal(page.document.getElementById('loginId-error')?.text, 'Required');
  t.equal(page.document.getElementById('loginId')?.getAttribute('aria-describedby'), 'loginId-error');
});

void t.test("what the page's visitor sends comes back escaped on the sent page", async (t) => {
  const hostile = '"><script>alert(1)</script>';
  const page = await new OAuthBrowser(url).visit(`/password/sent?loginId=${encodeURIComponent(hostile)}`);
  t.notMatch(page.body, '<script>alert(1)');
  t.match(page.text, hostile, 'shown as text');
});

void t.test("the Forgot Password API: the app's reset page unless the state carries an OAuth request", async (t) => {
  const user = await storeUser(t);
  await client.forgotPassword({ loginId: user.email, applicationId: target.forumApplicationId });
  t.match((await emailsTo(user.email))[0]?.links, [/\/reset-password#id=/], 'no state: the app asked, its own page');
  await client.forgotPassword({ loginId: user.email, state: { returnTo: '/cart' } });
  t.match((await emailsTo(user.email))[0]?.links, [/\/reset-password#id=/], 'a state without client_id: the same');
  const request = await authorizeRequest(target, storeClient);
  await client.forgotPassword({ loginId: user.email, state: Object.fromEntries(request.params) });
  const link = await hostedResetLink(user.email);
  t.equal(
    link?.searchParams.get('client_id'),
    storeClient.clientId,
    "an OAuth request's parameters: FusionAuth's page",
  );
  t.equal(link?.searchParams.get('state'), request.state);
});

void t.test("baseUrl: the application's baseURL, the tenant's, then the issuer if it is a URL", async (t) => {
  const tenant = { id: 't', name: 'tenant', issuer: 'https://auth.example.com' } as TenantRecord;
  const application = { id: 'a', name: 'app', tenantId: 't' } as ApplicationRecord;
  t.equal(emailBaseUrl(tenant, undefined), 'https://auth.example.com');
  t.equal(
    emailBaseUrl({ ...tenant, issuer: 'acme.com' }, undefined),
    developmentBaseUrl,
    "FusionAuth's default issuer",
  );
  t.equal(emailBaseUrl({ ...tenant, baseURL: 'https://login.example.com' }, application), 'https://login.example.com');
  t.equal(
    emailBaseUrl({ ...tenant, baseURL: 'https://login.example.com' }, { ...application, baseURL: 'https://a.example' }),
    'https://a.example',
  );
});

void t.test(
  'the reset link of a user with a second factor changes nothing: the challenge is not offered',
  async (t) => {
    const user = await storeUser(t, {
      twoFactor: { methods: [{ method: 'authenticator', secret: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=' }] },
    });
    const session = new OAuthBrowser(url);
    await askForReset(session, await authorizeRequest(target, storeClient), user.email);
    const link = await hostedResetLink(user.email);
    const page = await session.visit(link ?? '');
    t.notOk(page.hasField('password'), 'no change form');
    t.match(page.text, 'you must first complete an authentication challenge prior to changing your password');
    checkAccessible(t, page, 'the two-factor notice', { failed: true });
    const forged = await session.request(
      'POST',
      '/password/change',
      new URLSearchParams({
        changePasswordId: link?.pathname.split('/').pop() ?? '',
        password: 'x'.repeat(20),
        passwordConfirm: 'x'.repeat(20),
      }),
    );
    t.notOk(forged.location, 'posting the form anyway: no redirect');
    const record = store.users.get(user.id);
    t.ok(record && (await verifyPassword(user.password, record.password)), 'the password stays');
  },
);

void t.test('a tenant without a Forgot Password template: [ForgotPasswordDisabled] on the page', async (t) => {
  const tenant = await temporaryTenant(t, target);
  const tenantApp = await temporaryOAuthApp(t, target, { client: tenant.client });
  const user = await oauthUser(t, tenant.client, { applicationIds: [tenantApp.clientId] });
  const page = await askForReset(new OAuthBrowser(url), await authorizeRequest(target, tenantApp), user.email);
  t.equal(page.url.pathname, '/password/forgot', 'the form again');
  t.equal(
    page.document.getElementById('form-error')?.text,
    'Forgot password handling is not enabled. Please contact your system administrator for assistance.',
  );
  checkAccessible(t, page, 'forgot password not enabled', { failed: true });
  t.same(await emailsTo(user.email), []);
});

void t.test(
  'an account deactivated after the email: the login form with the lock message, and no change',
  async (t) => {
    const user = await storeUser(t);
    const session = new OAuthBrowser(url);
    await askForReset(session, await authorizeRequest(target, storeClient), user.email);
    const page = await session.visit((await hostedResetLink(user.email)) ?? '');
    await client.deactivateUser(user.id);
    const newPassword = `a-new-password-${randomUUID()}`;
    const refused = await session.submit(page, 'password', { password: newPassword, passwordConfirm: newPassword });
    t.ok(refused.hasField('loginId') && refused.hasField('password'), 'the login form');
    t.match(refused.text, 'Your account has been locked.');
    t.notOk(redirectParams(refused, storeClient.redirectUri), 'no code');
    const record = store.users.get(user.id);
    t.ok(record && (await verifyPassword(user.password, record.password)), 'the password stays');
  },
);

void t.test('the pages without an OAuth request: the change form, then the complete page', async (t) => {
  const user = await storeUser(t);
  const started = await client.forgotPassword({ loginId: user.email, sendForgotPasswordEmail: false });
  const session = new OAuthBrowser(url);
  const page = await session.visit(`/password/change/${started.response.changePasswordId ?? ''}`);
  checkAccessible(t, page, 'the change page outside OAuth', { failed: false });
  const newPassword = `a-new-password-${randomUUID()}`;
  const done = await session.submit(page, 'password', { password: newPassword, passwordConfirm: newPassword });
  t.equal(done.url.pathname, '/password/complete');
  checkHostedPageHeaders(t, done, 'the complete page');
  checkAccessible(t, done, 'the complete page', { failed: false });
  t.equal(done.document.querySelector('h1')?.text, 'Password updated');

  const reused = await session.visit(`/password/change/${started.response.changePasswordId ?? ''}`);
  t.match(reused.text, invalidChangePasswordId, 'spent: the message, on its own');
  checkAccessible(t, reused, 'a spent id outside OAuth', { failed: true });
});
