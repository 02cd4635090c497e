import { screen } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { descriptionOf } from '../../../test/web/app.js';
import { dave, fakeBackend } from '../../../test/web/fake-backend.js';
import { mountGate, typeCredentials } from './support/app-behind-gate.js';

/** The sign-in page after a right password for an account whose password FusionAuth requires changed. */
async function atTheNewPassword() {
  const backend = fakeBackend();
  const view = await mountGate();
  await typeCredentials(view.user, dave);
  await screen.findByRole('heading', { level: 1, name: 'Choose a new password' });
  return { backend, ...view };
}

const newPasswordField = () => screen.getByLabelText<HTMLInputElement>('New password');
const save = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Save and sign in' });

describe('the new-password card of a sign-in FusionAuth holds back', () => {
  it('asks for a new password in a field made for one, and has the focus', async () => {
    await atTheNewPassword();

    expect(screen.getByRole('form', { name: 'Choose a new password' })).toBeTruthy();
    expect(newPasswordField().autocomplete).toBe('new-password');
    expect(newPasswordField().type).toBe('password');
    await vi.waitFor(() => expect(document.activeElement).toBe(newPasswordField()));
  });

  it('shows the password while "Show password" is pressed', async () => {
    const { user } = await atTheNewPassword();
    const toggle = screen.getByRole('button', { name: 'Show password' });

    await user.type(newPasswordField(), 'a new password 2');
    await user.click(toggle);
    expect(newPasswordField().type).toBe('text');
    await user.click(toggle);
    expect(newPasswordField().type).toBe('password');
  });

  it('signs in with the new password, and shows the app', async () => {
    const { backend, user } = await atTheNewPassword();

    await user.type(newPasswordField(), 'a new password 2');
    await user.click(save());
    expect(await screen.findByRole('heading', { name: 'Products' })).toBeTruthy();
    expect(backend.signedInAs).toEqual(dave.user);
  });

  it('says at the field which rules the password breaks, with the focus on it', async () => {
    const { user } = await atTheNewPassword();

    await user.type(newPasswordField(), 'password{Enter}');
    await vi.waitFor(() => expect(newPasswordField().getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(newPasswordField())).toBe('Add a digit.');
    expect(document.activeElement).toBe(newPasswordField());
    expect(screen.getByRole('alert').textContent).toBe('');
  });

  it('says it is saving while the request runs, with the field read-only', async () => {
    const { backend, user } = await atTheNewPassword();
    const change = backend.hold('POST', '/api/login/change-password');

    await user.type(newPasswordField(), 'a new password 2{Enter}');
    await change.reached;
    const busy = screen.getByRole<HTMLButtonElement>('button', { name: 'Saving…' });
    expect(busy.disabled).toBe(true);
    expect(busy.getAttribute('aria-busy')).toBe('true');
    expect(newPasswordField().readOnly).toBe(true);

    change.release();
    await screen.findByRole('heading', { name: 'Products' });
  });

  it('goes back to the sign-in card, with the message and the focus, when it took too long', async () => {
    const { user } = await atTheNewPassword();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 60_000);

    await user.type(newPasswordField(), 'a new password 2{Enter}');
    expect(await screen.findByRole('heading', { name: 'Sign in to the Store' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('That took too long. Please sign in again.');
    await vi.waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Email address')));
  });

  it('goes back to the sign-in card with "Use a different account"', async () => {
    const { user } = await atTheNewPassword();

    await user.click(screen.getByRole('button', { name: 'Use a different account' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to the Store' })).toBeTruthy();
    expect(screen.queryByLabelText('New password')).toBeNull();
  });
});
