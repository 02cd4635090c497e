import { screen } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { descriptionOf, openTab, testRouter } from '../../../test/web/app.js';
import { alice, bob, carol, erin, failure, fakeBackend, type FakeBackend } from '../../../test/web/fake-backend.js';
import { mountGate } from './support/app-behind-gate.js';

/** The app at `link`, as the browser opens a link from an email: a page load, over an app whose page is "Products". */
async function open(link: string) {
  return mountGate(await testRouter(link));
}

/** The link of the reset email FusionAuth sends `email`, asked for in another tab. */
async function resetLink(backend: FakeBackend, email: string) {
  await openTab().session.requestPasswordReset(email);
  return backend.lastEmailTo(email).link;
}

/** The link of a new verification email for `email`, asked for in another tab. */
async function verificationLink(backend: FakeBackend, email: string) {
  await openTab().session.resendVerification(email);
  return backend.lastEmailTo(email).link;
}

const newPasswordField = () => screen.getByLabelText<HTMLInputElement>('New password');
const emailField = () => screen.getByLabelText<HTMLInputElement>('Email address');

describe('the reset page (the link in a password-reset email)', () => {
  it('asks for a new password, with the focus in its field, and takes the id out of the address', async () => {
    const backend = fakeBackend();
    const { router } = await open(await resetLink(backend, alice.user.email));

    expect(await screen.findByRole('heading', { level: 1, name: 'Reset your password' })).toBeTruthy();
    expect(newPasswordField().autocomplete).toBe('new-password');
    await vi.waitFor(() => expect(document.activeElement).toBe(newPasswordField()));
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/reset-password'));
  });

  it('signs in with the new password, then shows the app at its start', async () => {
    const backend = fakeBackend();
    const { router, user } = await open(await resetLink(backend, alice.user.email));

    await user.type(await screen.findByLabelText('New password'), 'a new password 3');
    await user.click(screen.getByRole('button', { name: 'Save and sign in' }));
    const heading = await screen.findByRole('heading', { name: 'Products' });
    expect(router.currentRoute.value.fullPath).toBe('/');
    expect(backend.signedInAs).toEqual(alice.user);
    expect(backend.callsTo('POST', '/api/password/reset').map(({ body }) => body)).toEqual([
      { changePasswordId: backend.lastEmailTo(alice.user.email).id, password: 'a new password 3' },
    ]);
    await vi.waitFor(() => expect(document.activeElement).toBe(heading));
  });

  it('goes on to the second factor for an account that has one', async () => {
    const backend = fakeBackend();
    const { user } = await open(await resetLink(backend, carol.user.email));

    await user.type(await screen.findByLabelText('New password'), 'a new password 3{Enter}');
    expect(await screen.findByRole('heading', { name: 'Enter your verification code' })).toBeTruthy();
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Verification code')));
  });

  it('says at the field which rules the password breaks, and keeps the page', async () => {
    const backend = fakeBackend();
    const { user } = await open(await resetLink(backend, alice.user.email));

    await user.type(await screen.findByLabelText('New password'), 'short{Enter}');
    await vi.waitFor(() => expect(newPasswordField().getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(newPasswordField())).toBe('Use at least 8 characters. Add a digit.');
    expect(document.activeElement).toBe(newPasswordField());
    expect(screen.getByRole('alert').textContent).toBe('');

    // The link still works with a password that keeps the rules.
    await user.type(newPasswordField(), 'a new password 3{Enter}');
    expect(await screen.findByRole('heading', { name: 'Products' })).toBeTruthy();
  });

  it('offers the forgot-password card for a link that has expired or was used', async () => {
    const backend = fakeBackend();
    const { user } = await open('/reset-password#id=reset-password-404');

    await user.type(await screen.findByLabelText('New password'), 'a new password 3{Enter}');
    expect(await screen.findByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'This link has expired or has been used already. Ask for a new one below.',
    );
    await vi.waitFor(() => expect(document.activeElement).toBe(emailField()));

    await user.type(emailField(), `${alice.user.email}{Enter}`);
    await vi.waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/we have sent it a link/));
    expect(backend.lastEmailTo(alice.user.email).page).toBe('/reset-password');
  });

  it('shows why a reset is not possible, in its alert', async () => {
    const backend = fakeBackend();
    const link = await resetLink(backend, alice.user.email);
    const message = 'This account signs in in two steps: its password cannot be reset here.';
    backend.answerNext('POST', '/api/password/reset', failure(400, 'reset_not_possible', message));
    const { user } = await open(link);

    await user.type(await screen.findByLabelText('New password'), 'a new password 3{Enter}');
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).toBe(message));
    expect(screen.getByRole('heading', { level: 1, name: 'Reset your password' })).toBeTruthy();
    expect(backend.signedInAs).toBeNull();
  });

  it('says a link without its id is incomplete, and offers to ask for a new one', async () => {
    fakeBackend();
    await open('/reset-password');

    expect(await screen.findByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'This link is incomplete. Open it again from the email, or ask for a new one below.',
    );
  });

  it('shows even to someone signed in, rather than the app', async () => {
    const backend = fakeBackend();
    const link = await resetLink(backend, alice.user.email);
    backend.signIn(bob);
    await open(link);

    expect(await screen.findByRole('heading', { level: 1, name: 'Reset your password' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Products' })).toBeNull();
  });

  it('goes back to the sign-in card', async () => {
    const backend = fakeBackend();
    const { router, user } = await open(await resetLink(backend, alice.user.email));

    await user.click(await screen.findByRole('button', { name: 'Back to sign in' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to the Store' })).toBeTruthy();
    expect(router.currentRoute.value.fullPath).toBe('/');
    await vi.waitFor(() => expect(document.activeElement).toBe(emailField()));
  });
});

describe('the verify page (the link in a verification email)', () => {
  it('verifies the address as it opens, then shows the sign-in card saying so, with the focus in it', async () => {
    const backend = fakeBackend();
    const link = await verificationLink(backend, erin.user.email);
    const { router } = await open(link);

    expect(await screen.findByRole('heading', { name: 'Sign in to the Store' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Your email address is verified. You can sign in now.');
    expect(screen.getByRole('alert').textContent).toBe('');
    expect(router.currentRoute.value.fullPath).toBe('/');
    expect(backend.callsTo('POST', '/api/email/verify').map(({ body }) => body)).toEqual([
      { verificationId: backend.lastEmailTo(erin.user.email).id },
    ]);
    await vi.waitFor(() => expect(document.activeElement).toBe(emailField()));
  });

  it('lets the verified address sign in', async () => {
    const backend = fakeBackend();
    const { user } = await open(await verificationLink(backend, erin.user.email));

    await user.type(await screen.findByLabelText('Email address'), erin.user.email);
    await user.type(screen.getByLabelText('Password'), `${erin.password}{Enter}`);
    expect(await screen.findByRole('heading', { name: 'Products' })).toBeTruthy();
    expect(backend.signedInAs).toEqual(erin.user);
  });

  it('says it is checking the link while the request runs', async () => {
    const backend = fakeBackend();
    const link = await verificationLink(backend, erin.user.email);
    const verify = backend.hold('POST', '/api/email/verify');
    const { router } = await open(link);

    await verify.reached;
    expect(await screen.findByRole('heading', { level: 1, name: 'Verify your email address' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toContain('Checking your link…');
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/verify-email'));

    verify.release();
    expect(await screen.findByRole('heading', { name: 'Sign in to the Store' })).toBeTruthy();
  });

  it('offers a new verification email for a link that has expired or was used', async () => {
    const backend = fakeBackend();
    const { router, user } = await open('/verify-email#id=verify-email-404');

    expect(await screen.findByRole('heading', { level: 1, name: 'Ask for a new verification email' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'This link has expired or has been used already. Ask for a new one below.',
    );
    expect(router.currentRoute.value.fullPath).toBe('/verify-email');
    await vi.waitFor(() => expect(document.activeElement).toBe(emailField()));

    await user.type(emailField(), erin.user.email);
    await user.click(screen.getByRole('button', { name: 'Send the email' }));
    await vi.waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        `If ${erin.user.email} is waiting to be verified, we have sent a new link to it.`,
      ),
    );
    expect(backend.lastEmailTo(erin.user.email).page).toBe('/verify-email');
  });

  it('offers to try again when the backend could not answer', async () => {
    const backend = fakeBackend();
    const link = await verificationLink(backend, erin.user.email);
    backend.answerNext('POST', '/api/email/verify', 'network-error');
    const { user } = await open(link);

    const tryAgain = await screen.findByRole('button', { name: 'Try again' });
    // No field on this page: its heading has the focus, and a screen reader starts from it.
    const heading = screen.getByRole('heading', { level: 1, name: 'Verify your email address' });
    await vi.waitFor(() => expect(document.activeElement).toBe(heading));
    await user.click(tryAgain);
    expect(await screen.findByRole('heading', { name: 'Sign in to the Store' })).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Your email address is verified. You can sign in now.');
  });

  it('says a link without its id is incomplete, and offers to ask for a new one', async () => {
    const backend = fakeBackend();
    await open('/verify-email');

    expect(await screen.findByRole('heading', { level: 1, name: 'Ask for a new verification email' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe(
      'This link is incomplete. Open it again from the email, or ask for a new one below.',
    );
    expect(backend.callsTo('POST', '/api/email/verify')).toEqual([]);
  });
});
