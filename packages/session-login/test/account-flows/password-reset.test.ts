import { Browser, LogCapture } from '@native-login/test-support';
import t from 'tap';
import { accountFixture } from '../support/account-fixture.js';
import { invalidCredentials } from '../support/sign-in.js';

const { app, standIn, build, limitedApp } = await accountFixture(t);
t.beforeEach(() => standIn.reset());

const shopper = 'shopper@example.com';
const newPassword = 'a brand new passphrase';
const sent = (email: string) => ({
  code: 'check_email',
  message: `If an account uses ${email}, we have sent it a link to choose a new password. The link works for 10 minutes.`,
});
const linkExpired = {
  code: 'link_expired',
  message: 'This link has expired or has been used already. Ask for a new one below.',
};

void t.test('forgot password: the email, the reset page, and a fresh session with the new password', async (t) => {
  const browser = new Browser(app);
  const forgot = await browser.send('POST', '/api/password/forgot', { email: shopper });
  t.equal(forgot.statusCode, 202);
  t.same(forgot.json(), sent(shopper));
  const changePasswordId = standIn.emailedId(shopper, '/reset-password');
  t.ok(changePasswordId, "the email links to the app's reset page");

  const reset = await browser.send('POST', '/api/password/reset', { changePasswordId, password: newPassword });
  t.equal(reset.statusCode, 200);
  t.match(reset.json(), { user: { email: shopper, roles: ['customer'] } });
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 200, 'signed in');
  t.same((await new Browser(app).login(shopper)).json(), invalidCredentials, 'the old password is gone');
  t.equal((await new Browser(app).login(shopper, newPassword)).statusCode, 200);
});

void t.test('an unknown address is answered exactly like a known one, and sent nothing', async (t) => {
  const unknown = 'nobody-here@example.com';
  const [known, stranger] = await Promise.all(
    [shopper, unknown].map((email) => new Browser(app).send('POST', '/api/password/forgot', { email })),
  );
  t.equal(stranger?.statusCode, known?.statusCode);
  t.same(stranger?.json(), sent(unknown));
  t.same(Object.keys(stranger?.headers ?? {}).sort(), Object.keys(known?.headers ?? {}).sort(), 'same headers');
  t.same(standIn.emailsTo(unknown), []);
});

void t.test('a reset link works once; an unknown one never', async (t) => {
  await new Browser(app).send('POST', '/api/password/forgot', { email: shopper });
  const changePasswordId = standIn.emailedId(shopper, '/reset-password');
  t.equal(
    (await new Browser(app).send('POST', '/api/password/reset', { changePasswordId, password: newPassword }))
      .statusCode,
    200,
  );
  const again = await new Browser(app).send('POST', '/api/password/reset', {
    changePasswordId,
    password: 'yet another passphrase',
  });
  t.equal(again.statusCode, 400);
  t.same(again.json(), linkExpired);
  const made = await new Browser(app).send('POST', '/api/password/reset', {
    changePasswordId: 'made-up-id',
    password: newPassword,
  });
  t.same(made.json(), linkExpired);
});

void t.test('an expired link is refused like a spent one', async (t) => {
  t.teardown(() => standIn.reset());
  await standIn.client.patchTenant(standIn.tenantId, {
    tenant: { externalIdentifierConfiguration: { changePasswordIdTimeToLiveInSeconds: 1 } },
  });
  await new Browser(app).send('POST', '/api/password/forgot', { email: shopper });
  const changePasswordId = standIn.emailedId(shopper, '/reset-password');
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const late = await new Browser(app).send('POST', '/api/password/reset', { changePasswordId, password: newPassword });
  t.same(late.json(), linkExpired);
});

void t.test('the password rules are named at the field, and the link still works after', async (t) => {
  await new Browser(app).send('POST', '/api/password/forgot', { email: shopper });
  const changePasswordId = standIn.emailedId(shopper, '/reset-password');
  const refused = await new Browser(app).send('POST', '/api/password/reset', { changePasswordId, password: 'short' });
  t.equal(refused.statusCode, 400);
  t.same(refused.json(), { code: 'password_rejected', message: 'Use at least 8 characters.' });
  const retried = await new Browser(app).send('POST', '/api/password/reset', {
    changePasswordId,
    password: newPassword,
  });
  t.equal(retried.statusCode, 200);
});

void t.test('a user with two factors is told the reset needs more than a link', async (t) => {
  await new Browser(app).send('POST', '/api/password/forgot', { email: 'mfa@example.com' });
  const changePasswordId = standIn.emailedId('mfa@example.com', '/reset-password');
  const response = await new Browser(app).send('POST', '/api/password/reset', {
    changePasswordId,
    password: newPassword,
  });
  t.equal(response.statusCode, 400);
  t.match(response.json(), { code: 'reset_not_possible', message: /two-step sign-in/ });
});

void t.test('asking for reset emails is limited per address and per IP', async (t) => {
  const limited = await limitedApp({ ACCOUNT_EMAILS_PER_ADDRESS: '2', ACCOUNT_EMAILS_PER_IP: '4' }, 'email-limits');
  const ask = (email: string) => new Browser(limited).send('POST', '/api/password/forgot', { email });
  t.same([(await ask(shopper)).statusCode, (await ask(shopper)).statusCode], [202, 202]);
  const third = await ask(shopper);
  t.equal(third.statusCode, 429);
  t.match(third.json(), { code: 'too_many_attempts', message: /Too many emails asked for. Try again in/ });
  t.ok(Number(third.headers['retry-after']) > 0);
  t.equal(standIn.emailsTo(shopper).length, 2, 'nothing sent beyond the limit');
  // Every request counts against the IP, the refused third one too.
  t.equal((await ask('other@example.com')).statusCode, 202, 'another address, within the IP limit');
  t.equal((await ask('third@example.com')).statusCode, 429, 'the IP limit');
});

void t.test('guessed reset ids are counted against the client IP', async (t) => {
  const limited = await limitedApp({ LOGIN_ATTEMPTS_PER_IP: '2' }, 'guess-limits');
  const guess = () =>
    new Browser(limited).send('POST', '/api/password/reset', { changePasswordId: 'guess', password: newPassword });
  t.same([(await guess()).statusCode, (await guess()).statusCode, (await guess()).statusCode], [400, 400, 429]);
});

void t.test('bad input gets a clear 400, and a missing CSRF header a 403', async (t) => {
  const browser = new Browser(app);
  t.same((await browser.send('POST', '/api/password/forgot', { email: 'nope' })).json(), {
    code: 'validation_failed',
    message: 'body.email: enter your email address',
  });
  t.same((await browser.send('POST', '/api/password/reset', { changePasswordId: '../x', password: 'p' })).json(), {
    code: 'validation_failed',
    message: "body.changePasswordId: the link's reset code is not valid",
  });
  const noHeader = await app.inject({
    method: 'POST',
    url: '/api/password/forgot',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ email: shopper }),
  });
  t.equal(noHeader.statusCode, 403);
  t.same(standIn.emailsTo(shopper), [], 'nothing sent');
});

void t.test('the log tells what happened, never the password or the id', async (t) => {
  const log = new LogCapture();
  const logged = await build({ LOG_LEVEL: 'info' }, { logStream: log });
  await new Browser(logged).send('POST', '/api/password/forgot', { email: shopper });
  const changePasswordId = standIn.emailedId(shopper, '/reset-password') ?? '';
  await new Browser(logged).send('POST', '/api/password/reset', { changePasswordId, password: newPassword });
  t.match(
    log.lines.find((line) => line['event'] === 'password_reset_requested'),
    { outcome: 'sent' },
  );
  t.match(
    log.lines.find((line) => line['event'] === 'password_reset'),
    { outcome: 'changed' },
  );
  t.ok(log.lines.some((line) => line['event'] === 'login_succeeded'));
  t.notOk(log.all.includes(changePasswordId), 'no id');
  t.notMatch(log.all, /a brand new passphrase/, 'no password');
});

// (The Change Password API takes no API key with a changePasswordId: a reset does not depend on one.)
void t.test('FusionAuth refusing the API key is a 503 that says to try again, never a false "sent"', async (t) => {
  const broken = await build({ FUSIONAUTH_API_KEY: 'not-the-key' });
  for (const [path, body] of [
    ['/api/password/forgot', { email: shopper }],
    ['/api/sign-up', { email: 'new-person@example.com', password: newPassword }],
    ['/api/email/resend-verification', { email: shopper }],
  ] as const) {
    const response = await new Browser(broken).send('POST', path, body);
    t.equal(response.statusCode, 503, path);
    t.match(response.json(), { code: 'identity_unavailable', message: /Try again in 5 seconds/ }, path);
  }
});
