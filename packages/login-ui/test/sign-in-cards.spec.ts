import { screen, within } from '@testing-library/vue';
import { describe, expect, it, vi } from 'vitest';
import { descriptionOf } from '../../../test/web/app.js';
import { alice, erin, fakeBackend, grace, type FakeBackend } from '../../../test/web/fake-backend.js';
import { mountGate } from './support/app-behind-gate.js';

/** The sign-in page of someone signed out, over an app whose page is "Products". */
async function signInPage(backend: FakeBackend = fakeBackend()) {
  const view = await mountGate();
  await screen.findByRole('heading', { name: 'Sign in to the Store' });
  return { backend, ...view };
}

const field = (label: string) => screen.getByLabelText<HTMLInputElement>(label);

/** A card's submit button while its request runs, by what it says meanwhile: disabled and busy. */
function busyButton(name: string): HTMLButtonElement {
  const busy = screen.getByRole<HTMLButtonElement>('button', { name });
  expect(busy.disabled).toBe(true);
  expect(busy.getAttribute('aria-busy')).toBe('true');
  return busy;
}

describe('the forgot-password card', () => {
  it('opens from "Forgot password?" under the password field, with the focus in its email field', async () => {
    const { user } = await signInPage();

    await user.click(screen.getByRole('button', { name: 'Forgot password?' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Forgot your password?' })).toBeTruthy();
    expect(field('Email address').autocomplete).toBe('email');
    await vi.waitFor(() => expect(document.activeElement).toBe(field('Email address')));
  });

  it('says a link is on its way, in a status rather than an alert', async () => {
    const { backend, user } = await signInPage();
    await user.click(screen.getByRole('button', { name: 'Forgot password?' }));

    await user.type(await screen.findByLabelText('Email address'), `${alice.user.email}{Enter}`);
    await vi.waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        `If an account uses ${alice.user.email}, we have sent it a link to choose a new password.`,
      ),
    );
    expect(screen.getByRole('alert').textContent).toBe('');
    expect(backend.lastEmailTo(alice.user.email).page).toBe('/reset-password');
  });

  it('says it is sending while the request runs, and takes no second submission', async () => {
    const { backend, user } = await signInPage();
    await user.click(screen.getByRole('button', { name: 'Forgot password?' }));
    const forgot = backend.hold('POST', '/api/password/forgot');

    await user.type(await screen.findByLabelText('Email address'), `${alice.user.email}{Enter}`);
    await forgot.reached;
    busyButton('Sending…');
    expect(field('Email address').readOnly).toBe(true);

    forgot.release();
    await screen.findByRole('button', { name: 'Send the link' });
    expect(backend.callsTo('POST', '/api/password/forgot')).toHaveLength(1);
  });

  it('goes back to the sign-in card, with the focus in its first field', async () => {
    const { user } = await signInPage();
    await user.click(screen.getByRole('button', { name: 'Forgot password?' }));

    await user.click(await screen.findByRole('button', { name: 'Back to sign in' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to the Store' })).toBeTruthy();
    await vi.waitFor(() => expect(document.activeElement).toBe(field('Email address')));
  });
});

describe('the sign-in card after a refusal', () => {
  it('offers "Forgot your password?" beside a wrong password, starting from the address typed', async () => {
    const { user } = await signInPage();

    await user.type(field('Email address'), alice.user.email);
    await user.type(field('Password'), 'not the password{Enter}');
    await vi.waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('That email address and password do not match an account.'),
    );
    await user.click(screen.getByRole('button', { name: 'Forgot your password?' }));

    expect(await screen.findByRole('heading', { name: 'Forgot your password?' })).toBeTruthy();
    expect(field('Email address').value).toBe(alice.user.email);
    // The sign-in card's message is not about this card.
    expect(screen.getByRole('alert').textContent).toBe('');
    await vi.waitFor(() => expect(document.activeElement).toBe(field('Email address')));
  });

  it('offers no way forward after a refusal that has none', async () => {
    const { backend, user } = await signInPage();
    backend.answerNext('POST', '/api/login', 'network-error');

    await user.type(field('Email address'), alice.user.email);
    await user.type(field('Password'), `${alice.password}{Enter}`);
    await vi.waitFor(() => expect(screen.getByRole('alert').textContent).not.toBe(''));
    expect(screen.queryByRole('button', { name: 'Forgot your password?' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Resend the verification email' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Join the Store with this account' })).toBeNull();
  });

  it('offers to join the Store only to an account another app made', async () => {
    const { user } = await signInPage();

    await user.type(field('Email address'), alice.user.email);
    await user.type(field('Password'), 'not the password{Enter}');
    await screen.findByRole('button', { name: 'Forgot your password?' });
    expect(screen.queryByRole('button', { name: 'Join the Store with this account' })).toBeNull();

    await user.clear(field('Email address'));
    await user.type(field('Email address'), grace.user.email);
    await user.type(field('Password'), `${grace.password}{Enter}`);
    await vi.waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Your account exists, but it is not registered for the Store.',
      ),
    );
    expect(screen.getByRole('button', { name: 'Join the Store with this account' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Forgot your password?' })).toBeNull();
  });

  it('sends a new verification email to the address typed, when the address is not verified yet', async () => {
    const { backend, user } = await signInPage();

    await user.type(field('Email address'), erin.user.email);
    await user.type(field('Password'), `${erin.password}{Enter}`);
    await vi.waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Please verify your email address first: look for the message we sent you.',
      ),
    );
    await user.click(screen.getByRole('button', { name: 'Resend the verification email' }));

    await vi.waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        `If ${erin.user.email} is waiting to be verified, we have sent a new link to it.`,
      ),
    );
    expect(screen.getByRole('alert').textContent).toBe('');
    expect(backend.callsTo('POST', '/api/email/resend-verification').map(({ body }) => body)).toEqual([
      { email: erin.user.email },
    ]);
    expect(backend.lastEmailTo(erin.user.email).page).toBe('/verify-email');
    // The button went with the message it answered: the focus is back at the card's start.
    expect(screen.queryByRole('button', { name: 'Resend the verification email' })).toBeNull();
    expect(document.activeElement).toBe(field('Email address'));
  });
});

describe('the sign-up card', () => {
  async function signUpCard() {
    const view = await signInPage();
    await view.user.click(screen.getByRole('button', { name: 'Create an account' }));
    await screen.findByRole('heading', { level: 1, name: 'Create an account' });
    return view;
  }

  it('labels its fields for password managers and address books, with the focus in the first', async () => {
    await signUpCard();

    expect(screen.getByRole('form', { name: 'Create an account' })).toBeTruthy();
    // The new account's login: a password manager saves the new password against it.
    expect(field('Email address').autocomplete).toBe('username');
    expect(field('Password').autocomplete).toBe('new-password');
    expect(field('Password').type).toBe('password');
    expect(field('First name').autocomplete).toBe('given-name');
    expect(field('Last name').autocomplete).toBe('family-name');
    await vi.waitFor(() => expect(document.activeElement).toBe(field('Email address')));
  });

  it('shows the password while "Show password" is pressed, and hides it once sent', async () => {
    const { user } = await signUpCard();
    const toggle = screen.getByRole('button', { name: 'Show password' });

    await user.type(field('Password'), 'sam password 1');
    await user.click(toggle);
    expect(field('Password').type).toBe('text');
    expect(toggle.getAttribute('aria-pressed')).toBe('true');

    await user.type(field('Email address'), 'sam@example.com{Enter}');
    await screen.findByText(/We have sent a link/);
    expect(field('Password').type).toBe('password');
    expect(field('Password').value).toBe('');
  });

  it('creates the account and says a link is on its way to finish it', async () => {
    const { backend, user } = await signUpCard();

    await user.type(field('Email address'), 'sam@example.com');
    await user.type(field('Password'), 'sam password 1');
    await user.type(field('First name'), 'Sam');
    await user.type(field('Last name'), 'Vimes');
    await user.click(screen.getByRole('button', { name: 'Create the account' }));

    await vi.waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        'We have sent a link to sam@example.com. Open it to finish creating your account.',
      ),
    );
    expect(backend.callsTo('POST', '/api/sign-up').map(({ body }) => body)).toEqual([
      { email: 'sam@example.com', password: 'sam password 1', firstName: 'Sam', lastName: 'Vimes' },
    ]);
    expect(backend.lastEmailTo('sam@example.com').link).toMatch(/^\/verify-email#id=/);
    expect(backend.signedInAs).toBeNull();
  });

  it('answers an address that has an account just as any other', async () => {
    const { backend, user } = await signUpCard();

    await user.type(field('Email address'), alice.user.email);
    await user.type(field('Password'), `another password 1{Enter}`);
    await vi.waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe(
        `We have sent a link to ${alice.user.email}. Open it to finish creating your account.`,
      ),
    );
    expect(screen.getByRole('alert').textContent).toBe('');
    expect(backend.emails).toEqual([]);
  });

  it('says at the password field which of the password rules it breaks, and puts the focus there', async () => {
    const { user } = await signUpCard();

    await user.type(field('Email address'), 'sam@example.com');
    await user.type(field('Password'), 'short{Enter}');
    await vi.waitFor(() => expect(field('Password').getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(field('Password'))).toBe('Use at least 8 characters. Add a digit.');
    expect(document.activeElement).toBe(field('Password'));
    expect(screen.getByRole('alert').textContent).toBe('');
    expect(field('Email address').getAttribute('aria-invalid')).toBeNull();
  });

  it('says at the email field that the address is not one', async () => {
    const { user } = await signUpCard();

    await user.type(field('Email address'), 'sam at example');
    await user.type(field('Password'), 'sam password 1{Enter}');
    await vi.waitFor(() => expect(field('Email address').getAttribute('aria-invalid')).toBe('true'));
    expect(descriptionOf(field('Email address'))).toBe('Enter your email address.');
    expect(document.activeElement).toBe(field('Email address'));
  });

  it('says it is creating the account while the request runs, with its fields read-only', async () => {
    const { backend, user } = await signUpCard();
    const signUp = backend.hold('POST', '/api/sign-up');

    await user.type(field('Email address'), 'sam@example.com');
    await user.type(field('Password'), 'sam password 1{Enter}');
    await signUp.reached;
    busyButton('Creating your account…');
    expect(field('First name').readOnly).toBe(true);

    signUp.release();
    await screen.findByRole('button', { name: 'Create the account' });
  });

  it('is not offered in the "Sign in again" dialog of a session that ended under the app', async () => {
    const backend = fakeBackend();
    backend.signIn(alice);
    const { session } = await mountGate();
    await screen.findByRole('heading', { name: 'Products' });
    backend.endSession();
    // An app call finds the session gone, and waits for the sign-in.
    void session.api.request('GET', '/api/user').catch(() => undefined);

    const dialog = await screen.findByRole('dialog', { name: 'Sign in again' });
    expect(within(dialog).getByRole('button', { name: 'Forgot password?' })).toBeTruthy();
    expect(within(dialog).queryByRole('button', { name: 'Create an account' })).toBeNull();
  });
});

describe('the join card', () => {
  /** The join card, opened from the sign-in card after `grace` (whose account the Forum made) tried to sign in. */
  async function joinCard() {
    const view = await signInPage();
    await view.user.type(field('Email address'), grace.user.email);
    await view.user.type(field('Password'), `${grace.password}{Enter}`);
    await view.user.click(await screen.findByRole('button', { name: 'Join the Store with this account' }));
    await screen.findByRole('heading', { level: 1, name: 'Join the Store' });
    return view;
  }

  it('starts from the address typed, with its fields labelled for password managers and the focus in the first', async () => {
    await joinCard();

    expect(screen.getByRole('form', { name: 'Join the Store' })).toBeTruthy();
    expect(
      screen.getByText(
        'Your account was made for another app. Join the Store to use it here too, with the same email address and password.',
      ),
    ).toBeTruthy();
    expect(field('Email address').value).toBe(grace.user.email);
    expect(field('Email address').autocomplete).toBe('username');
    // The sign-in card does not keep the password: it is asked for again.
    expect(field('Password').value).toBe('');
    expect(field('Password').type).toBe('password');
    expect(field('Password').autocomplete).toBe('current-password');
    expect(screen.getByRole('button', { name: 'Show password' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Join and sign in' })).toBeTruthy();
    // The sign-in card's message is not about this card.
    expect(screen.getByRole('alert').textContent).toBe('');
    await vi.waitFor(() => expect(document.activeElement).toBe(field('Email address')));
  });

  it('joins the Store with the password and signs in: the app shows', async () => {
    const { backend, user } = await joinCard();

    await user.type(field('Password'), `${grace.password}{Enter}`);
    expect(await screen.findByRole('heading', { name: 'Products' })).toBeTruthy();
    expect(backend.callsTo('POST', '/api/login/join').map(({ body }) => body)).toEqual([
      { loginId: grace.user.email, password: grace.password },
    ]);
    expect(backend.signedInAs).toEqual({ ...grace.user, roles: ['customer'] });
  });

  it('says in its alert that the password is wrong, clears it, and stays', async () => {
    const { backend, user } = await joinCard();

    await user.type(field('Password'), 'not the password{Enter}');
    await vi.waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('That email address and password do not match an account.'),
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Join the Store' })).toBeTruthy();
    expect(field('Password').value).toBe('');
    expect(field('Email address').value).toBe(grace.user.email);
    expect(backend.signedInAs).toBeNull();
  });

  it('says it is joining while the request runs, and takes no second submission', async () => {
    const { backend, user } = await joinCard();
    const join = backend.hold('POST', '/api/login/join');

    await user.type(field('Password'), `${grace.password}{Enter}`);
    await join.reached;
    const busy = busyButton('Joining…');
    expect(field('Password').readOnly).toBe(true);
    await user.click(busy);

    join.release();
    await screen.findByRole('heading', { name: 'Products' });
    expect(backend.callsTo('POST', '/api/login/join')).toHaveLength(1);
  });

  it('goes back to the sign-in card, with the focus in its first field', async () => {
    const { user } = await joinCard();

    await user.click(screen.getByRole('button', { name: 'Back to sign in' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to the Store' })).toBeTruthy();
    await vi.waitFor(() => expect(document.activeElement).toBe(field('Email address')));
  });
});
