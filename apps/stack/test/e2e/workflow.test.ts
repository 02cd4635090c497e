import { collectCspViolations, launchChromium, screenshot } from '@native-login/test-support';
import { Secret, TOTP } from 'otpauth';
import t from 'tap';
import { e2eStack, endSessionsOnServer, signIn } from './support.js';

// More sessions per user than the panel's page of 50, so that its paging can be seen.
const stack = await e2eStack(t, { SESSIONS_PER_USER: '60' });
const context = await launchChromium(t);
const cspViolations = collectCspViolations(context);
const totp = new TOTP({
  secret: Secret.fromBase32('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'),
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
});

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('1. Store: the login form, a wrong password, then the shopper, the cart, and a reload', async (t) => {
  const page = await context.newPage();
  await page.goto(stack.storeUrl);
  await page.getByRole('heading', { name: 'Sign in to the Store' }).waitFor();

  await signIn(page, 'shopper@example.com', 'not-the-password');
  await page.getByText('That email address and password do not match an account.').waitFor();
  t.pass('the generic message for a wrong password');

  await page.getByLabel('Password').fill('password123');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  t.equal(await page.getByText('Sam Shopper').count(), 1, 'the name in the header');

  await page.locator('[data-sku="tea-sencha"] button').click();
  await page.getByText('Sencha green tea is in your cart.').waitFor();
  await page.locator('[data-sku="mug-stoneware"] button').click();
  await page.getByText('Cart (2)').waitFor();

  await page.reload();
  await page.getByText('Cart (2)').waitFor();
  t.pass('still signed in after a reload, cart intact');
  await page.getByRole('link', { name: 'Cart (2)' }).click();
  await page.getByTestId('cart-total').waitFor();
  t.equal(await page.locator('tbody tr').count(), 2, 'two lines');
  t.match(await page.getByTestId('cart-total').textContent(), /30\.00/, 'and their total');
  await screenshot(page, '1-store-cart');
  await page.close();
});

void t.test('2. Forum in the same browser: no SSO; sign in, write a post, see it listed', async (t) => {
  const page = await context.newPage();
  await page.goto(stack.forumUrl);
  await page.getByRole('heading', { name: 'Sign in to the Forum' }).waitFor();
  t.pass('the Store session means nothing here');
  await signIn(page, 'shopper@example.com');
  await page.getByRole('heading', { name: 'Posts' }).waitFor();
  await page.getByRole('link', { name: 'Write a post' }).click();
  await page.getByLabel('Text').fill('A post without a title');
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText('Give your post a title.').waitFor();
  t.pass('the problem appears at its field, in words for people');
  await page.getByLabel('Title').fill('Sencha or Earl Grey?');
  await page.getByLabel('Text').fill('Which one for a slow Sunday morning?');
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByRole('heading', { name: 'Sencha or Earl Grey?' }).waitFor();
  await page.getByRole('link', { name: 'Posts' }).click();
  await page.getByRole('link', { name: 'Sencha or Earl Grey?' }).waitFor();
  t.pass('the post is listed');
  await screenshot(page, '2-forum-post-listed');
  await page.close();
});

void t.test('a post being written survives the end of the session', async (t) => {
  const page = await context.newPage();
  await page.goto(`${stack.forumUrl}/posts/new`);
  await page.getByLabel('Title').fill('Written across a sign-in');
  await page.getByLabel('Text').fill('This draft must not be lost.');
  await endSessionsOnServer(stack, 'forum');
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.getByText('Your session has ended. Sign in again to carry on.').waitFor();
  await signIn(page, 'shopper@example.com');
  await page.getByRole('heading', { name: 'Written across a sign-in' }).waitFor();
  t.pass('the draft was published after signing in again');
  await screenshot(page, '2-forum-draft-kept');
  await page.close();
});

void t.test('3. storeonly on the Forum: the not-registered message, and no session', async (t) => {
  const fresh = await launchChromium(t);
  const freshViolations = collectCspViolations(fresh);
  const page = await fresh.newPage();
  await page.goto(stack.forumUrl);
  await signIn(page, 'storeonly@example.com');
  await page.getByText('Your account exists, but it is not registered for the Forum.').waitFor();
  const cookies = await fresh.cookies(stack.forumUrl);
  t.notOk(
    cookies.some((cookie) => cookie.name === 'forum_session'),
    'no session cookie',
  );
  await screenshot(page, '3-forum-not-registered');
  t.same(freshViolations, [], 'no Content-Security-Policy violation');
});

void t.test('4. mfa: the code step, a wrong code, then the right one', async (t) => {
  const fresh = await launchChromium(t);
  const page = await fresh.newPage();
  await page.goto(stack.storeUrl);
  await signIn(page, 'mfa@example.com');
  const code = page.getByRole('textbox', { name: 'Verification code' });
  await code.waitFor();
  t.equal(await code.getAttribute('autocomplete'), 'one-time-code');
  await code.fill(totp.generate({ timestamp: Date.now() - 10 * 60_000 }));
  await code.press('Enter');
  await page.getByText('That code is not right.').waitFor();
  t.pass('a wrong code says so');
  await code.fill(totp.generate());
  await code.press('Enter');
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  t.pass('signed in with the right code');
  await screenshot(page, '4-store-after-two-factor');
});

void t.test('5. Store logout leaves the Forum signed in, and a second Store tab follows', async (t) => {
  const first = await context.newPage();
  await first.goto(stack.storeUrl);
  await first.getByRole('heading', { name: 'Products' }).waitFor();
  const second = await context.newPage();
  await second.goto(`${stack.storeUrl}/cart`);
  await second.getByRole('heading', { name: 'Your cart' }).waitFor();

  await first.getByRole('button', { name: 'Sign out' }).click();
  await first.getByRole('heading', { name: 'Sign in to the Store' }).waitFor();
  await second.getByRole('heading', { name: 'Sign in to the Store' }).waitFor();
  t.pass('the other Store tab shows the sign-in form too');

  const forum = await context.newPage();
  await forum.goto(stack.forumUrl);
  await forum.getByRole('heading', { name: 'Posts' }).waitFor();
  t.pass('the Forum is still signed in');
  await screenshot(second, '5-second-store-tab-signed-out');
  await Promise.all([first.close(), second.close(), forum.close()]);
});

void t.test('"Your sessions" lists this device and another, and signs the other out', async (t) => {
  const other = await launchChromium(t);
  const otherPage = await other.newPage();
  await otherPage.goto(stack.storeUrl);
  await signIn(otherPage, 'shopper@example.com');
  await otherPage.getByRole('heading', { name: 'Products' }).waitFor();

  const page = await context.newPage();
  await page.goto(stack.storeUrl);
  await signIn(page, 'shopper@example.com');
  await page.getByRole('link', { name: 'Your sessions' }).click();
  await page.getByText('(this device)').waitFor();
  t.ok((await page.locator('.session-entry').count()) >= 2, 'this device and the other one');
  await page.getByRole('button', { name: 'Sign out other devices' }).click();
  await page.getByText('Every other device is signed out.').waitFor();
  t.equal(await page.locator('.session-entry').count(), 1);

  await otherPage.reload();
  await otherPage.getByRole('heading', { name: 'Sign in to the Store' }).waitFor();
  t.pass('the other device is signed out');
  await screenshot(page, '7-store-your-sessions');
  await page.close();
});

void t.test('"Your sessions" pages beyond the first 50, and signs every other device out', async (t) => {
  for (let login = 0; login < 54; login += 1) {
    const answer = await fetch(`${stack.storeUrl}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf': '1', 'user-agent': `device-${login}` },
      body: JSON.stringify({ loginId: 'storeonly@example.com', password: 'password123' }),
    });
    if (!answer.ok) throw new Error(`sign-in ${login} answered ${answer.status}`);
  }
  // A browser of its own: the shared one is signed in as another user.
  const page = await (await launchChromium(t)).newPage();
  await page.goto(stack.storeUrl);
  await signIn(page, 'storeonly@example.com');
  await page.getByRole('link', { name: 'Your sessions' }).click();
  await page.getByText('Showing 50 of 55 sessions.').waitFor();
  t.equal(await page.locator('.session-entry').count(), 50, 'the first page');
  t.equal(await page.getByText('(this device)').count(), 1, 'this device among them');
  await page.getByRole('button', { name: 'Show more' }).click();
  await page.locator('.session-entry').nth(54).waitFor();
  t.equal(await page.locator('.session-entry').count(), 55, 'then the rest');
  t.equal(await page.getByRole('button', { name: 'Show more' }).count(), 0, 'and nothing more to show');
  await page.getByRole('button', { name: 'Sign out other devices' }).click();
  await page.getByText('Every other device is signed out.').waitFor();
  t.equal(await page.locator('.session-entry').count(), 1, 'the 54 others, loaded or not, are signed out');
  await page.close();
});

void t.test("each backend's API reference renders its own OpenAPI document under the page's policy", async (t) => {
  for (const [url, title, route] of [
    [stack.storeUrl, 'Store API', '/api/cart'],
    [stack.forumUrl, 'Forum API', '/api/posts'],
  ] as const) {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${url}/api/docs/`);
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByText(route, { exact: true }).first().waitFor();
    t.same(errors, [], `${title}: no script errors`);
    await screenshot(page, `api-docs-${title.split(' ')[0]?.toLowerCase() ?? 'app'}`);
    await page.close();
  }
});

void t.test('the SPAs run under their Content-Security-Policy without a single violation', async (t) => {
  const page = await context.newPage();
  const response = await page.goto(stack.storeUrl);
  t.match(response?.headers()['content-security-policy'], /script-src 'self'/);
  await page.getByRole('heading', { name: /Products|Sign in/ }).waitFor();
  t.same(cspViolations, [], 'none on any page of the workflow, the API references included');
  // The watch itself works: an inline script, which the policy forbids, is reported.
  await page.addScriptTag({ content: 'window.inline = true' }).catch(() => undefined);
  await page.waitForTimeout(200);
  t.equal(cspViolations.length, 1, 'an inline script would have been caught');
  await page.close();
});
