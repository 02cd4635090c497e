import { launchChromium, screenshot } from '@native-login/test-support';
import t from 'tap';
import { e2eStack, signIn } from './support.js';

const stack = await e2eStack(t, { SESSION_IDLE_TIMEOUT_SECONDS: '4', SESSION_ABSOLUTE_TIMEOUT_SECONDS: '120' });
const context = await launchChromium(t);

t.test('6. After the idle timeout the login form appears; signing in again keeps the cart', async (t) => {
  const page = await context.newPage();
  await page.goto(stack.storeUrl);
  await signIn(page, 'shopper@example.com');
  await page.getByRole('heading', { name: 'Products' }).waitFor();
  await page.locator('[data-sku="teapot-cast-iron"] button').click();
  await page.getByText('Cart (1)').waitFor();
  await page.getByText(/You will be signed out in \d+ seconds/).waitFor();
  t.pass('a notice before the idle timeout');

  await page.waitForTimeout(4_500);
  await page.getByText('Your session has ended. Sign in again to carry on.').waitFor();
  t.pass('the sign-in form appears over the app');
  await signIn(page, 'shopper@example.com');
  await page.getByText('Cart (1)').waitFor();
  t.pass('signed in again, the cart is still there');

  await screenshot(page, '6-store-after-idle-timeout');
});

t.test('an action that meets a session ended on the server waits for the sign-in, then completes', async (t) => {
  const page = await context.newPage();
  await page.goto(stack.storeUrl);
  await page.getByText('Cart (1)').waitFor();
  // The server ends the session while the page still believes in it (as a revocation would).
  const sessions = await stack.redis.client.keys(`${stack.redis.keyPrefix}store:session:*`);
  await stack.redis.client.del(...sessions);

  await page.locator('[data-sku="tea-rooibos"] button').click();
  await page.getByText('Your session has ended. Sign in again to carry on.').waitFor();
  await signIn(page, 'shopper@example.com');
  await page.getByText('Cart (2)').waitFor();
  t.pass('the add that met the 401 went through after signing in');
});
