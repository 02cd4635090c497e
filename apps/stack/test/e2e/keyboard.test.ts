import { launchChromium, screenshot } from '@native-login/test-support';
import type { Locator, Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { focusOf, hasFocus } from './page-checks.js';
import { e2eStack } from './support.js';

// Every step below is a key press (page.keyboard only): no click, no fill. Pages are opened and
// reloaded by address, and the tests read the page and the API to see what the keys did.
const stack = await e2eStack(t);
// The idle notice shows in a session's last minute: two seconds after signing in, here.
// The server extends a session at most once per tenth of its idle timeout (6 s here), and
// "Stay signed in" two seconds after signing in would then change nothing: once per 0.6 s instead.
const idleStack = await e2eStack(t, { SESSION_IDLE_TIMEOUT_SECONDS: '62', SESSION_EXTEND_AFTER_FRACTION: '0.01' });
const context = await launchChromium(t);
// A browser of its own: cookies ignore the port, so one browser would mix the two stacks' sessions.
const idleContext = await launchChromium(t);

/**
 * Presses Tab (Shift+Tab with `back`) until the focus is on the target, as a keyboard user moves
 * through a page; fails, naming the stops on the way, if it is not reached within `presses`.
 */
async function tabTo(target: Locator, { back = false, presses = 40 } = {}): Promise<void> {
  const page = target.page();
  const passed: string[] = [];
  for (let press = 0; press < presses; press += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    if (await hasFocus(target)) return;
    const focus = await focusOf(page);
    passed.push(`${focus.tag} ${focus.text}`);
  }
  throw new Error(
    `${String(target)} is not reached with ${presses} presses of ${back ? 'Shift+Tab' : 'Tab'}: ${passed.join(' | ')}`,
  );
}

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const link = (page: Page, name: string) => page.getByRole('link', { name, exact: true });
/** "Add to cart: Sencha green tea": the button's label names the product. */
const addToCart = (page: Page, product: string) => page.getByRole('button', { name: `Add to cart: ${product}` });

/** The page's next answer from the API at that path and method. */
const answer = (page: Page, method: string, path: string | RegExp) =>
  page.waitForResponse(
    (response) =>
      response.request().method() === method &&
      (typeof path === 'string' ? new URL(response.url()).pathname === path : path.test(response.url())),
  );

/** What the server holds in the cart of whoever is signed in to the page. */
const serverCart = async (page: Page) =>
  (await (await page.request.get(`${stack.storeUrl}/api/cart`)).json()) as {
    items: Array<{ sku: string; quantity: number }>;
  };
const quantityInCart = async (page: Page, sku: string) =>
  (await serverCart(page)).items.find((item) => item.sku === sku)?.quantity;

/** Signs in with the form as a keyboard user does: the focus starts in the email field. */
async function signInByKeyboard(t: Test, page: Page, email: string) {
  t.equal((await focusOf(page)).id, 'login-id', 'the focus starts in the email field');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  t.equal((await focusOf(page)).id, 'password', 'Tab goes on to the password');
  await page.keyboard.type('password123');
  await page.keyboard.press('Enter');
}

/** The page's `h1` has the focus, and the browser tab says the page's name. */
async function onPage(t: Test, page: Page, heading: string, title: string) {
  const h1 = page.getByRole('heading', { level: 1, name: heading, exact: true });
  await h1.waitFor();
  t.ok(await hasFocus(h1), `the focus is on the h1 "${heading}"`, { focus: await focusOf(page) });
  t.equal(await page.title(), title, `the page title is "${title}"`);
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('Store by keyboard alone: sign in, fill the cart, change a quantity, remove a line and undo', async (t) => {
  const page = await context.newPage();
  await page.goto(stack.storeUrl);
  await page.getByRole('heading', { name: 'Sign in to the Store' }).waitFor();
  await signInByKeyboard(t, page, 'shopper@example.com');
  await onPage(t, page, 'Products', 'Products · Store');

  await tabTo(addToCart(page, 'Sencha green tea'));
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'Cart (1)' }).waitFor();
  await tabTo(addToCart(page, 'Stoneware mug'));
  await page.keyboard.press('Space');
  await page.getByRole('link', { name: 'Cart (2)' }).waitFor();
  t.pass('Enter and Space each add a product');

  await tabTo(link(page, 'Cart (2)'), { back: true });
  await page.keyboard.press('Enter');
  await onPage(t, page, 'Your cart', 'Your cart · Store');

  let changed = answer(page, 'PATCH', /\/api\/cart\/items\/tea-sencha$/);
  await tabTo(button(page, 'One more Sencha green tea'));
  await page.keyboard.press('Enter');
  await changed;
  changed = answer(page, 'PATCH', /\/api\/cart\/items\/tea-sencha$/);
  await page.keyboard.press('Space');
  await changed;
  t.equal(await quantityInCart(page, 'tea-sencha'), 3, '+ with Enter, then with Space: 3');
  changed = answer(page, 'PATCH', /\/api\/cart\/items\/tea-sencha$/);
  await tabTo(button(page, 'One fewer Sencha green tea'), { back: true });
  await page.keyboard.press('Enter');
  await changed;
  t.equal(await quantityInCart(page, 'tea-sencha'), 2, '− with Enter: 2');
  changed = answer(page, 'PATCH', /\/api\/cart\/items\/mug-stoneware$/);
  await tabTo(page.getByRole('spinbutton', { name: 'Quantity of Stoneware mug' }));
  await page.keyboard.press('ArrowUp');
  await changed;
  t.equal(await quantityInCart(page, 'mug-stoneware'), 2, 'the up arrow in the quantity field: 2');

  await tabTo(button(page, 'Remove Sencha green tea'), { back: true });
  await page.keyboard.press('Enter');
  await page.locator('tbody [data-sku="tea-sencha"]').waitFor({ state: 'detached' });
  t.ok(await hasFocus(page.getByRole('button', { name: /^Undo/ })), 'after Remove the focus is on Undo');
  await page.keyboard.press('Enter');
  await page.locator('tbody [data-sku="tea-sencha"]').waitFor();
  t.equal(await quantityInCart(page, 'tea-sencha'), 2, 'Undo puts the line back as it was');
  t.ok(
    await hasFocus(page.getByRole('spinbutton', { name: 'Quantity of Sencha green tea' })),
    'and the focus goes to its quantity',
  );
  await screenshot(page, 'keyboard-store-cart');

  await tabTo(link(page, 'Your sessions'), { back: true });
  await page.keyboard.press('Enter');
  await onPage(t, page, 'Your sessions', 'Your sessions · Store');
  await page.close();
});

void t.test('the skip link is the first Tab stop and moves the focus to the main content', async (t) => {
  const page = await context.newPage();
  await page.goto(`${stack.storeUrl}/cart`);
  await page.getByRole('heading', { name: 'Your cart' }).waitFor();
  await page.keyboard.press('Tab');
  t.ok(await hasFocus(link(page, 'Skip to content')), 'the first Tab stop', { focus: await focusOf(page) });
  await screenshot(page, 'keyboard-skip-link');
  await page.keyboard.press('Enter');
  t.ok((await focusOf(page)).inMain, 'Enter moves the focus into the main content');
  await page.keyboard.press('Tab');
  const next = await focusOf(page);
  t.ok(next.inMain, `and the next Tab stays there (${next.tag} ${next.text})`);
  await page.close();
});

void t.test('Forum by keyboard alone: sign in, write a post, publish it and see it listed', async (t) => {
  const page = await context.newPage();
  await page.goto(stack.forumUrl);
  await page.getByRole('heading', { name: 'Sign in to the Forum' }).waitFor();
  await signInByKeyboard(t, page, 'shopper@example.com');
  await onPage(t, page, 'Posts', 'Posts · Forum');

  await tabTo(link(page, 'Write a post'), { back: true });
  await page.keyboard.press('Enter');
  await onPage(t, page, 'Write a post', 'Write a post · Forum');
  await tabTo(page.getByRole('textbox', { name: 'Title', exact: true }));
  await page.keyboard.type('Written without a mouse');
  await page.keyboard.press('Tab');
  t.ok(await hasFocus(page.getByRole('textbox', { name: 'Text', exact: true })), 'Tab goes on to the text');
  await page.keyboard.type('Tab, type, Tab, type, Enter.');
  await tabTo(button(page, 'Publish'));
  await page.keyboard.press('Enter');
  await onPage(t, page, 'Written without a mouse', 'Written without a mouse · Forum');

  await tabTo(link(page, 'Posts'), { back: true });
  await page.keyboard.press('Enter');
  await page.getByRole('link', { name: 'Written without a mouse' }).waitFor();
  t.pass('the post is listed');
  await screenshot(page, 'keyboard-forum-post-listed');
  await page.close();
});

void t.test('the idle notice takes the focus: Enter stays signed in, Escape dismisses it', async (t) => {
  const page = await idleContext.newPage();
  await page.goto(idleStack.storeUrl);
  await page.getByRole('heading', { name: 'Sign in to the Store' }).waitFor();
  await signInByKeyboard(t, page, 'storeonly@example.com');
  await onPage(t, page, 'Products', 'Products · Store');

  const notice = page.getByRole('dialog', { name: /You will be signed out/ });
  await notice.waitFor();
  const stay = notice.getByRole('button', { name: 'Stay signed in' });
  const heading = page.getByRole('heading', { level: 1, name: 'Products' });
  t.ok(await hasFocus(stay), 'the notice takes the focus, on "Stay signed in"');
  const refreshed = answer(page, 'GET', '/api/user');
  await page.keyboard.press('Enter');
  t.equal((await refreshed).status(), 200, 'Enter asks the server, and the session is still there');
  await notice.waitFor({ state: 'detached' });
  t.ok(await hasFocus(heading), 'the focus goes back where it was', { focus: await focusOf(page) });

  // Still less than a minute left, two seconds later: the notice comes back.
  await notice.waitFor();
  t.ok(await hasFocus(stay), 'it takes the focus again');
  await screenshot(page, 'keyboard-idle-notice');
  await page.keyboard.press('Escape');
  await notice.waitFor({ state: 'detached' });
  t.ok(await hasFocus(heading), 'Escape dismisses it, and the focus goes back', { focus: await focusOf(page) });
  await page.waitForTimeout(1_500);
  t.equal(await notice.count(), 0, 'and it stays dismissed');
  await page.close();
});
