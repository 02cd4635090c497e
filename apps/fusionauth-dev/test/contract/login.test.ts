import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Errors, LoginResponse } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import t from 'tap';
import { currentCode, demoPassword, demoUsers, wrongCode } from '../support/demo-users.js';
import { temporaryUser } from '../support/fixtures.js';
import { settle } from '../support/settle.js';
import { clientWithApiKey, contractTarget } from '../support/target.js';

const target = await contractTarget(t);
const { client } = target;
const login = (loginId: string, applicationId: string = target.storeApplicationId, password: string = demoPassword) =>
  settle(client.login({ loginId, password, applicationId, ipAddress: '203.0.113.7' }));

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('200: token, refresh token and the user with its registrations', async (t) => {
  const outcome = await login(demoUsers.shopper);
  t.match(outcome, { resolved: true, statusCode: 200 });
  const body = outcome.response as LoginResponse;
  t.match(body, {
    token: String,
    tokenExpirationInstant: Number,
    refreshToken: String,
    refreshTokenId: /^[0-9a-f-]{36}$/,
    user: { id: String, email: demoUsers.shopper, active: true, verified: true, tenantId: target.tenantId },
  });
  t.same(
    body.user?.registrations?.map((registration) => registration.applicationId).sort(),
    [target.storeApplicationId, target.forumApplicationId].sort(),
  );
  t.notOk('password' in (body.user ?? {}), 'no password material in the user');

  const discovery = await settle(client.retrieveOpenIdConfiguration());
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', target.url));
  const { payload, protectedHeader } = await jwtVerify(body.token ?? '', jwks, {
    audience: target.storeApplicationId,
    issuer: discovery.response?.issuer ?? '',
    algorithms: ['RS256'],
  });
  t.match(protectedHeader, { alg: 'RS256', typ: 'JWT', kid: String });
  t.match(payload, {
    sub: body.user?.id,
    applicationId: target.storeApplicationId,
    authenticationType: 'PASSWORD',
    email: demoUsers.shopper,
    email_verified: true,
    tid: target.tenantId,
    sid: body.refreshTokenId,
    jti: String,
    auth_time: Number,
  });
  t.same(payload['roles'], ['customer'], 'the Store role the kickstart gives by default');
  t.equal((payload.exp ?? 0) * 1000, body.tokenExpirationInstant, 'tokenExpirationInstant is exp in milliseconds');
});

void t.test('200 without an applicationId, and with noJWT', async (t) => {
  const noApplication = await settle(client.login({ loginId: demoUsers.shopper, password: demoPassword }));
  t.match(noApplication, {
    resolved: true,
    statusCode: 200,
    response: { token: String, user: { email: demoUsers.shopper } },
  });
  t.notOk(noApplication.response?.refreshToken, 'refresh tokens belong to an application');

  const noJwt = await settle(
    client.login({
      loginId: demoUsers.shopper,
      password: demoPassword,
      applicationId: target.storeApplicationId,
      noJWT: true,
    }),
  );
  t.match(noJwt, { resolved: true, statusCode: 200, response: { user: { email: demoUsers.shopper } } });
  t.notOk(noJwt.response?.token);
  t.notOk(noJwt.response?.refreshToken);
});

void t.test('an application that waives the API key lets a login through without one', async (t) => {
  const applicationId = randomUUID();
  await client.createApplication(applicationId, {
    application: { name: `contract open login ${applicationId}`, loginConfiguration: { requireAuthentication: false } },
  });
  t.teardown(async () => {
    await client.deleteApplication(applicationId).catch(() => undefined);
  });
  const user = await temporaryUser(t, target, { applicationId });
  const outcome = await settle(
    clientWithApiKey(target, null).login({ loginId: user.email, password: user.password, applicationId }),
  );
  t.match(outcome, { resolved: true, statusCode: 200 });
  const guarded = await settle(
    clientWithApiKey(target, null).login({
      loginId: demoUsers.shopper,
      password: demoPassword,
      applicationId: target.storeApplicationId,
    }),
  );
  t.match(guarded, { resolved: false, statusCode: 401 }, 'the Store still requires it');
});

void t.test('202: authenticated but not registered for the application; resolves like a success', async (t) => {
  const outcome = await login(demoUsers.storeOnly, target.forumApplicationId);
  t.match(outcome, { resolved: true, statusCode: 202, response: { user: { email: demoUsers.storeOnly } } });
  t.notOk(outcome.response?.refreshToken, 'no refresh token for an application the user is not registered for');
  if (outcome.response?.token) {
    const claims = decodeJwt(outcome.response.token);
    t.notOk('applicationId' in claims || 'roles' in claims, 'a token without application claims, if any');
  }
  t.notOk(
    outcome.response?.user?.registrations?.some(
      (registration) => registration.applicationId === target.forumApplicationId,
    ),
  );
});

void t.test('203: password change required, with only the change id and reason', async (t) => {
  const outcome = await login(demoUsers.changeMe);
  t.match(outcome, {
    resolved: true,
    statusCode: 203,
    response: { changePasswordId: String, changePasswordReason: 'Administrative' },
  });
  t.notOk(outcome.response?.token);
  t.notOk(outcome.response?.refreshToken);
});

void t.test('212: email not verified in a tenant that verifies emails', async (t) => {
  const outcome = await login(demoUsers.unverified);
  t.match(outcome, {
    resolved: true,
    statusCode: 212,
    response: { user: { email: demoUsers.unverified, verified: false } },
  });
  t.notOk(outcome.response?.refreshToken);
});

void t.test('213: registration not verified in an application that verifies registrations', async (t) => {
  const templateId = randomUUID();
  await client.createEmailTemplate(templateId, {
    emailTemplate: {
      name: `contract registration verification ${Date.now()}`,
      defaultSubject: 'Confirm your registration',
      defaultHtmlTemplate: '<p>${verificationId}</p>',
      defaultTextTemplate: '${verificationId}',
    },
  });
  t.teardown(async () => {
    await client.deleteEmailTemplate(templateId).catch(() => undefined);
  });
  const applicationId = randomUUID();
  await client.createApplication(applicationId, {
    application: {
      name: `contract verified registrations ${Date.now()}`,
      verifyRegistration: true,
      verificationEmailTemplateId: templateId,
    },
  });
  t.teardown(async () => {
    await client.deleteApplication(applicationId).catch(() => undefined);
  });
  const user = await temporaryUser(t, target, { applicationId: null });
  await client.register(user.id, { registration: { applicationId }, skipRegistrationVerification: false });

  const outcome = await login(user.email, applicationId, user.password);
  t.match(outcome, { resolved: true, statusCode: 213, response: { user: { email: user.email } } });
  t.notOk(outcome.response?.refreshToken);
});

void t.test('242 and the two-factor login: 421 for a wrong code, 200 for the right one, then 404', async (t) => {
  const challenge = await login(demoUsers.mfa);
  t.match(challenge, {
    resolved: true,
    statusCode: 242,
    response: {
      twoFactorId: String,
      methods: [
        { id: String, method: 'authenticator', authenticator: { algorithm: 'HmacSHA1', codeLength: 6, timeStep: 30 } },
      ],
    },
  });
  t.notOk(challenge.response?.token, 'no token before the second factor');
  t.notOk(JSON.stringify(challenge.response).includes('secret'), 'the authenticator secret is never sent');
  const twoFactorId = challenge.response?.twoFactorId ?? '';

  const wrong = await settle(
    client.twoFactorLogin({ twoFactorId, code: wrongCode(), applicationId: target.storeApplicationId }),
  );
  t.match(wrong, { resolved: false, statusCode: 421, exception: undefined });

  const right = await settle(
    client.twoFactorLogin({ twoFactorId, code: currentCode(), applicationId: target.storeApplicationId }),
  );
  t.match(right, {
    resolved: true,
    statusCode: 200,
    response: { token: String, refreshToken: String, refreshTokenId: String, user: { email: demoUsers.mfa } },
  });

  const replayed = await settle(
    client.twoFactorLogin({ twoFactorId, code: currentCode(), applicationId: target.storeApplicationId }),
  );
  t.match(replayed, { resolved: false, statusCode: 404 }, 'a twoFactorId is spent once the login completes');
  const unknown = await settle(client.twoFactorLogin({ twoFactorId: 'no-such-two-factor-id', code: currentCode() }));
  t.match(unknown, { resolved: false, statusCode: 404 });

  const again = await login(demoUsers.mfa);
  const noCode = await settle(client.twoFactorLogin({ twoFactorId: again.response?.twoFactorId ?? '', code: '' }));
  t.match(noCode, { resolved: false, statusCode: 400 });
  t.equal((noCode.exception as Errors).fieldErrors?.['code']?.[0]?.code, '[blank]code');
});

void t.test('400: errors JSON for missing fields and for a body that is not JSON', async (t) => {
  const missing = await settle(client.login({ loginId: '', password: '', applicationId: target.storeApplicationId }));
  t.match(missing, { resolved: false, statusCode: 400 });
  const errors = missing.exception as Errors;
  t.equal(errors.fieldErrors?.['loginId']?.[0]?.code, '[blank]loginId');
  t.equal(errors.fieldErrors?.['password']?.[0]?.code, '[blank]password');

  // The client always sends valid JSON, so a malformed body is sent by hand.
  const response = await fetch(new URL('/api/login', target.url), {
    method: 'POST',
    headers: {
      authorization: target.apiKey,
      'content-type': 'application/json',
      'x-fusionauth-tenantid': target.tenantId,
    },
    body: '{"loginId": "shopper@example.com", "password": ',
  });
  t.equal(response.status, 400);
  t.match(await response.json(), { generalErrors: [{ code: '[invalidJSON]', message: String }] });
});

void t.test('401: a missing or wrong API key, with an empty body', async (t) => {
  const request = { loginId: demoUsers.shopper, password: demoPassword, applicationId: target.storeApplicationId };
  for (const apiKey of [null, 'not-the-api-key']) {
    const outcome = await settle(clientWithApiKey(target, apiKey).login(request));
    t.match(outcome, { resolved: false, statusCode: 401, exception: undefined }, `API key ${apiKey}`);
  }
});

void t.test('404: unknown user and wrong password look the same', async (t) => {
  const unknown = await login('nobody-at-all@example.com');
  const wrongPassword = await login(demoUsers.shopper, target.storeApplicationId, 'not-the-password');
  t.match(unknown, { resolved: false, statusCode: 404, exception: undefined });
  t.match(wrongPassword, { resolved: false, statusCode: 404, exception: undefined });
});

void t.test('409: a user action that prevents login, listed in actions', async (t) => {
  const outcome = await login(demoUsers.locked);
  t.match(outcome, { resolved: false, statusCode: 409 });
  t.match(outcome.exception, { actions: [{ actionId: String, name: 'Suspended', expiry: Number }] });
});

void t.test("409 after the tenant's number of failed attempts: the lockout action", async (t) => {
  const user = await temporaryUser(t, target);
  for (let attempt = 1; attempt <= 5; attempt += 1) {
    const failed = await login(user.email, target.storeApplicationId, 'not-the-password');
    t.equal(failed.statusCode, 404, `failed attempt ${attempt} is a plain 404`);
  }
  const locked = await login(user.email, target.storeApplicationId, user.password);
  t.match(locked, { resolved: false, statusCode: 409 });
  t.match(locked.exception, { actions: [{ name: 'Locked after failed logins', expiry: Number }] });
  const wrongWhileLocked = await login(user.email, target.storeApplicationId, 'not-the-password');
  t.match(wrongWhileLocked, { resolved: false, statusCode: 409 }, 'a wrong password while locked is 409 too');
});

void t.test('410: an expired user', async (t) => {
  const user = await temporaryUser(t, target, { user: { expiry: Date.now() + 1_500 } });
  await sleep(2_000);
  t.match(await login(user.email, target.storeApplicationId, user.password), {
    resolved: false,
    statusCode: 410,
    exception: undefined,
  });
});

void t.test('423: a deactivated (locked) user, whatever the password', async (t) => {
  const user = await temporaryUser(t, target);
  await client.deactivateUser(user.id);
  t.match(await login(user.email, target.storeApplicationId, user.password), {
    resolved: false,
    statusCode: 423,
    exception: undefined,
  });
  t.match(await login(user.email, target.storeApplicationId, 'not-the-password'), { resolved: false, statusCode: 423 });
});
