import { createTestingPinia } from '@pinia/testing';
import { render, screen } from '@testing-library/vue';
import { userEvent } from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { h } from 'vue';
import { RouterLink } from 'vue-router';
import AppHeader from '../src/components/AppHeader.vue';
import { sessionOptions, useSession } from '../src/session/session.js';
import { testRouter } from '../../../test/web/app.js';

/**
 * The header over a testing store: the session's state is set as the test needs it and its actions
 * are spies, so nothing here talks to a backend; what the header shows and calls is all there is.
 */
async function header(path = '/') {
  const pinia = createTestingPinia({
    createSpy: vi.fn,
    initialState: {
      session: {
        status: 'signed-in',
        user: { id: 'user-1', email: 'sam@example.com', firstName: 'Sam', lastName: 'Shopper' },
      },
    },
  });
  const router = await testRouter(path);
  render(AppHeader, {
    props: { title: 'Store' },
    slots: {
      default: () => [h(RouterLink, { to: '/' }, () => 'Products'), h(RouterLink, { to: '/cart' }, () => 'Cart')],
    },
    global: { plugins: [pinia, sessionOptions({ appName: 'Store' }), router] },
  });
  return { session: useSession(pinia), user: userEvent.setup() };
}

describe('the app header', () => {
  it('offers a skip link to the page content as its first stop', async () => {
    const { user } = await header();

    await user.tab();
    const skip = screen.getByRole('link', { name: 'Skip to content' });
    expect(document.activeElement).toBe(skip);
    expect(skip.getAttribute('href')).toBe('#main');
  });

  it('marks the page on screen in its navigation', async () => {
    await header('/cart');

    const navigation = screen.getByRole('navigation', { name: 'Store pages' });
    expect(navigation.querySelector('[aria-current="page"]')?.textContent).toBe('Cart');
    expect(screen.getByRole('link', { name: 'Products' }).getAttribute('aria-current')).toBeNull();
  });

  it("shows the signed-in user's name, and signs out with the session store's action", async () => {
    const { session, user } = await header();

    expect(screen.getByText('Sam Shopper')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(session.signOut).toHaveBeenCalledOnce();
  });

  it('shows no user and no "Sign out" once nobody is signed in', async () => {
    const { session } = await header();

    session.user = null;
    await vi.waitFor(() => expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull());
    expect(screen.queryByText('Sam Shopper')).toBeNull();
  });
});
