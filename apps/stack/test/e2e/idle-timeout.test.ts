import { launchChromium, screenshot } from '@native-login/test-support';
import t from 'tap';
import { e2eStack, endSessionsOnServer, signIn } from './support.js';

const shortIdle = await e2eStack(t, { SESSION_IDLE_TIMEOUT_SECONDS: '4', SESSION_ABSOLUTE_TIMEOUT_SECONDS: '120' });
const longIdle = await e2eStack(t);
// A browser of its own for each stack: cookies ignore the port, so one browser would send each
// stack the other's session cookie, and the stack that does not know it clears it.
const shortIdleBrowser = await launchChromium(t);
const longIdleBrowser = await launchChromium(t);
const sessionEnded = 'Your session has ended. Sign in again to carry on.';

t.test('6. After the idle timeout the login form appears; signing in again keeps the cart', async (t) => {
  const page = await shortIdleBrowser.newPage();
  await page.goto(shortIdle.storeUrl);
  await signIn(page, 'shopper@example.com');
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  await page.locator('[data-sku="teapot-cast-iron"] button').click();
  await page.getByText('Cart (1)').waitFor();
  await page.getByText(/You will be signed out in \d+ seconds without activity/).waitFor();
  t.pass('a notice before the idle timeout');

  await page.getByText(sessionEnded).waitFor({ timeout: 10_000 });
  t.equal((await page.request.get(`${shortIdle.storeUrl}/api/user`)).status(), 401, 'the server has ended the session');
  t.equal(await page.evaluate('document.activeElement?.id'), 'login-id', 'the focus is on the sign-in form');
  await signIn(page, 'shopper@example.com');
  await page.getByText('Cart (1)').waitFor();
  t.pass('signed in again, the cart is still there');
  await screenshot(page, '6-store-after-idle-timeout');
});

t.test('"Stay signed in" extends the session', async (t) => {
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

t.test('an action that meets a session ended on the server waits for the sign-in, then completes', async (t) => {
  const page = await longIdleBrowser.newPage();
  await page.goto(longIdle.storeUrl);
  await signIn(page, 'shopper@example.com');
  await page.getByText('Cart (0)').waitFor();
  // The server ends the session while the page still believes in it (as a revocation would).
  await endSessionsOnServer(longIdle, 'store');

  await page.locator('[data-sku="tea-rooibos"] button').click();
  await page.getByText(sessionEnded).waitFor();
  await signIn(page, 'shopper@example.com');
  await page.getByText('Cart (1)').waitFor();
  t.pass('the add that met the 401 went through after signing in');
  await screenshot(page, '6-store-action-resumed-after-sign-in');
});

t.test('someone else signing in over an interrupted session gets a fresh app, not its pending action', async (t) => {
  const page = await longIdleBrowser.newPage();
  await page.goto(longIdle.storeUrl);
  await page.getByText('Cart (1)').waitFor();
  await endSessionsOnServer(longIdle, 'store');

  await page.locator('[data-sku="kettle-gooseneck"] button').click();
  await page.getByText(sessionEnded).waitFor();
  await signIn(page, 'storeonly@example.com');
  await page.getByText('Olive Storeonly').waitFor();
  await page.getByText('Cart (0)').waitFor();
  t.pass("storeonly's cart did not receive shopper's kettle, and shopper's cart is not on screen");
  await screenshot(page, '6-store-other-account-starts-afresh');
});
