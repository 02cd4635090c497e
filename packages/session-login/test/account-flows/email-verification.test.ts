import { Browser } from '@native-login/test-support';
import t from 'tap';
import { accountFixture } from '../support/account-fixture.js';

const { app, standIn, limitedApp } = await accountFixture(t);
t.beforeEach(() => standIn.reset());

const unverified = 'unverified@example.com';
const resent = (email: string) => ({
  code: 'check_email',
  message: `If ${email} is waiting to be verified, we have sent it a new link.`,
});

void t.test('email not verified: resend, verify from the new email, then sign in', async (t) => {
  const browser = new Browser(app);
  t.match((await browser.login(unverified)).json(), { code: 'email_not_verified' });
  const resend = await browser.send('POST', '/api/email/resend-verification', { email: unverified });
  t.equal(resend.statusCode, 202);
  t.same(resend.json(), resent(unverified));
  const verificationId = standIn.emailedId(unverified, '/verify-email');
  t.ok(verificationId);
  const verified = await browser.send('POST', '/api/email/verify', { verificationId });
  t.equal(verified.statusCode, 200);
  t.equal((await browser.login(unverified)).statusCode, 200);
});

void t.test('a verification link works once; made-up and spent ones are expired', async (t) => {
  await new Browser(app).send('POST', '/api/email/resend-verification', { email: unverified });
  const verificationId = standIn.emailedId(unverified, '/verify-email');
  t.equal((await new Browser(app).send('POST', '/api/email/verify', { verificationId })).statusCode, 200);
  for (const id of [verificationId, 'made-up-id']) {
    const response = await new Browser(app).send('POST', '/api/email/verify', { verificationId: id });
    t.equal(response.statusCode, 400);
    t.same(response.json(), {
      code: 'link_expired',
      message: 'This link has expired or has been used already. Ask for a new one below.',
    });
  }
});

void t.test('an unknown address is answered like a known one, and sent nothing', async (t) => {
  const unknown = 'nobody-here@example.com';
  const response = await new Browser(app).send('POST', '/api/email/resend-verification', { email: unknown });
  t.equal(response.statusCode, 202);
  t.same(response.json(), resent(unknown));
  t.same(standIn.emailsTo(unknown), []);
});

void t.test('verification emails are limited per address', async (t) => {
  const limited = await limitedApp({ ACCOUNT_EMAILS_PER_ADDRESS: '1' }, 'email-limits');
  const ask = () => new Browser(limited).send('POST', '/api/email/resend-verification', { email: unverified });
  t.same([(await ask()).statusCode, (await ask()).statusCode], [202, 429]);
});

void t.test('verifying starts no session', async (t) => {
  const browser = new Browser(app);
  await browser.send('POST', '/api/email/resend-verification', { email: unverified });
  await browser.send('POST', '/api/email/verify', { verificationId: standIn.emailedId(unverified, '/verify-email') });
  t.notOk(browser.jar.get('store_session'));
  t.equal((await browser.send('GET', '/api/user')).statusCode, 401);
});
