import { screen } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import LoginForm from '../src/components/LoginForm.vue';
import { mount, openTab, testRouter } from '../../../test/web/app.js';
import { alice, fakeBackend, type FakeBackendOptions } from '../../../test/web/fake-backend.js';

/** The sign-in card as SessionGate shows it: once the session check has said how this app signs people in. */
async function signInCard(options: FakeBackendOptions = {}, path = '/') {
  const backend = fakeBackend(options);
  const tab = openTab();
  await tab.session.refresh();
  const view = await mount(LoginForm, { tab, router: await testRouter(path) });
  return { backend, ...view };
}

const emailField = () => screen.getByLabelText<HTMLInputElement>('Email address');
const passwordField = () => screen.getByLabelText<HTMLInputElement>('Password');

describe('the sign-in form', () => {
  it('labels its fields, and names them for password managers', async () => {
    await signInCard();

    expect(screen.getByRole('form', { name: 'Sign in to the Store' })).toBeTruthy();
    expect(emailField().type).toBe('email');
    expect(emailField().autocomplete).toBe('username');
    expect(passwordField().type).toBe('password');
    expect(passwordField().autocomplete).toBe('current-password');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('signs in when Enter is pressed in the password field', async () => {
    const { backend, session, user } = await signInCard();

    await user.type(emailField(), alice.user.email);
    await user.type(passwordField(), `${alice.password}{Enter}`);
    await vi.waitFor(() => expect(session.status).toBe('signed-in'));
    expect(backend.callsTo('POST', '/api/login').map(({ body }) => body)).toEqual([
      { loginId: alice.user.email, password: alice.password },
    ]);
  });

  it('says it is signing in while the request runs, and takes no second submission', async () => {
    const { backend, user } = await signInCard();
    const login = backend.hold('POST', '/api/login');

    await user.type(emailField(), alice.user.email);
    await user.type(passwordField(), alice.password);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await login.reached;
    const busy = screen.getByRole<HTMLButtonElement>('button', { name: 'Signing in…' });
    expect(busy.disabled).toBe(true);
    expect(busy.getAttribute('aria-busy')).toBe('true');
    // Read-only, not disabled: the focus stays where the user was.
    expect(passwordField().readOnly).toBe(true);
    await user.click(busy);

    login.release();
    await vi.waitFor(() => expect(backend.signedInAs).toEqual(alice.user));
    expect(backend.callsTo('POST', '/api/login')).toHaveLength(1);
  });

  it('says in its alert why a sign-in failed, and clears the password', async () => {
    const { user } = await signInCard();

    await user.type(emailField(), alice.user.email);
    await user.type(passwordField(), 'not the password{Enter}');
    await vi.waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('That email address and password do not match an account.'),
    );
    expect(passwordField().value).toBe('');
    expect(emailField().value).toBe(alice.user.email);
  });

  it('shows the password while "Show password" is pressed, and hides it again after a sign-in attempt', async () => {
    const { user } = await signInCard();
    const toggle = screen.getByRole('button', { name: 'Show password' });
    expect(toggle.getAttribute('aria-pressed')).toBe('false');

    await user.type(passwordField(), 'not the password');
    await user.click(toggle);
    expect(passwordField().type).toBe('text');
    expect(toggle.getAttribute('aria-pressed')).toBe('true');

    await user.click(toggle);
    expect(passwordField().type).toBe('password');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');

    await user.click(toggle);
    await user.type(emailField(), `${alice.user.email}{Enter}`);
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).not.toBe(''));
    expect(passwordField().type).toBe('password');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
  });

  it('says Caps Lock is on while the password is typed with it, until the field is left', async () => {
    const { user } = await signInCard();
    const hint = () => document.getElementById(passwordField().getAttribute('aria-describedby') ?? '');

    await user.click(passwordField());
    await user.keyboard('{CapsLock}s');
    expect(hint()?.textContent).toBe('Caps Lock is on.');

    await user.keyboard('{CapsLock}e');
    expect(hint()?.textContent).toBe('');

    await user.keyboard('{CapsLock}c');
    expect(hint()?.textContent).toBe('Caps Lock is on.');
    await user.tab();
    expect(hint()?.textContent).toBe('');
  });

  it("offers only the link to FusionAuth's page when the app signs in with OAuth alone", async () => {
    await signInCard({ flows: ['oauth'] }, '/cart?coupon=tea');

    expect(screen.getByRole('heading', { name: 'Sign in to the Store' })).toBeTruthy();
    expect(screen.queryByLabelText('Password')).toBeNull();
    const link = screen.getByRole<HTMLAnchorElement>('link', { name: 'Continue with FusionAuth' });
    // Back to the page on screen afterwards.
    expect(link.getAttribute('href')).toBe('/api/oauth/login?returnTo=%2Fcart%3Fcoupon%3Dtea');
  });

  it("offers the form, then the link to FusionAuth's page, when the app offers both", async () => {
    await signInCard({ flows: ['native', 'oauth'] });

    const submit = screen.getByRole('button', { name: 'Sign in' });
    const link = screen.getByRole('link', { name: 'Continue with FusionAuth' });
    expect(passwordField()).toBeTruthy();
    expect(submit.compareDocumentPosition(link) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});
