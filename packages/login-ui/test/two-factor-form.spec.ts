import { screen } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { carol, fakeBackend } from '../../../test/web/fake-backend.js';
import { mountGate, typeCredentials } from './support/app-behind-gate.js';

/** The sign-in page after a right password for an account with a second factor. */
async function atTheSecondFactor() {
  const backend = fakeBackend();
  const view = await mountGate();
  await typeCredentials(view.user, carol);
  await screen.findByRole('heading', { name: 'Enter your verification code' });
  return { backend, ...view };
}

const codeField = () => screen.getByLabelText<HTMLInputElement>('Verification code');
const verify = () => screen.getByRole<HTMLButtonElement>('button', { name: 'Verify' });

describe('the second-factor form', () => {
  it('asks for the code in a field made for one-time codes, and has the focus', async () => {
    await atTheSecondFactor();

    expect(codeField().autocomplete).toBe('one-time-code');
    expect(codeField().inputMode).toBe('numeric');
    await vi.waitFor(() => expect(document.activeElement).toBe(codeField()));
  });

  it('keeps digits only: a pasted "123 456" is 123456', async () => {
    const { user } = await atTheSecondFactor();

    await user.click(codeField());
    await user.paste('123 456');
    expect(codeField().value).toBe('123456');

    await user.clear(codeField());
    await user.type(codeField(), '12a-3');
    expect(codeField().value).toBe('123');
  });

  it('enables Verify once six digits are in, and signs in with them', async () => {
    const { backend, user } = await atTheSecondFactor();

    expect(verify().disabled).toBe(true);
    await user.type(codeField(), '12345');
    expect(verify().disabled).toBe(true);
    await user.type(codeField(), '6');
    expect(verify().disabled).toBe(false);

    await user.click(verify());
    expect(await screen.findByRole('heading', { name: 'Products' })).toBeTruthy();
    expect(backend.signedInAs).toEqual(carol.user);
  });

  it('says why a code was refused, and lets the user try again', async () => {
    const { user } = await atTheSecondFactor();

    await user.type(codeField(), '654321{Enter}');
    await vi.waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'That code is not right. Check your authenticator app and try again.',
      ),
    );
    expect(codeField().value).toBe('');
  });

  it('goes back to the sign-in form with "Use a different account"', async () => {
    const { user } = await atTheSecondFactor();

    await user.click(screen.getByRole('button', { name: 'Use a different account' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to the Store' })).toBeTruthy();
    expect(screen.queryByLabelText('Verification code')).toBeNull();
    expect(screen.getByLabelText('Email address')).toBeTruthy();
  });
});
