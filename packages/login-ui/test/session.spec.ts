import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/api-client.js';
import { openTab, type Tab } from '../../../test/web/app.js';
import {
  alice,
  bob,
  carol,
  dave,
  erin,
  fakeBackend,
  frank,
  grace,
  ok,
  type Account,
} from '../../../test/web/fake-backend.js';

const signInAs = (tab: Tab, account: Account) => tab.session.signIn(account.user.email, account.password);

/** Whether a promise has settled yet, without leaving a rejection unhandled. */
function settlement(promise: Promise<unknown>): { settled: boolean } {
  const state = { settled: false };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

describe('signing in and out', () => {
  it('is loading until the server answers, then signed out when GET /api/user answers 401', async () => {
    fakeBackend();
    const { session } = openTab();
    expect(session.status).toBe('loading');

    await session.refresh();
    expect(session.status).toBe('signed-out');
    expect(session.interrupted).toBe(false);
    expect(session.user).toBeNull();
  });

  it('is signed in as the user GET /api/user answers with', async () => {
    const backend = fakeBackend();
    backend.signIn(alice);
    const { session } = openTab();

    await session.refresh();
    expect(session.status).toBe('signed-in');
    expect(session.user).toEqual(alice.user);
    expect(session.displayName).toBe('Alice Liddell');
  });

  it('signs in with a right password (200), sending the credentials with the X-CSRF header', async () => {
    const backend = fakeBackend();
    const tab = openTab();
    await tab.session.refresh();

    await signInAs(tab, alice);
    expect(tab.session.status).toBe('signed-in');
    expect(tab.session.user).toEqual(alice.user);
    expect(tab.session.error).toBeNull();
    // The fake backend refuses a POST without X-CSRF: 403 csrf_rejected.
    expect(backend.callsTo('POST', '/api/login').map(({ body }) => body)).toEqual([
      { loginId: alice.user.email, password: alice.password },
    ]);
    expect(backend.signedInAs).toEqual(alice.user);
  });

  it('stays signed out after a wrong password, and says why', async () => {
    fakeBackend();
    const tab = openTab();
    await tab.session.refresh();

    await tab.session.signIn(alice.user.email, 'not the password');
    expect(tab.session.status).toBe('signed-out');
    expect(tab.session.error).toBe('That email address and password do not match an account.');
    expect(tab.session.pending).toBe(false);
  });

  it('asks for the second factor when the password is right and the account has one (202)', async () => {
    const backend = fakeBackend();
    const tab = openTab();
    await tab.session.refresh();

    await signInAs(tab, carol);
    expect(tab.session.status).toBe('two-factor');
    expect(tab.session.user).toBeNull();
    expect(backend.signedInAs).toBeNull();
  });

  it('signs in with the code from the authenticator app', async () => {
    const backend = fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    await signInAs(tab, carol);

    await tab.session.verifyCode('123456');
    expect(tab.session.status).toBe('signed-in');
    expect(tab.session.user).toEqual(carol.user);
    expect(backend.callsTo('POST', '/api/login/two-factor').map(({ body }) => body)).toEqual([{ code: '123456' }]);
  });

  it('stays on the second-factor step after a wrong code, and says why', async () => {
    fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    await signInAs(tab, carol);

    await tab.session.verifyCode('654321');
    expect(tab.session.status).toBe('two-factor');
    expect(tab.session.error).toBe('That code is not right. Check your authenticator app and try again.');
  });

  it('goes back to the sign-in form, with the message, when the second-factor step took too long', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    await signInAs(tab, carol);

    vi.setSystemTime(Date.now() + 6 * 60_000);
    await tab.session.verifyCode('123456');
    expect(tab.session.status).toBe('signed-out');
    expect(tab.session.error).toBe('That sign-in took too long. Please enter your email address and password again.');
  });

  it('goes back to the sign-in form, with the message, after too many wrong codes', async () => {
    fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    await signInAs(tab, carol);

    for (let attempt = 1; attempt < 5; attempt += 1) await tab.session.verifyCode('000000');
    expect(tab.session.status).toBe('two-factor');

    await tab.session.verifyCode('000000');
    expect(tab.session.status).toBe('signed-out');
    expect(tab.session.error).toBe('Too many wrong codes. Please enter your email address and password again.');
  });

  it('goes back to the email and password from the second-factor step on request', async () => {
    fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    await tab.session.signIn(carol.user.email, carol.password);
    await tab.session.verifyCode('000000');

    tab.session.restart();
    expect(tab.session.status).toBe('signed-out');
    expect(tab.session.error).toBeNull();
  });

  it('signs out: POST /api/logout, and nobody is signed in any more', async () => {
    const backend = fakeBackend();
    backend.signIn(alice);
    const { session } = openTab();
    await session.refresh();

    await session.signOut();
    expect(session.status).toBe('signed-out');
    expect(session.user).toBeNull();
    expect(session.interrupted).toBe(false);
    expect(backend.signedInAs).toBeNull();
  });
});

describe('a session that ends while the app is in use', () => {
  let backend: ReturnType<typeof fakeBackend>;
  let tab: Tab;

  beforeEach(async () => {
    backend = fakeBackend();
    // An app call behind the guard, as the Store's cart routes are.
    backend.route('POST', '/api/notes', 'guarded', ({ body, user }) => ok({ saved: body, by: user.id }));
    backend.signIn(alice);
    tab = openTab();
    await tab.session.refresh();
  });

  it('interrupts the session: signed out, with the app left on screen', async () => {
    backend.endSession();
    const call = tab.session.api.request('POST', '/api/notes', { text: 'Half a note' });
    const state = settlement(call);

    await vi.waitFor(() => expect(tab.session.status).toBe('signed-out'));
    expect(tab.session.interrupted).toBe(true);
    expect(tab.session.user).toBeNull();
    // The call waits for the user to sign in again.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(state.settled).toBe(false);
  });

  it('retries the waiting call once the same user has signed in again', async () => {
    backend.endSession();
    const call = tab.session.api.request('POST', '/api/notes', { text: 'Half a note' });
    await vi.waitFor(() => expect(tab.session.interrupted).toBe(true));

    await signInAs(tab, alice);
    await expect(call).resolves.toEqual({ saved: { text: 'Half a note' }, by: alice.user.id });
    expect(backend.callsTo('POST', '/api/notes')).toHaveLength(2);
    expect(tab.session.status).toBe('signed-in');
    expect(tab.session.interrupted).toBe(false);
  });

  it('abandons the waiting calls when a different user signs in, and starts the app afresh at /', async () => {
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
    backend.endSession();
    const call = tab.session.api.request('POST', '/api/notes', { text: "Alice's note" });
    await vi.waitFor(() => expect(tab.session.interrupted).toBe(true));

    await signInAs(tab, bob);
    await expect(call).rejects.toMatchObject({ status: 401, code: 'account_changed' });
    expect(assign).toHaveBeenCalledWith('/');
    // Nothing of Alice's was sent again in Bob's name.
    expect(backend.callsTo('POST', '/api/notes')).toHaveLength(1);
  });

  it('abandons the waiting calls when the user signs out', async () => {
    backend.endSession();
    const call = tab.session.api.request('POST', '/api/notes', { text: 'Half a note' });
    await vi.waitFor(() => expect(tab.session.interrupted).toBe(true));

    await tab.session.signOut();
    await expect(call).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(tab.session.status).toBe('signed-out');
    expect(tab.session.interrupted).toBe(false);
    expect(backend.callsTo('POST', '/api/notes')).toHaveLength(1);
  });

  it('refuses at once a call that finds no session after the user signed out', async () => {
    await tab.session.signOut();

    const call = tab.session.api.request('POST', '/api/notes', { text: 'Too late' });
    await expect(call).rejects.toBeInstanceOf(ApiError);
    await expect(call).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(tab.session.interrupted).toBe(false);
  });
});

describe("FusionAuth's logout page", () => {
  it('is where signing out of a session FusionAuth signed in goes next', async () => {
    const logoutUrl = 'https://auth.example.com/oauth2/logout?client_id=store';
    const backend = fakeBackend({ logoutUrl });
    backend.signIn(alice, 'fusionauth');
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
    const { session } = openTab();
    await session.refresh();

    await session.signOut();
    expect(session.status).toBe('signed-out');
    expect(assign).toHaveBeenCalledExactlyOnceWith(logoutUrl);
  });

  it.each(['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>', 'ftp://auth.example.com/'])(
    'is not followed when the answer names something else than an http(s) address: %s',
    async (logoutUrl) => {
      const backend = fakeBackend({ logoutUrl });
      backend.signIn(alice, 'fusionauth');
      const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
      const { session } = openTab();
      await session.refresh();

      await session.signOut();
      expect(session.status).toBe('signed-out');
      expect(assign).not.toHaveBeenCalled();
    },
  );
});

describe('the session deadlines', () => {
  it("come from every signed-in answer's headers, on this browser's clock", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T10:00:00Z'));
    const start = Date.now();
    const backend = fakeBackend({ idleTimeoutMs: 30 * 60_000, absoluteTimeoutMs: 12 * 3_600_000 });
    backend.route('GET', '/api/notes', 'guarded', () => ok({ notes: [] }));
    backend.signIn(alice);
    const { session } = openTab();

    await session.refresh();
    expect(session.expiresAt).toBe(start + 30 * 60_000);
    expect(session.endsAt).toBe(start + 12 * 3_600_000);

    // Ten minutes later, any app call is activity: the idle deadline moves, the absolute one does not.
    vi.setSystemTime(start + 10 * 60_000);
    await session.api.request('GET', '/api/notes');
    expect(session.expiresAt).toBe(start + 40 * 60_000);
    expect(session.endsAt).toBe(start + 12 * 3_600_000);
  });

  it('are forgotten when the session ends', async () => {
    const backend = fakeBackend();
    backend.signIn(alice);
    const { session } = openTab();
    await session.refresh();
    expect(session.expiresAt).not.toBeNull();

    await session.signOut();
    expect(session.expiresAt).toBeNull();
    expect(session.endsAt).toBeNull();
  });
});

describe('the ways to sign in (GET /api/login-flows)', () => {
  it("are the backend's, in its order", async () => {
    fakeBackend({ flows: ['oauth', 'native'] });
    const { session } = openTab();
    await session.refresh();
    expect(session.flows).toEqual(['oauth', 'native']);
  });

  it('leave out flows this SPA does not know', async () => {
    fakeBackend({ flows: ['passkey', 'oauth'] });
    const { session } = openTab();
    await session.refresh();
    expect(session.flows).toEqual(['oauth']);
  });

  it('are the embedded form when the backend names none this SPA knows', async () => {
    fakeBackend({ flows: ['passkey'] });
    const { session } = openTab();
    await session.refresh();
    expect(session.flows).toEqual(['native']);
  });

  it('are the embedded form, for good, when the backend has no such route (404)', async () => {
    const backend = fakeBackend({ flows: 'no-such-route' });
    const { session } = openTab();
    await session.refresh();
    await session.refresh();
    expect(session.flows).toEqual(['native']);
    expect(backend.callsTo('GET', '/api/login-flows')).toHaveLength(1);
  });

  it('are asked for again at the next check when the backend did not answer', async () => {
    const backend = fakeBackend({ flows: ['native', 'oauth'] });
    backend.answerNext('GET', '/api/login-flows', 'network-error');
    const { session } = openTab();
    await session.refresh();
    expect(session.flows).toEqual(['native']);

    await session.refresh();
    expect(session.flows).toEqual(['native', 'oauth']);
  });
});

// happy-dom has no BroadcastChannel; Node's, which the page sees instead, delivers between the
// stores of one process as a browser does between tabs.
describe('tabs of the same app', () => {
  let backend: ReturnType<typeof fakeBackend>;
  let first: Tab;
  let second: Tab;

  beforeEach(async () => {
    backend = fakeBackend();
    first = openTab();
    second = openTab();
  });

  it('are all signed out when one signs out', async () => {
    backend.signIn(alice);
    await Promise.all([first.session.refresh(), second.session.refresh()]);

    await first.session.signOut();
    await vi.waitFor(() => expect(second.session.status).toBe('signed-out'));
    // Signed out on purpose, not interrupted: no sign-in form over the app.
    expect(second.session.interrupted).toBe(false);
  });

  it('ask the server who they act as when one signs in', async () => {
    await Promise.all([first.session.refresh(), second.session.refresh()]);
    const asked = backend.callsTo('GET', '/api/user').length;

    await signInAs(first, alice);
    await vi.waitFor(() => expect(second.session.status).toBe('signed-in'));
    expect(second.session.user).toEqual(alice.user);
    expect(backend.callsTo('GET', '/api/user')).toHaveLength(asked + 1);
  });

  it("take the new deadlines from one tab's activity", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    backend.route('GET', '/api/notes', 'guarded', () => ok({ notes: [] }));
    backend.signIn(alice);
    await Promise.all([first.session.refresh(), second.session.refresh()]);

    const endsAt = second.session.endsAt;

    vi.setSystemTime(Date.now() + 10 * 60_000);
    const extendedTo = Date.now() + 30 * 60_000;
    await first.session.api.request('GET', '/api/notes');
    await vi.waitFor(() => expect(second.session.expiresAt).toBe(extendedTo));
    expect(second.session.endsAt).toBe(endsAt);
  });

  it("abandon this tab's waiting calls when another tab signs out", async () => {
    backend.route('POST', '/api/notes', 'guarded', ({ body }) => ok(body));
    backend.signIn(alice);
    await Promise.all([first.session.refresh(), second.session.refresh()]);
    backend.endSession();
    const call = first.session.api.request('POST', '/api/notes', { text: 'Half a note' });
    await vi.waitFor(() => expect(first.session.interrupted).toBe(true));

    await second.session.signOut();
    await expect(call).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(first.session.interrupted).toBe(false);
    expect(backend.callsTo('POST', '/api/notes')).toHaveLength(1);
  });

  it("start afresh at / when another tab signs in as someone else over this tab's interrupted work", async () => {
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => undefined);
    backend.route('POST', '/api/notes', 'guarded', ({ body }) => ok(body));
    backend.signIn(alice);
    await Promise.all([first.session.refresh(), second.session.refresh()]);
    backend.endSession();
    const call = first.session.api.request('POST', '/api/notes', { text: "Alice's note" });
    await vi.waitFor(() => expect(first.session.interrupted).toBe(true));

    await signInAs(second, bob);
    await expect(call).rejects.toMatchObject({ status: 401, code: 'account_changed' });
    expect(assign).toHaveBeenCalledWith('/');
    expect(backend.callsTo('POST', '/api/notes')).toHaveLength(1);
  });

  it("do not hear another app's tabs", async () => {
    const forum = openTab('Forum');
    backend.signIn(alice);
    await Promise.all([first.session.refresh(), second.session.refresh(), forum.session.refresh()]);

    await first.session.signOut();
    // Once the Store's other tab has heard, the Forum's would have too.
    await vi.waitFor(() => expect(second.session.status).toBe('signed-out'));
    expect(forum.session.status).toBe('signed-in');
  });
});

describe("a sign-in that needs a new password first (FusionAuth's 203)", () => {
  it('is the password-change step after a right password (202 password_change_required)', async () => {
    const backend = fakeBackend();
    const tab = openTab();
    await tab.session.refresh();

    await signInAs(tab, dave);
    expect(tab.session.status).toBe('password-change');
    expect(tab.session.user).toBeNull();
    expect(backend.signedInAs).toBeNull();
  });

  it('is the password-change step after the second factor too', async () => {
    fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    await signInAs(tab, frank);
    expect(tab.session.status).toBe('two-factor');

    await tab.session.verifyCode('246810');
    expect(tab.session.status).toBe('password-change');
  });

  it('signs in with the new password, and tells the other tabs', async () => {
    const backend = fakeBackend();
    const tab = openTab();
    const other = openTab();
    await Promise.all([tab.session.refresh(), other.session.refresh()]);
    await signInAs(tab, dave);

    expect(await tab.session.changeRequiredPassword('a new password 2')).toBe(true);
    expect(tab.session.status).toBe('signed-in');
    expect(tab.session.user).toEqual(dave.user);
    expect(backend.callsTo('POST', '/api/login/change-password').map(({ body }) => body)).toEqual([
      { password: 'a new password 2' },
    ]);
    await vi.waitFor(() => expect(other.session.user).toEqual(dave.user));
  });

  it('keeps the rules a new password breaks at the password field, not in the alert', async () => {
    fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    await signInAs(tab, dave);

    expect(await tab.session.changeRequiredPassword('short')).toBe(false);
    expect(tab.session.status).toBe('password-change');
    expect(tab.session.fieldErrors).toEqual({ password: 'Use at least 8 characters. Add a digit.' });
    expect(tab.session.error).toBeNull();
  });

  it('goes back to the sign-in form, with the message, when the step took too long', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    await signInAs(tab, dave);

    vi.setSystemTime(Date.now() + 6 * 60_000);
    await tab.session.changeRequiredPassword('a new password 2');
    expect(tab.session.status).toBe('signed-out');
    expect(tab.session.error).toBe('That took too long. Please sign in again.');
    expect(tab.session.errorCode).toBe('password_change_expired');
  });
});

describe('the ways forward from the sign-in form', () => {
  it('names the refusal of an address not verified yet, for the card to offer a new email', async () => {
    fakeBackend();
    const tab = openTab();
    await tab.session.refresh();

    await signInAs(tab, erin);
    expect(tab.session.status).toBe('signed-out');
    expect(tab.session.errorCode).toBe('email_not_verified');
    expect(tab.session.error).toBe('Please verify your email address first: look for the message we sent you.');
  });

  it('names the refusal of an account another app made, for the card to offer joining this one', async () => {
    fakeBackend();
    const tab = openTab();
    await tab.session.refresh();

    await signInAs(tab, grace);
    expect(tab.session.status).toBe('signed-out');
    expect(tab.session.errorCode).toBe('not_registered');
    expect(tab.session.error).toBe('Your account exists, but it is not registered for the Store.');
  });

  it('joins this app with an account another app made, and signs in with its roles here (200)', async () => {
    const backend = fakeBackend();
    const tab = openTab();
    await tab.session.refresh();

    expect(await tab.session.joinApp(grace.user.email, grace.password)).toBe(true);
    expect(tab.session.status).toBe('signed-in');
    expect(tab.session.user).toEqual({ ...grace.user, roles: ['customer'] });
    expect(backend.callsTo('POST', '/api/login/join').map(({ body }) => body)).toEqual([
      { loginId: grace.user.email, password: grace.password },
    ]);
  });

  it('stays signed out when joining with a wrong password, and says why', async () => {
    const backend = fakeBackend();
    const tab = openTab();
    await tab.session.refresh();

    expect(await tab.session.joinApp(grace.user.email, 'not the password')).toBe(false);
    expect(tab.session.status).toBe('signed-out');
    expect(tab.session.errorCode).toBe('invalid_credentials');
    expect(tab.session.error).toBe('That email address and password do not match an account.');
    expect(tab.session.pending).toBe(false);
    expect(backend.signedInAs).toBeNull();
  });

  it('is back at the sign-in card when FusionAuth refuses after the second factor, to offer the way on', async () => {
    const backend = fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    await signInAs(tab, carol);
    expect(tab.session.status).toBe('two-factor');
    backend.answerNext('POST', '/api/login/two-factor', {
      status: 403,
      body: { code: 'not_registered', message: 'Your account exists, but it is not registered for the Store.' },
    });

    await tab.session.verifyCode('123456');
    expect(tab.session.status).toBe('signed-out');
    expect(tab.session.errorCode).toBe('not_registered');
  });

  it('goes on to the second factor when joining asks for it first (202)', async () => {
    const backend = fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    backend.answerNext('POST', '/api/login/join', {
      status: 202,
      body: {
        code: 'two_factor_required',
        message: 'Enter the code from your authenticator app.',
        methods: [{ id: 'authenticator-1', method: 'authenticator' }],
      },
    });

    expect(await tab.session.joinApp(grace.user.email, grace.password)).toBe(true);
    expect(tab.session.status).toBe('two-factor');
    expect(tab.session.user).toBeNull();
  });

  it('creates an account and says an email is on its way, without the names left empty', async () => {
    const backend = fakeBackend();
    const { session } = openTab();
    await session.refresh();

    const done = await session.signUp({
      email: 'sam@example.com',
      password: 'sam password 1',
      firstName: ' Sam ',
      lastName: '',
    });
    expect(done).toBe(true);
    expect(session.notice).toBe('We have sent a link to sam@example.com. Open it to finish creating your account.');
    expect(session.status).toBe('signed-out');
    expect(backend.callsTo('POST', '/api/sign-up').map(({ body }) => body)).toEqual([
      { email: 'sam@example.com', password: 'sam password 1', firstName: 'Sam' },
    ]);
    expect(backend.lastEmailTo('sam@example.com').page).toBe('/verify-email');
  });

  it('answers a sign-up with an address that has an account just as any other', async () => {
    const backend = fakeBackend();
    const { session } = openTab();
    await session.refresh();

    await session.signUp({ email: alice.user.email, password: 'another password 1' });
    expect(session.notice).toBe(`We have sent a link to ${alice.user.email}. Open it to finish creating your account.`);
    expect(session.error).toBeNull();
    expect(backend.emails).toEqual([]);
  });

  it('says at the field what the backend refused in a sign-up', async () => {
    fakeBackend();
    const { session } = openTab();
    await session.refresh();

    expect(await session.signUp({ email: 'not an address', password: 'sam password 1' })).toBe(false);
    expect(session.fieldErrors).toEqual({ email: 'Enter your email address.' });
    expect(session.error).toBeNull();

    await session.signUp({ email: 'sam@example.com', password: 'password' });
    expect(session.fieldErrors).toEqual({ password: 'Add a digit.' });
    expect(session.notice).toBeNull();
  });

  it('asks for a reset link, the same answer whether or not the address has an account', async () => {
    const backend = fakeBackend();
    const { session } = openTab();
    await session.refresh();

    await session.requestPasswordReset(alice.user.email);
    expect(session.notice).toBe(
      `If an account uses ${alice.user.email}, we have sent it a link to choose a new password.`,
    );
    await session.requestPasswordReset('nobody@example.com');
    expect(session.notice).toBe(
      'If an account uses nobody@example.com, we have sent it a link to choose a new password.',
    );
    expect(backend.emails.map(({ to, page }) => ({ to, page }))).toEqual([
      { to: alice.user.email, page: '/reset-password' },
    ]);
  });

  it('signs in with the new password of a reset link, once', async () => {
    const backend = fakeBackend();
    const { session } = openTab();
    await session.refresh();
    await session.requestPasswordReset(alice.user.email);
    const { id } = backend.lastEmailTo(alice.user.email);

    expect(await session.resetPassword(id, 'a new password 3')).toBe(true);
    expect(session.status).toBe('signed-in');
    expect(backend.signedInAs).toEqual(alice.user);

    expect(await session.resetPassword(id, 'a new password 4')).toBe(false);
    expect(session.errorCode).toBe('link_expired');
    expect(session.error).toBe('This link has expired or has been used already. Ask for a new one below.');
  });

  it('goes on to the second factor after the reset of an account that has one', async () => {
    const backend = fakeBackend();
    const { session } = openTab();
    await session.refresh();
    await session.requestPasswordReset(carol.user.email);

    await session.resetPassword(backend.lastEmailTo(carol.user.email).id, 'a new password 3');
    expect(session.status).toBe('two-factor');
    await session.verifyCode('123456');
    expect(session.user).toEqual(carol.user);
  });

  it('verifies an address with the id of its link, and says so', async () => {
    const backend = fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    await tab.session.resendVerification(erin.user.email);
    expect(tab.session.notice).toBe(`If ${erin.user.email} is waiting to be verified, we have sent a new link to it.`);

    expect(await tab.session.verifyEmail(backend.lastEmailTo(erin.user.email).id)).toBe(true);
    expect(tab.session.notice).toBe('Your email address is verified. You can sign in now.');
    await signInAs(tab, erin);
    expect(tab.session.user).toEqual(erin.user);
  });

  it('names a verification link that no longer works', async () => {
    fakeBackend();
    const { session } = openTab();
    await session.refresh();

    expect(await session.verifyEmail('verify-email-404')).toBe(false);
    expect(session.errorCode).toBe('link_expired');
    expect(session.notice).toBeNull();
  });

  it('forgets what the last card said when asked', async () => {
    fakeBackend();
    const tab = openTab();
    await tab.session.refresh();
    await tab.session.signIn(alice.user.email, 'not the password');

    tab.session.clearMessages();
    expect(tab.session.error).toBeNull();
    expect(tab.session.errorCode).toBeNull();
  });
});
