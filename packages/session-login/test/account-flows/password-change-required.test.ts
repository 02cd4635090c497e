import { Browser, LogCapture } from '@native-login/test-support';
import t from 'tap';
import { notesFixture } from '../support/notes-app.js';
import { invalidCredentials } from '../support/sign-in.js';

const fixture = await notesFixture(t);
const app = await fixture.build();
t.beforeEach(() => fixture.standIn.reset());

const changeme = 'changeme@example.com';
const newPassword = 'a brand new passphrase';

void t.test('203: the sign-in continues at "choose a new password", then completes with a session', async (t) => {
  const browser = new Browser(app);
  const login = await browser.login(changeme);
  t.equal(login.statusCode, 202);
  t.same(login.json(), {
    code: 'password_change_required',
    message: 'Your password must be changed before you can sign in. Choose a new one.',
  });
  t.notMatch(login.body, /changePasswordId/i, "FusionAuth's id stays on the server");
  t.ok(browser.jar.get('store_session'), 'a pre-login session ties the change to this browser');
  t.equal((await browser.send('GET', '/api/user')).statusCode, 401, 'not signed in yet');
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 401);

  const changed = await browser.send('POST', '/api/login/change-password', { password: newPassword });
  t.equal(changed.statusCode, 200);
  t.match(changed.json(), { user: { email: changeme, firstName: 'Chris' } });
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 200, 'signed in');

  t.same((await new Browser(app).login(changeme)).json(), invalidCredentials, 'the old password no longer works');
  t.equal((await new Browser(app).login(changeme, newPassword)).statusCode, 200, 'the new one does, with no 203');
});

void t.test(
  "a password FusionAuth's rules refuse is named at the field, and the change can be tried again",
  async (t) => {
    const browser = new Browser(app);
    await browser.login(changeme);
    const refused = await browser.send('POST', '/api/login/change-password', { password: 'short' });
    t.equal(refused.statusCode, 400);
    t.same(refused.json(), { code: 'password_rejected', message: 'Use at least 8 characters.' });
    const again = await browser.send('POST', '/api/login/change-password', { password: newPassword });
    t.equal(again.statusCode, 200, 'the pending sign-in survived the refusal');
  },
);

void t.test('without a pending change, or once it is spent, the answer is to sign in again', async (t) => {
  const expired = { code: 'password_change_expired', message: /sign in|email address and password again/i };
  const stranger = await new Browser(app).send('POST', '/api/login/change-password', { password: newPassword });
  t.equal(stranger.statusCode, 401);
  t.match(stranger.json(), expired);

  const browser = new Browser(app);
  await browser.login(changeme);
  t.equal((await browser.send('POST', '/api/login/change-password', { password: newPassword })).statusCode, 200);
  await browser.send('POST', '/api/logout');
  const replay = await browser.send('POST', '/api/login/change-password', { password: 'another passphrase' });
  t.equal(replay.statusCode, 401, 'the signed-in session replaced the pending one; the id is gone with it');
  t.match(replay.json(), expired);
});

void t.test('the change is CSRF-checked and validated before FusionAuth hears of it', async (t) => {
  const browser = new Browser(app);
  await browser.login(changeme);
  const noHeader = await app.inject({
    method: 'POST',
    url: '/api/login/change-password',
    headers: { 'content-type': 'application/json', cookie: browser.jar.header() ?? '' },
    payload: JSON.stringify({ password: newPassword }),
  });
  t.equal(noHeader.statusCode, 403);
  t.match(noHeader.json(), { code: 'csrf_rejected' });
  const empty = await browser.send('POST', '/api/login/change-password', { password: '' });
  t.equal(empty.statusCode, 400);
  t.same(empty.json(), { code: 'validation_failed', message: 'body.password: choose a password' });
});

void t.test('the log names the steps, never the password or the id', async (t) => {
  const log = new LogCapture();
  const logged = await fixture.build({ LOG_LEVEL: 'info' }, { logStream: log });
  const browser = new Browser(logged);
  await browser.login(changeme);
  await browser.send('POST', '/api/login/change-password', { password: newPassword });
  const steps = new Set(['password_change_required', 'password_changed', 'login_succeeded']);
  t.same(
    log.lines.map((line) => line['event']).filter((event) => steps.has(event as string)),
    ['password_change_required', 'password_changed', 'login_succeeded'],
  );
  t.notMatch(log.all, /a brand new passphrase|password123/, 'no password');
  t.notMatch(log.all, /changePasswordId|oneTimePassword/, 'no id of FusionAuth');
});
