import { randomUUID } from 'node:crypto';
import { collectCspViolations, launchChromium } from '@native-login/test-support';
import type { Page } from 'playwright-core';
import t from 'tap';
import { e2eStack, emailedLink, signIn } from './support.js';

// No sign-in outcome leaves the user without a next step: each story below starts where a user
// would be stuck, follows the link FusionAuth emails (read from the stand-in's mailbox), and ends
// signed in.
const stack = await e2eStack(t);
const context = await launchChromium(t);
const cspViolations = collectCspViolations(context);
// A step that does not happen fails the test in seconds, naming what it waited for.
context.setDefaultTimeout(10_000);

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });
const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();
const alert = (page: Page, text: string | RegExp) => page.getByRole('alert').filter({ hasText: text }).waitFor();

// Each story starts signed out: the one before left its user signed in, in this browser.
t.beforeEach(() => context.clearCookies());

/** Who the page's app says is signed in, asked of its API. */
const signedInAs = async (page: Page, origin: string) => {
  const response = await page.request.get(`${origin}/api/user`);
  return response.ok() ? ((await response.json()) as { user: { email: string } }).user.email : undefined;
};

void t.test(
  'Store: create an account, verify the address from the email, sign in, then join the Forum with it',
  async (t) => {
    const page = await context.newPage();
    const email = `new-${randomUUID()}@example.com`;
    await page.goto(stack.storeUrl);
    await button(page, 'Create an account').click();
    await heading(page, 'Create an account').waitFor();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByLabel('First name').fill('Nia');
    await page.getByLabel('Last name').fill('New');
    await button(page, 'Create the account').click();
    await page.getByText('Use at least 8 characters.').waitFor();
    t.equal(
      await page.getByLabel('Password', { exact: true }).getAttribute('aria-invalid'),
      'true',
      "FusionAuth's password rule is said at the field",
    );
    await page.getByLabel('Password', { exact: true }).fill('a long enough passphrase');
    await button(page, 'Create the account').click();
    await status(page, `We have sent a link to ${email}.`);

    await page.goto(await emailedLink(stack, email, '/verify-email'));
    await status(page, 'Your email address is verified. You can sign in now.');
    await heading(page, 'Sign in to the Store').waitFor();
    t.notMatch(page.url(), /id=/, "the link's id is gone from the address");
    await signIn(page, email, 'a long enough passphrase');
    await heading(page, 'Products').waitFor();
    t.equal(await page.getByText('Nia New').count(), 1, 'signed in, with the names given');

    const forum = await context.newPage();
    await forum.goto(stack.forumUrl);
    await signIn(forum, email, 'a long enough passphrase');
    await alert(forum, 'Your account exists, but it is not registered for the Forum.');
    t.pass('the Store sign-up registered for the Store only');
    await button(forum, 'Join the Forum with this account').click();
    await heading(forum, 'Join the Forum').waitFor();
    t.equal(await forum.getByLabel('Email address').inputValue(), email, 'the address typed is kept');
    await forum.getByLabel('Password', { exact: true }).fill('a long enough passphrase');
    await button(forum, 'Join and sign in').click();
    await heading(forum, 'Posts').waitFor();
    t.equal(await signedInAs(forum, stack.forumUrl), email, 'the same account joined the Forum, and is signed in');
    await Promise.all([page.close(), forum.close()]);
  },
);

void t.test('Store: a wrong password, "Forgot your password?", the reset link, and signed in', async (t) => {
  const page = await context.newPage();
  await page.goto(stack.storeUrl);
  await signIn(page, 'shopper@example.com', 'not-the-password');
  await alert(page, 'That email address and password do not match an account.');
  await button(page, 'Forgot your password?').click();
  await heading(page, 'Forgot your password?').waitFor();
  t.equal(await page.getByLabel('Email address').inputValue(), 'shopper@example.com', 'the address typed is kept');
  await button(page, 'Send the link').click();
  await status(page, /If an account uses shopper@example.com, we have sent it a link/);

  await page.goto(await emailedLink(stack, 'shopper@example.com', '/reset-password'));
  await heading(page, 'Reset your password').waitFor();
  t.notMatch(page.url(), /id=/, "the link's id is gone from the address");
  await page.getByLabel('New password', { exact: true }).fill('a brand new passphrase');
  await button(page, 'Save and sign in').click();
  await heading(page, 'Products').waitFor();
  t.equal(await signedInAs(page, stack.storeUrl), 'shopper@example.com');

  const again = await context.newPage();
  await again.goto(await emailedLink(stack, 'shopper@example.com', '/reset-password'));
  await again.getByLabel('New password', { exact: true }).fill('yet another passphrase');
  await button(again, 'Save and sign in').click();
  await alert(again, 'This link has expired or has been used already.');
  await heading(again, 'Forgot your password?').waitFor();
  t.pass('a spent link says so, and offers a new one');
  await Promise.all([page.close(), again.close()]);
});

void t.test('Store: changeme@example.com chooses a new password in place and is signed in', async (t) => {
  const page = await context.newPage();
  await page.goto(stack.storeUrl);
  await signIn(page, 'changeme@example.com');
  await heading(page, 'Choose a new password').waitFor();
  await page.getByLabel('New password', { exact: true }).fill('changed for good');
  await button(page, 'Save and sign in').click();
  await heading(page, 'Products').waitFor();
  t.equal(await signedInAs(page, stack.storeUrl), 'changeme@example.com');

  const later = await context.browser()?.newContext();
  t.teardown(() => later?.close());
  const fresh = await later?.newPage();
  if (!fresh) throw new Error('no second browser context');
  await fresh.goto(stack.storeUrl);
  await signIn(fresh, 'changeme@example.com');
  await alert(fresh, 'That email address and password do not match an account.');
  await signIn(fresh, 'changeme@example.com', 'changed for good');
  await heading(fresh, 'Products').waitFor();
  t.pass('the old password no longer works, the new one does, with no step between');
  await page.close();
});

void t.test('Forum: unverified@example.com asks for the email again, verifies, and signs in', async (t) => {
  const page = await context.newPage();
  await page.goto(stack.forumUrl);
  await signIn(page, 'unverified@example.com');
  await alert(page, 'Please verify your email address first');
  await button(page, 'Resend the verification email').click();
  await status(page, /If unverified@example.com is waiting to be verified, we have sent it a new link/);

  await page.goto(await emailedLink(stack, 'unverified@example.com', '/verify-email'));
  await status(page, 'Your email address is verified. You can sign in now.');
  await signIn(page, 'unverified@example.com');
  await heading(page, 'Posts').waitFor();
  t.equal(await signedInAs(page, stack.forumUrl), 'unverified@example.com');
  await page.close();
});

void t.test('no page of these flows broke the Content-Security-Policy', async (t) => {
  t.same(cspViolations, []);
});
