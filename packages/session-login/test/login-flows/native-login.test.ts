import { randomUUID } from 'node:crypto';
import { Browser, startStandIn } from '@native-login/test-support';
import t from 'tap';
import { notesFixture } from '../support/notes-app.js';
import { sessionKey } from '../support/redis.js';
import { invalidCredentials, mfaTotp } from '../support/sign-in.js';

const fixture = await notesFixture(t);
const app = await fixture.build();
const sessionKeys = () => fixture.redis.keys(`${fixture.redis.keyPrefix}session:*`);

void t.test('200: a session, its cookie, and the user snapshot with Store roles only', async (t) => {
  const browser = new Browser(app);
  const response = await browser.login('shopper@example.com');
  t.equal(response.statusCode, 200);
  t.same(response.json(), {
    user: {
      id: 'cf367aca-b9b3-4b55-9f14-75469b3a01db',
      email: 'shopper@example.com',
      firstName: 'Sam',
      lastName: 'Shopper',
      roles: ['customer'],
    },
  });
  t.ok(browser.jar.get('store_session'), 'the Store cookie is set');
  t.notOk(response.body.includes(browser.jar.get('store_session') ?? '-'), 'the id is never in a body');
  const me = await browser.send('GET', '/api/user');
  t.equal(me.statusCode, 200);
  t.match(me.json(), {
    user: { email: 'shopper@example.com' },
    session: { expiresAt: String, absoluteExpiresAt: String },
  });
});

void t.test('login ids are trimmed and emails match whatever their case', async (t) => {
  const response = await new Browser(app).login('  Shopper@Example.com ');
  t.equal(response.statusCode, 200);
});

void t.test('every refusal FusionAuth reports after the password is named, and creates no session', async (t) => {
  const before = (await sessionKeys()).length;
  // (A required password change is a step of its own: test/account-flows/password-change-required.test.ts.)
  for (const [email, code, status] of [['unverified@example.com', 'email_not_verified', 403]] as const) {
    const browser = new Browser(app);
    const response = await browser.login(email);
    t.equal(response.statusCode, status, email);
    t.match(response.json(), { code, message: String });
    t.notOk(browser.jar.get('store_session'), `${email}: no cookie`);
  }
  t.equal((await sessionKeys()).length, before, 'nothing stored');
});

void t.test('202 from FusionAuth (not registered) is a 403 that names the app, never a session', async (t) => {
  // storeonly is registered for the Store; a Forum-only user is made for this test.
  const { email } = await fixture.standIn.registerUser({ applicationId: fixture.standIn.forumApplicationId });
  const browser = new Browser(app);
  const response = await browser.login(email);
  t.equal(response.statusCode, 403);
  t.same(response.json(), {
    code: 'not_registered',
    message: 'Your account exists, but it is not registered for the Store.',
  });
  t.notOk(browser.jar.get('store_session'));
});

void t.test('213 from FusionAuth (registration not verified) is a 403', async (t) => {
  const { client } = fixture.standIn;
  const templateId = randomUUID();
  await client.createEmailTemplate(templateId, {
    emailTemplate: { name: 'verify', defaultSubject: 'Verify', defaultHtmlTemplate: 'x', defaultTextTemplate: 'x' },
  });
  const applicationId = randomUUID();
  await client.createApplication(applicationId, {
    application: { name: 'Verifying store', verifyRegistration: true, verificationEmailTemplateId: templateId },
  });
  const { email } = await fixture.standIn.registerUser({ applicationId, skipRegistrationVerification: false });
  const verifyingApp = await fixture.build({ STORE_APPLICATION_ID: applicationId });
  const response = await new Browser(verifyingApp).login(email);
  t.equal(response.statusCode, 403);
  t.match(response.json(), { code: 'registration_not_verified', message: /Store registration has not been verified/ });
});

void t.test('404, 409, 410 and 423 all look the same: 401 invalid_credentials', async (t) => {
  const { standIn } = fixture;
  const { email: expiring } = await standIn.registerUser({
    applicationId: standIn.storeApplicationId,
    user: { expiry: Date.now() + 500 },
  });
  const { id: deactivatedId, email: deactivated } = await standIn.registerUser({
    applicationId: standIn.storeApplicationId,
  });
  await standIn.client.deactivateUser(deactivatedId);
  await new Promise((resolve) => setTimeout(resolve, 600));

  const attempts = {
    'unknown user (404)': ['nobody@example.com', 'password123'],
    'wrong password (404)': ['shopper@example.com', 'wrong-password'],
    'login prevented by an action (409)': ['locked@example.com', 'password123'],
    'expired user (410)': [expiring, 'password123'],
    'locked user (423)': [deactivated, 'password123'],
  };
  for (const [label, [loginId, password]] of Object.entries(attempts)) {
    const browser = new Browser(app);
    const response = await browser.login(loginId ?? '', password);
    t.equal(response.statusCode, 401, label);
    t.same(response.json(), invalidCredentials, `${label}: the same body`);
    t.notOk(browser.jar.get('store_session'), `${label}: no cookie`);
  }
});

void t.test(
  'no enumeration: unknown, wrong password, locked, expired and action-prevented look and time alike',
  async (t) => {
    const { standIn } = fixture;
    const store = standIn.storeApplicationId;
    const { email: expiring } = await standIn.registerUser({
      applicationId: store,
      user: { expiry: Date.now() + 300 },
    });
    // A user of this test's own: its wrong passwords soon lock it in FusionAuth too, which must not show.
    const { email: wrongPasswordEmail } = await standIn.registerUser({ applicationId: store });
    const locked = await standIn.registerUser({ applicationId: store });
    await standIn.client.deactivateUser(locked.id);
    await new Promise((resolve) => setTimeout(resolve, 400));

    const cases: Record<string, [string, string]> = {
      'unknown user': ['nobody-at-all@example.com', 'password123'],
      'wrong password': [wrongPasswordEmail, 'not-the-password'],
      'locked (423)': [locked.email, 'password123'],
      'expired (410)': [expiring, 'password123'],
      'action prevents login (409)': ['locked@example.com', 'password123'],
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
    const times: Record<string, number[]> = {};
    const bodies = new Set<string>();
    // Interleaved rounds, so that whatever else the machine does falls on every case alike.
    for (let round = 0; round < 25; round += 1) {
      for (const [label, [loginId, password]] of Object.entries(cases)) {
        const started = process.hrtime.bigint();
        const response = await new Browser(app).login(loginId, password);
        (times[label] ??= []).push(Number(process.hrtime.bigint() - started) / 1e6);
        bodies.add(`${response.statusCode} ${response.body}`);
      }
    }
    t.equal(bodies.size, 1, `one status and body for all: ${[...bodies][0]}`);
    const medians = Object.fromEntries(Object.entries(times).map(([label, values]) => [label, median(values)]));
    const spread = Math.max(...Object.values(medians)) - Math.min(...Object.values(medians));
    t.ok(spread < 5, `medians within 5 ms of each other: ${JSON.stringify(medians)}`);
  },
);

void t.test('242: the second factor, with the twoFactorId kept on the server', async (t) => {
  const browser = new Browser(app);
  const challenge = await browser.login('mfa@example.com');
  t.equal(challenge.statusCode, 202);
  t.match(challenge.json(), { code: 'two_factor_required', methods: [{ method: 'authenticator' }] });
  t.notOk('twoFactorId' in challenge.json(), 'the twoFactorId never reaches the browser');
  const preLogin = browser.jar.get('store_session');
  t.ok(preLogin, 'a short-lived pre-login cookie ties the attempt to this browser');
  t.equal((await browser.send('GET', '/api/user')).statusCode, 401, 'a pre-login session is not signed in');
  t.equal((await browser.send('GET', '/api/notes')).statusCode, 401);
  const ttl = await fixture.redis.client.pttl(sessionKey(fixture.redis, preLogin));
  t.ok(ttl > 0 && ttl <= 5 * 60_000, 'the pre-login record expires with the twoFactorId');

  const wrong = await browser.send('POST', '/api/login/two-factor', {
    code: mfaTotp.generate({ timestamp: Date.now() - 10 * 60_000 }),
  });
  t.equal(wrong.statusCode, 401);
  t.match(wrong.json(), { code: 'invalid_code' });

  const right = await browser.send('POST', '/api/login/two-factor', { code: mfaTotp.generate() });
  t.equal(right.statusCode, 200);
  t.match(right.json(), { user: { email: 'mfa@example.com', roles: ['customer'] } });
  t.not(browser.jar.get('store_session'), preLogin, 'signing in gives a fresh id');
  t.equal((await browser.send('GET', '/api/user')).statusCode, 200);

  const replayed = new Browser(app);
  replayed.jar.set('store_session', preLogin ?? '');
  const second = await replayed.send('POST', '/api/login/two-factor', { code: mfaTotp.generate() });
  t.equal(second.statusCode, 401, 'the pre-login cookie is dead after login');
  t.match(second.json(), { code: 'two_factor_expired' });
  t.equal((await replayed.send('GET', '/api/user')).statusCode, 401);
});

void t.test('two-factor: no pending attempt, an expired one, and bad codes', async (t) => {
  const stranger = await new Browser(app).send('POST', '/api/login/two-factor', { code: '123456' });
  t.equal(stranger.statusCode, 401);
  t.match(stranger.json(), { code: 'two_factor_expired' });

  const browser = new Browser(app);
  await browser.login('mfa@example.com');
  for (const code of ['12345', 'abcdef', 123456, '']) {
    const response = await browser.send('POST', '/api/login/two-factor', { code });
    t.equal(response.statusCode, 400, `code ${JSON.stringify(code)}`);
    t.match(response.json(), { code: 'validation_failed' });
  }
});

void t.test('FusionAuth no longer knowing the twoFactorId (its 404) ends the attempt', async (t) => {
  // A stand-in of this test's own, restarted (reset) to forget every pending second factor.
  const standIn = await startStandIn(t);
  const forgetful = await fixture.build({
    FUSIONAUTH_URL: standIn.url,
    FUSIONAUTH_API_KEY: standIn.apiKey,
    FUSIONAUTH_TENANT_ID: standIn.tenantId,
  });
  const browser = new Browser(forgetful);
  t.equal((await browser.login('mfa@example.com')).statusCode, 202);
  await standIn.reset();
  const expired = await browser.send('POST', '/api/login/two-factor', { code: mfaTotp.generate() });
  t.equal(expired.statusCode, 401);
  t.match(expired.json(), { code: 'two_factor_expired' });
  t.notOk(browser.jar.get('store_session'), 'and its cookie is cleared');
});

void t.test('five wrong codes end the attempt: the code cannot be guessed within one password entry', async (t) => {
  const browser = new Browser(app);
  await browser.login('mfa@example.com');
  const wrong = mfaTotp.generate({ timestamp: Date.now() - 10 * 60_000 });
  for (let attempt = 1; attempt < 5; attempt += 1) {
    const response = await browser.send('POST', '/api/login/two-factor', { code: wrong });
    t.match(response.json(), { code: 'invalid_code' }, `attempt ${attempt}`);
  }
  const fifth = await browser.send('POST', '/api/login/two-factor', { code: wrong });
  t.equal(fifth.statusCode, 401);
  t.same(fifth.json(), {
    code: 'too_many_codes',
    message: 'Too many wrong codes. Please enter your email address and password again.',
  });
  t.notOk(browser.jar.get('store_session'), 'the pre-login session is over');
  const late = await browser.send('POST', '/api/login/two-factor', { code: mfaTotp.generate() });
  t.match(late.json(), { code: 'two_factor_expired' }, 'even the right code is too late now');
});

void t.test('a new login replaces the session the browser had: the old id is dead', async (t) => {
  const browser = new Browser(app);
  await browser.login('storeonly@example.com');
  const first = browser.jar.get('store_session') ?? '';
  await browser.login('shopper@example.com');
  const second = browser.jar.get('store_session') ?? '';
  t.not(first, second);
  const stale = new Browser(app);
  stale.jar.set('store_session', first);
  t.equal((await stale.send('GET', '/api/user')).statusCode, 401, 'the earlier id was destroyed, not reused');
});

void t.test('bad credentials payloads are 400 validation_failed', async (t) => {
  for (const body of [
    {},
    { loginId: 'a@example.com' },
    { password: 'x' },
    { loginId: '', password: 'x' },
    { loginId: 5, password: 'x' },
    { loginId: 'a'.repeat(400), password: 'x' },
  ]) {
    const response = await new Browser(app).send('POST', '/api/login', body);
    t.equal(response.statusCode, 400, JSON.stringify(body).slice(0, 60));
    t.match(response.json(), { code: 'validation_failed', message: /^body/ });
  }
});
