import { randomUUID } from 'node:crypto';
import { Browser, LogCapture } from '@native-login/test-support';
import t from 'tap';
import { accountFixture } from '../support/account-fixture.js';

const { app, standIn, build, limitedApp } = await accountFixture(t);
const newEmail = () => `new-${randomUUID()}@example.com`;
const password = 'a long enough passphrase';
const checkEmail = (email: string) => ({
  code: 'check_email',
  message: `We have sent a link to ${email}. Open it to finish creating your account.`,
});

void t.test('sign up, verify the address from the email, then sign in', async (t) => {
  const email = newEmail();
  const browser = new Browser(app);
  const signUp = await browser.send('POST', '/api/sign-up', { email, password, firstName: 'Nia', lastName: 'New' });
  t.equal(signUp.statusCode, 202);
  t.same(signUp.json(), checkEmail(email));
  t.notOk(browser.jar.get('store_session'), 'no session: the address is not verified yet');

  t.match((await browser.login(email, password)).json(), { code: 'email_not_verified' }, 'verification first');
  const verificationId = standIn.emailedId(email, '/verify-email');
  t.ok(verificationId, "FusionAuth's verification email links to the app's verify page");
  const verified = await browser.send('POST', '/api/email/verify', { verificationId });
  t.equal(verified.statusCode, 200);
  t.same(verified.json(), { code: 'email_verified', message: 'Your email address is verified. You can sign in now.' });

  const login = await browser.login(email, password);
  t.equal(login.statusCode, 200);
  t.match(login.json(), { user: { email, firstName: 'Nia', lastName: 'New', roles: [] } });
});

void t.test('the account is registered for this app only', async (t) => {
  const email = newEmail();
  await new Browser(app).send('POST', '/api/sign-up', { email, password });
  const { response } = await standIn.client.retrieveUserByEmail(email);
  t.same(
    response.user?.registrations?.map((registration) => registration.applicationId),
    [standIn.storeApplicationId],
  );
  t.equal(response.user?.verified, false);
});

void t.test('an address that has an account gets the same answer, and its owner a reset email', async (t) => {
  const taken = 'shopper@example.com';
  const before = standIn.emailsTo(taken).length;
  const response = await new Browser(app).send('POST', '/api/sign-up', { email: taken, password });
  t.equal(response.statusCode, 202);
  t.same(response.json(), checkEmail(taken), 'the words of a new account');
  t.equal(standIn.emailsTo(taken).length, before + 1);
  t.ok(standIn.emailedId(taken, '/reset-password'), 'the owner is sent a way back in');
  t.equal((await new Browser(app).login(taken)).statusCode, 200, 'the account is untouched');
});

void t.test("FusionAuth's password rules come back in words, the same for taken and new addresses", async (t) => {
  for (const email of [newEmail(), 'shopper@example.com']) {
    const response = await new Browser(app).send('POST', '/api/sign-up', { email, password: 'short' });
    t.equal(response.statusCode, 400, email);
    t.same(response.json(), { code: 'password_rejected', message: 'Use at least 8 characters.' }, email);
  }
});

void t.test('bad input is refused before FusionAuth hears of it', async (t) => {
  for (const [body, message] of [
    [{ email: 'not an address', password }, 'body.email: enter your email address'],
    [{ email: newEmail(), password: '' }, 'body.password: choose a password'],
    [{ email: newEmail(), password, firstName: 'x'.repeat(101) }, 'body.firstName: use at most 100 characters'],
  ] as const) {
    const response = await new Browser(app).send('POST', '/api/sign-up', body);
    t.equal(response.statusCode, 400);
    t.same(response.json(), { code: 'validation_failed', message });
  }
});

void t.test('sign-ups are limited per address: each one sends an email', async (t) => {
  const limited = await limitedApp({ ACCOUNT_EMAILS_PER_ADDRESS: '2' }, 'email-limits');
  const email = newEmail();
  const statuses: number[] = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    statuses.push((await new Browser(limited).send('POST', '/api/sign-up', { email, password })).statusCode);
  }
  t.same(statuses, [202, 202, 429]);
});

void t.test('the log tells what happened, without the password', async (t) => {
  const log = new LogCapture();
  const logged = await build({ LOG_LEVEL: 'info' }, { logStream: log });
  await new Browser(logged).send('POST', '/api/sign-up', { email: newEmail(), password });
  await new Browser(logged).send('POST', '/api/sign-up', { email: 'shopper@example.com', password });
  t.match(
    log.lines.filter((line) => line['event'] === 'sign_up'),
    [
      { outcome: 'created', userId: String },
      { outcome: 'email_taken', reset: 'sent' },
    ],
  );
  t.notMatch(log.all, /a long enough passphrase/, 'no password');
});
