import { collectCspViolations, launchChromium, screenshot } from '@native-login/test-support';
import { Secret, TOTP } from 'otpauth';
import type { Page, Response } from 'playwright-core';
import t from 'tap';
import { emailedLink, endSessionsOnServer, oauthE2eStack, oauthHosts } from './support.js';

// The second workflow in a real browser: each app signs in on FusionAuth's hosted page, and
// FusionAuth's SSO session signs the user in to the other app without a form.
const stack = await oauthE2eStack(t);
const context = await launchChromium(t, { loopbackHosts: Object.values(oauthHosts) });
const cspViolations = collectCspViolations(context);
const totp = new TOTP({
  secret: Secret.fromBase32('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'),
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
});
const admin = { authorization: stack.summary.apiKey ?? '', 'content-type': 'application/json' };

/** FusionAuth's login form, as a person fills it; "Keep me signed in" only when asked. */
async function signInOnFusionAuth(page: Page, email: string, keepSignedIn: boolean, password = 'password123') {
  await page.getByRole('heading', { name: 'Login' }).waitFor();
  t.equal(new URL(page.url()).host, new URL(stack.fusionAuthPublicUrl).host, "on FusionAuth's own host");
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  if (keepSignedIn) await page.getByLabel('Keep me signed in').check();
  await page.getByRole('button', { name: 'Submit' }).click();
}

/** FusionAuth's change-password page (a required change, or a reset's link), filled in and sent. */
async function changePasswordOnFusionAuth(page: Page, password: string) {
  await page.getByRole('heading', { name: 'Change password' }).waitFor();
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm the new password').fill(password);
  await page.getByRole('button', { name: 'Change password' }).click();
}

/** Every page FusionAuth rendered its login form on, so that a test can tell a silent sign-in from one with a form. */
function formsShown(page: Page): string[] {
  const shown: string[] = [];
  page.on('response', (response: Response) => {
    const url = new URL(response.url());
    if (url.host === new URL(stack.fusionAuthPublicUrl).host && url.pathname === '/oauth2/authorize') {
      if (response.status() === 200) shown.push(url.pathname);
    }
  });
  return shown;
}

const fresh = async () => {
  await context.clearCookies();
};

/** A new page on one of the apps, its "Continue with FusionAuth" followed. */
async function continueWithFusionAuth(appUrl: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(appUrl);
  await page.getByRole('link', { name: 'Continue with FusionAuth' }).click();
  return page;
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('Store: a deep link, FusionAuth’s page with "Keep me signed in", back where the user was', async (t) => {
  await fresh();
  const page = await context.newPage();
  await page.goto(`${stack.storeUrl}/cart`);
  await page.getByRole('heading', { name: 'Sign in to the Store' }).waitFor();
  await page.getByRole('link', { name: 'Continue with FusionAuth' }).click();
  await signInOnFusionAuth(page, 'shopper@example.com', true);
  await page.getByRole('heading', { name: 'Your cart' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/cart', 'back on the page the sign-in started from');
  t.ok(await page.getByText('Sam Shopper').count(), 'signed in as the shopper');

  const storeCookies = await context.cookies(stack.storeUrl);
  const session = storeCookies.find((cookie) => cookie.name === 'store_session');
  t.ok(session, "the Store's session cookie");
  t.equal(session?.domain, oauthHosts.store, 'host-only, on the Store');
  t.ok(session?.httpOnly, 'HttpOnly');
  t.notOk(
    storeCookies.some((cookie) => cookie.name === 'store_oauth'),
    'the pre-login cookie is gone',
  );
  const sso = (await context.cookies(stack.fusionAuthPublicUrl)).find((cookie) => cookie.name === 'fusionauth.sso');
  t.equal(sso?.domain, oauthHosts.auth, "the SSO cookie lives on FusionAuth's host alone");
  t.notOk(
    (await context.cookies(stack.forumUrl)).some((cookie) => cookie.name === 'fusionauth.sso'),
    'the Forum never sees it',
  );
  await screenshot(page, 'oauth-1-store-cart');
  await page.close();
});

void t.test('Forum in the same browser: one click, no form, signed in through single sign-on', async (t) => {
  const page = await context.newPage();
  const forms = formsShown(page);
  await page.goto(stack.forumUrl);
  await page.getByRole('heading', { name: 'Sign in to the Forum' }).waitFor();
  await page.getByRole('link', { name: 'Continue with FusionAuth' }).click();
  await page.getByRole('heading', { name: 'Posts' }).waitFor();
  t.same(forms, [], 'FusionAuth showed no form');
  t.ok(await page.getByText('Sam Shopper').count(), 'the same user');

  await page.goto(`${stack.forumUrl}/sessions`);
  await page.getByText('through single sign-on').waitFor();
  t.pass('"Your sessions" says how the session signed in');
  await screenshot(page, 'oauth-2-forum-single-sign-on');
  await page.close();
});

void t.test('a draft survives a sign-in through FusionAuth after the session ended mid-work', async (t) => {
  const page = await context.newPage();
  await page.goto(`${stack.forumUrl}/posts/new`);
  await page.getByLabel('Title').fill('Written across FusionAuth');
  await page.getByLabel('Text').fill('This draft went to FusionAuth and back.');
  await endSessionsOnServer(stack, 'forum');
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText('Your session has ended. Sign in again to carry on.').waitFor();
  await page.getByRole('link', { name: 'Continue with FusionAuth' }).click();
  await page.getByLabel('Title').waitFor();
  t.equal(await page.getByLabel('Title').inputValue(), 'Written across FusionAuth', 'the title came back');
  t.equal(await page.getByLabel('Text').inputValue(), 'This draft went to FusionAuth and back.', 'and the text');
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByRole('heading', { name: 'Written across FusionAuth' }).waitFor();
  t.pass('published once signed in again');
  await screenshot(page, 'oauth-3-forum-draft-kept');
  await page.close();
});

void t.test('signing out of the Store signs out of the Forum too, and ends the SSO session', async (t) => {
  const forum = await context.newPage();
  await forum.goto(stack.forumUrl);
  await forum.getByRole('heading', { name: 'Posts' }).waitFor();

  const store = await context.newPage();
  await store.goto(stack.storeUrl);
  await store.getByRole('heading', { name: 'Products' }).waitFor();
  await store.getByRole('button', { name: 'Sign out' }).click();
  await store.getByRole('heading', { name: 'Logging out…' }).waitFor();
  t.pass("FusionAuth's logout page, calling each application's logout URL");
  await store.waitForURL(`${stack.storeUrl}/`);
  await store.getByRole('heading', { name: 'Sign in to the Store' }).waitFor();
  t.pass('back at the Store, signed out');

  await forum.reload();
  await forum.getByRole('heading', { name: 'Sign in to the Forum' }).waitFor();
  t.pass('the Forum session ended in the hidden frame');
  t.notOk(
    (await context.cookies(stack.fusionAuthPublicUrl)).some((cookie) => cookie.name === 'fusionauth.sso'),
    'no SSO cookie left',
  );
  const forms = formsShown(forum);
  await forum.getByRole('link', { name: 'Continue with FusionAuth' }).click();
  await forum.getByRole('heading', { name: 'Login' }).waitFor();
  t.equal(forms.length, 1, 'the next sign-in asks for the password');
  await screenshot(forum, 'oauth-4-forum-after-logout');
  await Promise.all([store.close(), forum.close()]);
});

void t.test('without "Keep me signed in" the Forum shows the form', async (t) => {
  await fresh();
  const page = await continueWithFusionAuth(stack.storeUrl);
  await signInOnFusionAuth(page, 'shopper@example.com', false);
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  t.notOk(
    (await context.cookies(stack.fusionAuthPublicUrl)).some((cookie) => cookie.name === 'fusionauth.sso'),
    'no SSO session',
  );
  await page.goto(stack.forumUrl);
  await page.getByRole('link', { name: 'Continue with FusionAuth' }).click();
  await page.getByRole('heading', { name: 'Login' }).waitFor();
  t.pass("FusionAuth's form, not a silent sign-in");
  await page.close();
});

void t.test("storeonly at the Forum: FusionAuth's not-registered page, and no Forum session", async (t) => {
  await fresh();
  const page = await continueWithFusionAuth(stack.forumUrl);
  await signInOnFusionAuth(page, 'storeonly@example.com', false);
  await page.getByText('Registration is required to access this application').waitFor();
  t.notOk(
    (await context.cookies(stack.forumUrl)).some((cookie) => cookie.name === 'forum_session'),
    'no session cookie',
  );
  await screenshot(page, 'oauth-5-forum-not-registered');
  await page.close();
});

void t.test("mfa on FusionAuth's two-factor page: a wrong code, then the right one", async (t) => {
  await fresh();
  const page = await continueWithFusionAuth(stack.storeUrl);
  await signInOnFusionAuth(page, 'mfa@example.com', false);
  const code = page.getByLabel('Enter the code from your authenticator app');
  await code.waitFor();
  t.equal(await code.getAttribute('autocomplete'), 'one-time-code');
  await code.fill(totp.generate({ timestamp: Date.now() - 10 * 60_000 }));
  await code.press('Enter');
  await page.getByText('Invalid code').waitFor();
  t.pass('a wrong code says so');
  await page.getByLabel('Enter the code from your authenticator app').fill(totp.generate());
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  t.ok(await page.getByText('Max Factor').count(), 'signed in with the right code');
  await page.close();
});

void t.test('locked: FusionAuth says so, and the user stays on its page', async (t) => {
  await fresh();
  const page = await continueWithFusionAuth(stack.storeUrl);
  await signInOnFusionAuth(page, 'locked@example.com', false);
  await page.getByText('Your account has been locked.').waitFor();
  t.equal(new URL(page.url()).host, new URL(stack.fusionAuthPublicUrl).host, 'still on FusionAuth');
  t.notOk(
    (await context.cookies(stack.storeUrl)).some((cookie) => cookie.name === 'store_session'),
    'no session cookie',
  );
  await page.close();
});

void t.test('changeme: the password change happens on FusionAuth’s page and the sign-in completes', async (t) => {
  await fresh();
  const page = await continueWithFusionAuth(stack.storeUrl);
  await signInOnFusionAuth(page, 'changeme@example.com', false);
  await changePasswordOnFusionAuth(page, 'a-brand-new-password');
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  t.ok(await page.getByText('Chris Change').count(), 'signed in with the new password');
  await page.close();
});

void t.test(
  "a forgotten password on FusionAuth's page: the email's link, a new password, and back in the Store",
  async (t) => {
    await fresh();
    const email = `forgetful-${Date.now()}@example.com`;
    const created = await fetch(`${stack.fusionAuthUrl ?? ''}/api/user/registration`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({
        user: { email, password: 'password123', firstName: 'Frida' },
        registration: { applicationId: stack.summary.applications.find((app) => app.name === 'Store')?.id },
        skipVerification: true,
      }),
    });
    t.equal(created.status, 200, 'a user of the Store');
    const page = await continueWithFusionAuth(stack.storeUrl);
    await page.getByRole('heading', { name: 'Login' }).waitFor();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot password' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByRole('heading', { name: 'Message sent' }).waitFor();

    const link = await emailedLink(stack, email, /^\/password\/change\//);
    t.equal(new URL(link).host, new URL(stack.fusionAuthPublicUrl).host, "the link opens FusionAuth's own page");
    await page.goto(link);
    await changePasswordOnFusionAuth(page, 'a-brand-new-password');
    await page.getByRole('heading', { name: 'Products' }).waitFor();
    t.ok(await page.getByText('Frida').count(), 'signed in to the Store, the OAuth request finished');
    await page.close();
  },
);

void t.test('the SSO session expires while the app session lives: the Store stays, the Forum asks', async (t) => {
  await fresh();
  const tenant = await fetch(`${stack.fusionAuthUrl ?? ''}/api/tenant/${stack.summary.tenantId ?? ''}`, {
    method: 'PATCH',
    headers: admin,
    body: JSON.stringify({ tenant: { httpSessionMaxInactiveInterval: 2 } }),
  });
  t.equal(tenant.status, 200, 'the tenant keeps SSO sessions for 2 s of inactivity');
  t.teardown(async () => {
    await fetch(`${stack.fusionAuthUrl ?? ''}/api/tenant/${stack.summary.tenantId ?? ''}`, {
      method: 'PATCH',
      headers: admin,
      body: JSON.stringify({ tenant: { httpSessionMaxInactiveInterval: 3600 } }),
    });
  });

  const page = await continueWithFusionAuth(stack.storeUrl);
  await signInOnFusionAuth(page, 'shopper@example.com', true);
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  await page.waitForTimeout(3_000);
  await page.reload();
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  t.pass('the Store session outlives the SSO session');

  await page.goto(stack.forumUrl);
  await page.getByRole('link', { name: 'Continue with FusionAuth' }).click();
  await page.getByText('You have been logged out.').waitFor();
  await page.getByRole('heading', { name: 'Login' }).waitFor();
  t.pass('the Forum sign-in asks for the password again');
  await page.close();
});

void t.test('under the Content-Security-Policy, only the logout frames are refused rendering', async (t) => {
  // The apps' `frame-ancestors 'none'` stays: FusionAuth's logout page may call each logout URL in a
  // hidden frame (and the sessions end, as the sign-out test shows), but never show an app in one.
  const framed = cspViolations.filter((violation) => violation.includes("frame-ancestors 'none'"));
  t.same(
    [...new Set(framed.map((violation) => /Framing '([^']+)'/.exec(violation)?.[1]))].sort(),
    [`${stack.storeUrl}/`, `${stack.forumUrl}/`].sort(),
    'the two front-channel logout frames, each refused rendering',
  );
  t.same(
    cspViolations.filter((violation) => !framed.includes(violation)),
    [],
    'no other violation',
  );
});
