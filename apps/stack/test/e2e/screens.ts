import { launchChromium } from '@native-login/test-support';
import { Secret, TOTP } from 'otpauth';
import type { BrowserContext, Page } from 'playwright-core';
import type { Test } from 'tap';
import { e2eStack, emailedLink, endSessionsOnServer, signIn } from './support.js';

/** One screen of either app, in the state a check looks at. */
export interface Screen {
  /** For test names: "Store: the cart with three lines". */
  name: string;
  /** For file names: "store-cart-full". */
  slug: string;
  /** Brings its page to this screen from where the screen before left it, and answers the page. */
  show: () => Promise<Page>;
}

/** A screen as the tour lists it: its page, and the steps that lead there. */
interface Step {
  name: string;
  slug: string;
  page: Page;
  show: () => Promise<void>;
}

/**
 * Chromium throttles a tab in the background (its animation frames, which every click waits for,
 * to about one a second): each screen brings its page to the front first.
 */
const inFront = (step: Step): Screen => ({
  name: step.name,
  slug: step.slug,
  show: async () => {
    await step.page.bringToFront();
    await step.show();
    return step.page;
  },
});

/** The mfa demo user's authenticator (README: the demo users). */
const totp = new TOTP({
  secret: Secret.fromBase32('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'),
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
});

/** The sign-in card's status line (an email on its way, an address verified), once it says so. */
const cardStatus = (page: Page, text: string | RegExp) =>
  page.locator('.auth-status').filter({ hasText: text }).first().waitFor();

/** The sign-in card's message line, once it says something. */
const signInMessage = (page: Page, text: string | RegExp) =>
  page.locator('.auth-error').filter({ hasText: text }).first().waitFor();

/**
 * Every distinct screen of the Store and the Forum, in an order in which each leads to the next
 * on a few shared pages: the sign-in card and each of its errors, the second factor, the signed-in
 * views, the "session ended" overlay, and the idle notice. Starts two stacks: the idle notice needs
 * a short idle timeout, which would put the notice over every other screen. Each screen must be
 * shown in this order, once. Answers the browser of the first stack too, for pages of a test's own.
 */
export async function screenTour(t: Test): Promise<{ store: Screen[]; forum: Screen[]; context: BrowserContext }> {
  // Two failed sign-ins per account: the third shows "too many attempts" without a long wait.
  const stack = await e2eStack(t, { LOGIN_ATTEMPTS_PER_ACCOUNT: '2' });
  // The notice shows in a session's last minute: 62 s leaves it on screen for a minute, two
  // seconds after signing in, and gives the checks that minute.
  const idleStack = await e2eStack(t, { SESSION_IDLE_TIMEOUT_SECONDS: '62' });
  const context = await launchChromium(t);
  // A browser of its own: cookies ignore the port, so one browser would mix the two stacks' sessions.
  const idleContext = await launchChromium(t);
  const store = await context.newPage();
  const forum = await context.newPage();
  const idle = await idleContext.newPage();

  const storeScreens: Step[] = [
    {
      name: 'Store: sign-in',
      slug: 'store-sign-in',
      page: store,
      show: async () => {
        await store.goto(stack.storeUrl);
        await store.getByRole('heading', { name: 'Sign in to the Store' }).waitFor();
      },
    },
    {
      name: 'Store: sign-in with the fields left empty',
      slug: 'store-sign-in-empty',
      page: store,
      show: async () => {
        await store.getByRole('button', { name: 'Sign in', exact: true }).click();
        await signInMessage(store, 'Enter your email address.');
      },
    },
    {
      name: 'Store: sign-in with a wrong password',
      slug: 'store-sign-in-wrong-password',
      page: store,
      show: async () => {
        await signIn(store, 'shopper@example.com', 'not-the-password');
        await signInMessage(store, 'That email address and password do not match an account.');
      },
    },
    {
      name: 'Store: sign-in after too many attempts',
      slug: 'store-sign-in-too-many-attempts',
      page: store,
      show: async () => {
        // The same message twice: each attempt waits for its own answer, not the last one's words.
        for (const attempt of [1, 2, 3]) {
          const answered = store.waitForResponse((response) => response.url().endsWith('/api/login'));
          await signIn(store, 'nobody@example.com', `wrong-${attempt}`);
          await answered;
        }
        await signInMessage(store, /too many/i);
      },
    },
    {
      name: 'Store: sign-in with the email address not verified',
      slug: 'store-sign-in-unverified',
      page: store,
      show: async () => {
        await signIn(store, 'unverified@example.com');
        await store.getByRole('button', { name: 'Resend the verification email' }).waitFor();
      },
    },
    {
      name: 'Store: a new verification email on its way',
      slug: 'store-verification-resent',
      page: store,
      show: async () => {
        await store.getByRole('button', { name: 'Resend the verification email' }).click();
        await cardStatus(store, /we have sent it a new link/);
      },
    },
    {
      name: 'Store: the email address verified',
      slug: 'store-email-verified',
      page: store,
      show: async () => {
        await store.goto(await emailedLink(stack, 'unverified@example.com', '/verify-email'));
        await cardStatus(store, 'Your email address is verified. You can sign in now.');
      },
    },
    {
      name: 'Store: forgot password',
      slug: 'store-forgot-password',
      page: store,
      show: async () => {
        await store.getByRole('button', { name: 'Forgot password?' }).click();
        await store.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      },
    },
    {
      name: 'Store: the reset link on its way',
      slug: 'store-reset-email-sent',
      page: store,
      show: async () => {
        await store.getByLabel('Email address').fill('storeonly@example.com');
        await store.getByRole('button', { name: 'Send the link' }).click();
        await cardStatus(store, /we have sent it a link to choose a new password/);
      },
    },
    {
      name: 'Store: the reset page with a password the rules refuse',
      slug: 'store-reset-password-refused',
      page: store,
      show: async () => {
        await store.goto(await emailedLink(stack, 'storeonly@example.com', '/reset-password'));
        await store.getByLabel('New password', { exact: true }).fill('short');
        await store.getByRole('button', { name: 'Save and sign in' }).click();
        await store.getByText('Use at least 8 characters.').waitFor();
      },
    },
    {
      name: 'Store: create an account',
      slug: 'store-sign-up',
      page: store,
      show: async () => {
        await store.getByRole('button', { name: 'Back to sign in' }).click();
        await store.getByRole('button', { name: 'Create an account' }).click();
        await store.getByRole('heading', { name: 'Create an account' }).waitFor();
      },
    },
    {
      name: 'Store: an account created, its email on its way',
      slug: 'store-sign-up-sent',
      page: store,
      show: async () => {
        await store.getByLabel('Email address').fill('newcomer@example.com');
        await store.getByLabel('Password', { exact: true }).fill('a long enough passphrase');
        await store.getByLabel('First name').fill('Noor');
        await store.getByRole('button', { name: 'Create the account' }).click();
        await cardStatus(store, /We have sent a link to newcomer@example.com/);
      },
    },
    {
      name: 'Store: choose a new password before signing in',
      slug: 'store-password-change-required',
      page: store,
      show: async () => {
        await store.getByRole('button', { name: 'Back to sign in' }).click();
        await signIn(store, 'changeme@example.com');
        await store.getByRole('heading', { name: 'Choose a new password' }).waitFor();
      },
    },
    {
      name: 'Store: the two-factor step',
      slug: 'store-two-factor',
      page: store,
      show: async () => {
        await store.getByRole('button', { name: 'Use a different account' }).click();
        await signIn(store, 'mfa@example.com');
        await store.getByRole('heading', { name: 'Enter your verification code' }).waitFor();
      },
    },
    {
      name: 'Store: the two-factor step with a wrong code',
      slug: 'store-two-factor-wrong-code',
      page: store,
      show: async () => {
        const code = store.getByRole('textbox', { name: 'Verification code' });
        await code.fill(totp.generate({ timestamp: Date.now() - 10 * 60_000 }));
        await code.press('Enter');
        await signInMessage(store, 'That code is not right.');
      },
    },
    {
      name: 'Store: products',
      slug: 'store-products',
      page: store,
      show: async () => {
        await store.getByRole('button', { name: 'Use a different account' }).click();
        await signIn(store, 'shopper@example.com');
        await store.getByRole('heading', { name: 'Products' }).waitFor();
        await store.locator('[data-sku="tea-sencha"]').waitFor();
      },
    },
    {
      name: 'Store: the empty cart',
      slug: 'store-cart-empty',
      page: store,
      show: async () => {
        await store.getByRole('link', { name: 'Cart (0)' }).click();
        await store.getByText('Your cart is empty.').waitFor();
      },
    },
    {
      name: 'Store: the cart with three lines',
      slug: 'store-cart-full',
      page: store,
      show: async () => {
        await store.getByRole('link', { name: 'Products', exact: true }).click();
        for (const [sku, count] of [
          ['tea-sencha', 1],
          ['mug-stoneware', 2],
          ['teapot-cast-iron', 3],
        ] as const) {
          await store.locator(`[data-sku="${sku}"] button`).click();
          await store.getByRole('link', { name: `Cart (${count})` }).waitFor();
        }
        await store.getByRole('link', { name: 'Cart (3)' }).click();
        await store.getByTestId('cart-total').waitFor();
      },
    },
    {
      name: 'Store: the cart after removing a line, with Undo',
      slug: 'store-cart-line-removed',
      page: store,
      show: async () => {
        await store.getByRole('button', { name: 'Remove Stoneware mug' }).click();
        await store.getByRole('button', { name: /^Undo/ }).waitFor();
      },
    },
    {
      name: 'Store: your sessions',
      slug: 'store-sessions',
      page: store,
      show: async () => {
        await store.getByRole('link', { name: 'Your sessions' }).click();
        await store.getByText('(this device)').waitFor();
      },
    },
    {
      name: 'Store: the session ended, sign in again',
      slug: 'store-session-ended',
      page: store,
      show: async () => {
        await store.getByRole('link', { name: 'Products', exact: true }).click();
        await store.locator('[data-sku="tea-rooibos"]').waitFor();
        await endSessionsOnServer(stack, 'store');
        await store.locator('[data-sku="tea-rooibos"] button').click();
        await store.getByText('Your session has ended. Sign in again to carry on.').waitFor();
      },
    },
    {
      name: 'Store: the idle notice',
      slug: 'store-idle-notice',
      page: idle,
      show: async () => {
        await idle.goto(idleStack.storeUrl);
        await signIn(idle, 'storeonly@example.com');
        await idle.getByRole('heading', { name: 'Products' }).waitFor();
        await idle.getByRole('dialog').getByRole('button', { name: 'Stay signed in' }).waitFor();
      },
    },
  ];

  const forumScreens: Step[] = [
    {
      name: 'Forum: sign-in',
      slug: 'forum-sign-in',
      page: forum,
      show: async () => {
        await forum.goto(stack.forumUrl);
        await forum.getByRole('heading', { name: 'Sign in to the Forum' }).waitFor();
      },
    },
    {
      name: 'Forum: sign-in with an account of the Store only',
      slug: 'forum-sign-in-not-registered',
      page: forum,
      show: async () => {
        await signIn(forum, 'storeonly@example.com');
        await forum.getByRole('button', { name: 'Join the Forum with this account' }).waitFor();
      },
    },
    {
      name: 'Forum: join the Forum',
      slug: 'forum-join',
      page: forum,
      show: async () => {
        await forum.getByRole('button', { name: 'Join the Forum with this account' }).click();
        await forum.getByRole('heading', { name: 'Join the Forum' }).waitFor();
      },
    },
    {
      name: 'Forum: the post list',
      slug: 'forum-posts',
      page: forum,
      show: async () => {
        await forum.getByRole('button', { name: 'Back to sign in' }).click();
        await signIn(forum, 'shopper@example.com');
        await forum.getByRole('heading', { name: 'Posts' }).waitFor();
        // The demo content's posts (FORUM_DEMO_CONTENT), each a link in the list.
        await forum.getByRole('main').getByRole('listitem').getByRole('link').first().waitFor();
      },
    },
    {
      name: 'Forum: a post',
      slug: 'forum-post',
      page: forum,
      show: async () => {
        const first = forum.getByRole('main').getByRole('listitem').getByRole('link').first();
        const title = ((await first.textContent()) ?? '').trim();
        await first.click();
        await forum.getByRole('heading', { name: title }).waitFor();
        await forum.getByRole('textbox', { name: 'Your reply' }).waitFor();
      },
    },
    {
      name: 'Forum: a post that is not there',
      slug: 'forum-post-not-found',
      page: forum,
      show: async () => {
        // The shape of a post's id, naming no post.
        await forum.goto(`${stack.forumUrl}/posts/00000000-0000-4000-8000-000000000000`);
        await forum.getByRole('heading', { level: 1, name: /not found/i }).waitFor();
      },
    },
    {
      name: 'Forum: a new post with validation errors',
      slug: 'forum-new-post-errors',
      page: forum,
      show: async () => {
        await forum.getByRole('link', { name: 'Write a post' }).click();
        await forum.getByRole('button', { name: 'Publish' }).click();
        await forum.locator('[aria-invalid="true"]').first().waitFor();
      },
    },
    {
      name: 'Forum: your sessions',
      slug: 'forum-sessions',
      page: forum,
      show: async () => {
        await forum.getByRole('link', { name: 'Your sessions' }).click();
        await forum.getByText('(this device)').waitFor();
      },
    },
  ];
  return { store: storeScreens.map(inFront), forum: forumScreens.map(inFront), context };
}
