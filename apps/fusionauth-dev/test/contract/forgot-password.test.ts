import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Errors, FusionAuthClient } from '@fusionauth/typescript-client';
import { decodeJwt } from 'jose';
import t from 'tap';
import {
  loginChangePasswordIdImplicitTrust,
  oneTimePasswordAuthenticationType,
  oneTimePasswordWithoutApplication,
  rememberedPasswordsIncludeCurrent,
} from '../../src/users/assumptions.js';
import { currentCode } from '../support/demo-users.js';
import { deleteUserAfter, temporaryUser, tenantWithApplication, type TemporaryUser } from '../support/fixtures.js';
import { settle, type Settled } from '../support/settle.js';
import { clientWithApiKey, contractTarget } from '../support/target.js';

const target = await contractTarget(t);
const { client } = target;
const anonymous = clientWithApiKey(target, null);
const newPassword = () => `new-${randomUUID()}`;

/** A `changePasswordId` from the Forgot Password API, with no email sent. */
async function changePasswordIdFor(loginId: string, on: FusionAuthClient = client): Promise<string> {
  const started = await on.forgotPassword({ loginId, sendForgotPasswordEmail: false });
  return started.response.changePasswordId ?? '';
}

const loginStatus = async (user: TemporaryUser, password: string, on: FusionAuthClient = client) =>
  (await settle(on.login({ loginId: user.email, password, applicationId: target.storeApplicationId }))).statusCode;

const generalCodes = (outcome: Settled<unknown>) =>
  ((outcome.exception as Errors | undefined)?.generalErrors ?? []).map((error) => error.code);
const fieldCodes = (outcome: Settled<unknown>, field: string) =>
  ((outcome.exception as Errors | undefined)?.fieldErrors?.[field] ?? []).map((error) => error.code);

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test(
  'forgot password, then change it: the id, a one-time password for one login, and the id spent',
  async (t) => {
    const user = await temporaryUser(t, target);
    const started = await settle(
      client.forgotPassword({
        loginId: user.email,
        applicationId: target.storeApplicationId,
        sendForgotPasswordEmail: false,
      }),
    );
    t.match(started, { resolved: true, statusCode: 200, response: { changePasswordId: String } });
    const changePasswordId = started.response?.changePasswordId ?? '';

    t.match(await settle(anonymous.checkChangePasswordUsingId(changePasswordId)), { resolved: true, statusCode: 200 });

    const password = newPassword();
    const changed = await settle(
      anonymous.changePassword(changePasswordId, { password, applicationId: target.storeApplicationId }),
    );
    t.match(changed, { resolved: true, statusCode: 200, response: { oneTimePassword: String } });

    const oneTimePassword = changed.response?.oneTimePassword ?? '';
    const withOneTimePassword = await settle(
      client.login({ oneTimePassword, applicationId: target.storeApplicationId }),
    );
    t.match(withOneTimePassword, {
      resolved: true,
      statusCode: 200,
      response: { token: String, refreshToken: String, user: { id: user.id, email: user.email } },
    });
    t.equal(
      decodeJwt(withOneTimePassword.response?.token ?? '')['authenticationType'],
      oneTimePasswordAuthenticationType,
    );
    t.match(
      await settle(client.login({ oneTimePassword, applicationId: target.storeApplicationId })),
      { resolved: false, statusCode: 404 },
      'a one-time password works once',
    );

    t.equal(await loginStatus(user, user.password), 404, 'the old password is gone');
    t.equal(await loginStatus(user, password), 200, 'the new one signs in');
    t.match(
      await settle(anonymous.changePassword(changePasswordId, { password: newPassword() })),
      { resolved: false, statusCode: 404 },
      'the id is spent',
    );
    t.match(await settle(anonymous.checkChangePasswordUsingId(changePasswordId)), { resolved: false, statusCode: 404 });
  },
);

void t.test('404 for a change-password id nobody issued, on both the check and the change', async (t) => {
  const unknown = `unknown-${randomUUID()}`;
  t.match(await settle(anonymous.checkChangePasswordUsingId(unknown)), {
    resolved: false,
    statusCode: 404,
    exception: undefined,
  });
  t.match(await settle(anonymous.changePassword(unknown, { password: newPassword() })), {
    resolved: false,
    statusCode: 404,
    exception: undefined,
  });
});

void t.test("400: a blank password or one the tenant's rules refuse, and the id stays good", async (t) => {
  const user = await temporaryUser(t, target);
  const changePasswordId = await changePasswordIdFor(user.email);
  const blank = await settle(anonymous.changePassword(changePasswordId, { password: '' }));
  t.match(blank, { resolved: false, statusCode: 400 });
  t.same(fieldCodes(blank, 'password'), ['[blank]password']);
  const short = await settle(anonymous.changePassword(changePasswordId, { password: 'short' }));
  t.match(short, { resolved: false, statusCode: 400 });
  t.same(fieldCodes(short, 'password'), ['[tooShort]password']);
  const changed = await settle(anonymous.changePassword(changePasswordId, { password: newPassword() }));
  t.match(changed, { resolved: true, statusCode: 200 });
  t.equal(
    typeof changed.response?.oneTimePassword === 'string',
    oneTimePasswordWithoutApplication,
    'a one-time password without an applicationId',
  );
});

void t.test('the change ends the refresh tokens and every other outstanding id of the user', async (t) => {
  const user = await temporaryUser(t, target);
  const signedIn = await client.login({
    loginId: user.email,
    password: user.password,
    applicationId: target.storeApplicationId,
  });
  const refreshToken = signedIn.response.refreshToken ?? '';
  const first = await changePasswordIdFor(user.email);
  const second = await changePasswordIdFor(user.email);
  t.not(first, second);

  t.match(await settle(anonymous.changePassword(second, { password: newPassword() })), { statusCode: 200 });
  t.match(await settle(anonymous.checkChangePasswordUsingId(first)), { statusCode: 404 }, 'the other id is gone');
  const listed = await client.retrieveRefreshTokens(user.id);
  t.notOk(
    listed.response.refreshTokens?.some((token) => token.id === signedIn.response.refreshTokenId),
    'the refresh token is revoked',
  );
  t.ok(refreshToken, 'there was one');
});

void t.test('sending the email (the default): 200 with the id; without an API key, 200 with no body', async (t) => {
  const user = await temporaryUser(t, target);
  const withKey = await settle(
    client.forgotPassword({ loginId: user.email, applicationId: target.forumApplicationId }),
  );
  t.match(withKey, { resolved: true, statusCode: 200, response: { changePasswordId: String } });
  const withoutKey = await settle(anonymous.forgotPassword({ loginId: user.email }));
  t.match(withoutKey, { resolved: true, statusCode: 200, response: undefined });
});

void t.test('an unknown login id: 404 with an API key, and without one the same 200 as for anybody', async (t) => {
  const loginId = `nobody-${randomUUID()}@example.com`;
  t.match(await settle(client.forgotPassword({ loginId, sendForgotPasswordEmail: false })), {
    resolved: false,
    statusCode: 404,
  });
  t.match(await settle(anonymous.forgotPassword({ loginId })), {
    resolved: true,
    statusCode: 200,
    response: undefined,
  });
});

void t.test('400: no login id', async (t) => {
  const outcome = await settle(client.forgotPassword({ loginId: '', sendForgotPasswordEmail: false }));
  t.match(outcome, { resolved: false, statusCode: 400 });
  t.same(fieldCodes(outcome, 'loginId'), ['[blank]loginId']);
});

void t.test('422: a user with no email address to send it to', async (t) => {
  const id = randomUUID();
  const username = `contract-${id}`;
  deleteUserAfter(t, client, id);
  await client.createUser(id, { user: { username, password: 'a-long-enough-password' }, skipVerification: true });
  t.match(await settle(client.forgotPassword({ loginId: username })), { resolved: false, statusCode: 422 });
  t.match(
    await settle(client.forgotPassword({ loginId: username, sendForgotPasswordEmail: false })),
    { resolved: true, statusCode: 200, response: { changePasswordId: String } },
    'without the email, the workflow starts',
  );
});

void t.test('403 in a tenant with no forgot-password email template, unless no email is to be sent', async (t) => {
  const tenant = await tenantWithApplication(t, target);
  const user = await temporaryUser(t, { ...target, client: tenant.client }, { applicationId: tenant.applicationId });
  t.match(await settle(tenant.client.forgotPassword({ loginId: user.email })), {
    resolved: false,
    statusCode: 403,
    exception: undefined,
  });
  t.match(await settle(tenant.client.forgotPassword({ loginId: user.email, sendForgotPasswordEmail: false })), {
    resolved: true,
    statusCode: 200,
    response: { changePasswordId: String },
  });
});

void t.test("the id lives the tenant's changePasswordIdTimeToLiveInSeconds", async (t) => {
  const tenant = await tenantWithApplication(t, target, {
    externalIdentifierConfiguration: { changePasswordIdTimeToLiveInSeconds: 1 },
  });
  const user = await temporaryUser(t, { ...target, client: tenant.client }, { applicationId: tenant.applicationId });
  const changePasswordId = await changePasswordIdFor(user.email, tenant.client);
  await sleep(2_000);
  const tenantAnonymous = clientWithApiKey({ ...target, tenantId: tenant.id }, null);
  t.match(await settle(tenantAnonymous.checkChangePasswordUsingId(changePasswordId)), { statusCode: 404 });
  t.match(await settle(tenantAnonymous.changePassword(changePasswordId, { password: newPassword() })), {
    statusCode: 404,
  });
});

void t.test(
  '203: the login hands out a changePasswordId, and changing the password clears the requirement',
  async (t) => {
    const user = await temporaryUser(t, target, { user: { passwordChangeRequired: true } });
    const required = await settle(
      client.login({ loginId: user.email, password: user.password, applicationId: target.storeApplicationId }),
    );
    t.match(required, { resolved: true, statusCode: 203, response: { changePasswordId: String } });

    const password = newPassword();
    const changed = await settle(
      anonymous.changePassword(required.response?.changePasswordId ?? '', {
        password,
        applicationId: target.storeApplicationId,
      }),
    );
    t.match(changed, { resolved: true, statusCode: 200, response: { oneTimePassword: String } });
    t.equal(await loginStatus(user, password), 200, 'the next login is a normal one');
    t.equal((await client.retrieveUser(user.id)).response.user?.passwordChangeRequired, false);
  },
);

void t.test("400 [previouslyUsed]password: a tenant's rememberPreviousPasswords", async (t) => {
  const tenant = await tenantWithApplication(t, target, {
    passwordValidationRules: { rememberPreviousPasswords: { enabled: true, count: 2 } },
  });
  const user = await temporaryUser(t, { ...target, client: tenant.client }, { applicationId: tenant.applicationId });
  const tenantAnonymous = clientWithApiKey({ ...target, tenantId: tenant.id }, null);
  const second = newPassword();
  t.match(
    await settle(
      tenantAnonymous.changePassword(await changePasswordIdFor(user.email, tenant.client), { password: second }),
    ),
    { statusCode: 200 },
  );
  const again = await settle(
    tenantAnonymous.changePassword(await changePasswordIdFor(user.email, tenant.client), { password: user.password }),
  );
  t.match(again, { resolved: false, statusCode: 400 });
  t.same(fieldCodes(again, 'password'), ['[previouslyUsed]password'], 'the first password is remembered');
});

void t.test('rememberPreviousPasswords with a count of 1: whether the current password counts', async (t) => {
  const tenant = await tenantWithApplication(t, target, {
    passwordValidationRules: { rememberPreviousPasswords: { enabled: true, count: 1 } },
  });
  const user = await temporaryUser(t, { ...target, client: tenant.client }, { applicationId: tenant.applicationId });
  const tenantAnonymous = clientWithApiKey({ ...target, tenantId: tenant.id }, null);
  const same = await settle(
    tenantAnonymous.changePassword(await changePasswordIdFor(user.email, tenant.client), { password: user.password }),
  );
  t.equal(same.statusCode, rememberedPasswordsIncludeCurrent ? 400 : 200);
});

void t.test('a 203 after the second factor: its changePasswordId needs no trust token', async (t) => {
  const user = await temporaryUser(t, target, {
    user: {
      passwordChangeRequired: true,
      twoFactor: { methods: [{ method: 'authenticator', secret: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=' }] },
    },
  });
  const challenge = await client.login({
    loginId: user.email,
    password: user.password,
    applicationId: target.storeApplicationId,
  });
  t.equal(challenge.statusCode, 242);
  const required = await settle(
    client.twoFactorLogin({
      twoFactorId: challenge.response.twoFactorId ?? '',
      code: currentCode(),
      applicationId: target.storeApplicationId,
    }),
  );
  t.match(required, { statusCode: 203, response: { changePasswordId: String } });
  const changed = await settle(
    anonymous.changePassword(required.response?.changePasswordId ?? '', {
      password: newPassword(),
      applicationId: target.storeApplicationId,
    }),
  );
  t.equal(changed.statusCode, loginChangePasswordIdImplicitTrust ? 200 : 400);
});

void t.test('400 [TrustTokenRequired] for a user with a second factor resetting a forgotten password', async (t) => {
  const user = await temporaryUser(t, target, {
    user: { twoFactor: { methods: [{ method: 'authenticator', secret: 'MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=' }] } },
  });
  const changePasswordId = await changePasswordIdFor(user.email);
  const checked = await settle(anonymous.checkChangePasswordUsingId(changePasswordId));
  t.match(checked, { resolved: false, statusCode: 400 });
  t.same(generalCodes(checked), ['[TrustTokenRequired]']);
  const changed = await settle(anonymous.changePassword(changePasswordId, { password: newPassword() }));
  t.match(changed, { resolved: false, statusCode: 400 });
  t.same(generalCodes(changed), ['[TrustTokenRequired]']);
});
