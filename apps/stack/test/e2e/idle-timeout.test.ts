import { launchChromium, screenshot } from '@native-login/test-support';
import type { Page } from 'playwright-core';
import t from 'tap';
import { e2eStack, endSessionsOnServer, signIn } from './support.js';

const shortIdle = await e2eStack(t, { SESSION_IDLE_TIMEOUT_SECONDS: '4', SESSION_ABSOLUTE_TIMEOUT_SECONDS: '120' });
const longIdle = await e2eStack(t);
// A browser of its own for each stack: cookies ignore the port, so one browser would send each
// stack the other's session cookie, and the stack that does not know it clears it.
const shortIdleBrowser = await launchChromium(t);
const longIdleBrowser = await launchChromium(t);
const sessionEnded = 'Your session has ended. Sign in again to carry on.';
/** The page's next cart load (the header shows `Cart (0)` before any cart has loaded). */
const cartLoad = (page: Page) =>
  page.waitForResponse((response) => new URL(response.url()).pathname === '/api/cart' && response.ok());
/** What the server holds in the cart of whoever is signed in to the page. */
const serverCart = async (page: Page) =>
  (await (await page.request.get(`${longIdle.storeUrl}/api/cart`)).json()) as {
    itemCount: number;
    items: Array<{ sku: string }>;
  };

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('6. After the idle timeout the login form appears; signing in again keeps the cart', async (t) => {
  const page = await shortIdleBrowser.newPage();
  await page.goto(shortIdle.storeUrl);
  await signIn(page, 'shopper@example.com');
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  await page.locator('[data-sku="teapot-cast-iron"] button').click();
  await page.getByText('Cart (1)').waitFor();
  await page.getByRole('dialog', { name: 'You will be signed out in less than a minute without activity.' }).waitFor();
  t.pass('a notice before the idle timeout');

  await page.getByText(sessionEnded).waitFor({ timeout: 10_000 });
  t.equal((await page.request.get(`${shortIdle.storeUrl}/api/user`)).status(), 401, 'the server has ended the session');
  t.equal(await page.evaluate('document.activeElement?.id'), 'login-id', 'the focus is on the sign-in form');
  await signIn(page, 'shopper@example.com');
  await page.getByText('Cart (1)').waitFor();
  t.pass('signed in again, the cart is still there');
  await screenshot(page, '6-store-after-idle-timeout');
});

void t.test('"Stay signed in" extends the session', async (t) => {
  const page = await shortIdleBrowser.newPage();
  await page.goto(shortIdle.storeUrl);
  await signIn(page, 'storeonly@example.com');
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await page.waitForTimeout(2_500);
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  await page.waitForTimeout(2_500);
  t.equal((await page.request.get(`${shortIdle.storeUrl}/api/cart`)).status(), 200, 'alive after five seconds');
  await screenshot(page, '6-store-stay-signed-in');
});

void t.test('an action that meets a session ended on the server waits for the sign-in, then completes', async (t) => {
  const page = await longIdleBrowser.newPage();
  await page.goto(longIdle.storeUrl);
  const loaded = cartLoad(page);
  await signIn(page, 'shopper@example.com');
  await loaded;
  // The server ends the session while the page still believes in it (as a revocation would).
  await endSessionsOnServer(longIdle, 'store');

  await page.locator('[data-sku="tea-rooibos"] button').click();
  await page.getByText(sessionEnded).waitFor();
  await signIn(page, 'shopper@example.com');
  await page.getByText('Cart (1)').waitFor();
  t.pass('the add that met the 401 went through after signing in');
  await screenshot(page, '6-store-action-resumed-after-sign-in');
});

void t.test(
  'someone else signing in over an interrupted session gets a fresh app, not its pending action',
  async (t) => {
    const page = await longIdleBrowser.newPage();
    await page.goto(longIdle.storeUrl);
    await page.getByText('Cart (1)').waitFor();
    await endSessionsOnServer(longIdle, 'store');

    await page.locator('[data-sku="kettle-gooseneck"] button').click();
    await page.getByText(sessionEnded).waitFor();
    const loaded = cartLoad(page);
    await signIn(page, 'storeonly@example.com');
    await page.getByText('Olive Storeonly').waitFor();
    await loaded;
    await page.getByText('Cart (0)').waitFor();
    t.equal((await serverCart(page)).itemCount, 0, "storeonly's cart did not receive shopper's kettle");
    await screenshot(page, '6-store-other-account-starts-afresh');
  },
);

void t.test('a call that comes back after signing out is not made again for whoever signs in next', async (t) => {
  await longIdleBrowser.clearCookies();
  const page = await longIdleBrowser.newPage();
  await page.goto(longIdle.storeUrl);
  await signIn(page, 'storeonly@example.com');
  await page.getByText('Olive Storeonly').waitFor();
  t.equal((await serverCart(page)).itemCount, 0, 'the cart is empty to begin with');

  // The add is held back until the user has signed out; it then meets a 401.
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/api/cart/items', async (route) => {
    await released;
    await route.continue();
  });
  const refused = page.waitForResponse((response) => response.url().endsWith('/api/cart/items'));
  await page.locator('[data-sku="tea-sencha"] button').click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to the Store' }).waitFor();
  release();
  t.equal((await refused).status(), 401, 'the held add met the ended session');
  await page.unroute('**/api/cart/items');

  const loaded = cartLoad(page);
  await signIn(page, 'shopper@example.com');
  await page.getByText('Sam Shopper').waitFor();
  // Cart calls run in turn: once the sign-in's cart load is back, a replayed add would be too.
  await loaded;
  const { items } = await serverCart(page);
  t.notOk(
    items.some((item) => item.sku === 'tea-sencha'),
    "the add storeonly made is not made in shopper's name",
  );
  await screenshot(page, '6-store-late-answer-after-sign-out');
});
