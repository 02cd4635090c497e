import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Test } from 'tap';
import t from 'tap';
import { demoPassword, demoUsers } from '../support/demo-users.js';
import { temporaryUser, type TemporaryUser } from '../support/fixtures.js';
import { settle } from '../support/settle.js';
import { contractTarget } from '../support/target.js';

const target = await contractTarget(t);
const { client } = target;

/** An application that, unlike the Store and Forum, lets refresh tokens be exchanged for JWTs. */
async function refreshingApplication(t: Test): Promise<string> {
  const applicationId = randomUUID();
  await client.createApplication(applicationId, {
    application: {
      name: `contract refresh ${applicationId}`,
      loginConfiguration: { generateRefreshTokens: true, allowTokenRefresh: true, requireAuthentication: true },
    },
  });
  t.teardown(async () => {
    await client.deleteApplication(applicationId).catch(() => undefined);
  });
  return applicationId;
}

async function loginFor(user: TemporaryUser, applicationId: string) {
  const { response } = await client.login({ loginId: user.email, password: user.password, applicationId });
  return {
    token: response.token ?? '',
    refreshToken: response.refreshToken ?? '',
    refreshTokenId: response.refreshTokenId ?? '',
  };
}

async function refreshStatus(refreshToken: string): Promise<number | undefined> {
  return (await settle(client.exchangeRefreshTokenForJWT({ refreshToken }))).statusCode;
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('POST /api/jwt/refresh exchanges a refresh token; GET /api/jwt/validate checks a JWT', async (t) => {
  const applicationId = await refreshingApplication(t);
  const user = await temporaryUser(t, target, { applicationId });
  const session = await loginFor(user, applicationId);

  const refreshed = await settle(client.exchangeRefreshTokenForJWT({ refreshToken: session.refreshToken }));
  t.match(refreshed, {
    resolved: true,
    statusCode: 200,
    response: { token: String, refreshToken: session.refreshToken, refreshTokenId: session.refreshTokenId },
  });

  const validated = await settle(client.validateJWT(refreshed.response?.token ?? ''));
  t.match(validated, {
    resolved: true,
    statusCode: 200,
    response: {
      jwt: { sub: user.id, applicationId, authenticationType: 'REFRESH_TOKEN', sid: session.refreshTokenId },
    },
  });
  t.match(await settle(client.validateJWT(`${session.token}x`)), { resolved: false, statusCode: 401 });
  t.match(await settle(client.validateJWT('not-a-jwt')), { resolved: false, statusCode: 401 });

  const unknown = await settle(client.exchangeRefreshTokenForJWT({ refreshToken: 'no-such-refresh-token' }));
  t.match(unknown, { resolved: false, statusCode: 400 });
});

void t.test('GET /api/jwt/validate refuses an expired JWT', async (t) => {
  const store = await client.retrieveApplication(target.storeApplicationId);
  const applicationId = randomUUID();
  await client.createApplication(applicationId, {
    application: {
      name: `contract short tokens ${applicationId}`,
      jwtConfiguration: {
        enabled: true,
        accessTokenKeyId: store.response.application?.jwtConfiguration?.accessTokenKeyId ?? '',
        timeToLiveInSeconds: 3,
        refreshTokenTimeToLiveInMinutes: 60,
      },
    },
  });
  t.teardown(async () => {
    await client.deleteApplication(applicationId).catch(() => undefined);
  });
  const user = await temporaryUser(t, target, { applicationId });
  const { token } = await loginFor(user, applicationId);
  t.match(await settle(client.validateJWT(token)), { resolved: true, statusCode: 200 });
  await sleep(4_100);
  t.match(await settle(client.validateJWT(token)), { resolved: false, statusCode: 401 });
});

void t.test('deactivating a user, or an action that prevents login, revokes its refresh tokens', async (t) => {
  const applicationId = await refreshingApplication(t);
  const deactivated = await temporaryUser(t, target, { applicationId });
  const first = await loginFor(deactivated, applicationId);
  await client.deactivateUser(deactivated.id);
  t.equal(await refreshStatus(first.refreshToken), 400, 'deactivation');

  const actioned = await temporaryUser(t, target, { applicationId });
  const actioner = await temporaryUser(t, target);
  const second = await loginFor(actioned, applicationId);
  const tenant = await client.retrieveTenant(target.tenantId);
  await client.actionUser({
    action: {
      actioneeUserId: actioned.id,
      actionerUserId: actioner.id,
      userActionId: tenant.response.tenant?.failedAuthenticationConfiguration?.userActionId ?? '',
      expiry: Date.now() + 60_000,
    },
  });
  t.equal(await refreshStatus(second.refreshToken), 400, 'a login-preventing action');
});

void t.test(
  'the Store does not allow refreshing JWTs: its refresh tokens only track and revoke sessions',
  async (t) => {
    const { response } = await client.login({
      loginId: demoUsers.shopper,
      password: demoPassword,
      applicationId: target.storeApplicationId,
    });
    t.equal(await refreshStatus(response.refreshToken ?? ''), 400);
    await client.revokeRefreshTokenById(response.refreshTokenId ?? '');
  },
);

void t.test('retrieve and revoke refresh tokens by id, by token, by user and by application', async (t) => {
  const applicationId = await refreshingApplication(t);
  const user = await temporaryUser(t, target, { applicationId });

  const byId = await loginFor(user, applicationId);
  const listed = await settle(client.retrieveRefreshTokens(user.id));
  t.match(listed, {
    resolved: true,
    statusCode: 200,
    response: { refreshTokens: [{ id: byId.refreshTokenId, applicationId, userId: user.id }] },
  });
  t.match(await settle(client.revokeRefreshTokenById(byId.refreshTokenId)), {
    resolved: true,
    statusCode: 200,
    response: undefined,
  });
  t.equal(await refreshStatus(byId.refreshToken), 400, 'revoked by id');

  const byToken = await loginFor(user, applicationId);
  await client.revokeRefreshTokenByToken(byToken.refreshToken);
  t.equal(await refreshStatus(byToken.refreshToken), 400, 'revoked by token');

  const first = await loginFor(user, applicationId);
  const second = await loginFor(user, applicationId);
  await client.revokeRefreshTokensByUserIdForApplication(user.id, applicationId);
  t.equal(await refreshStatus(first.refreshToken), 400, 'revoked for user and application');
  t.equal(await refreshStatus(second.refreshToken), 400, 'revoked for user and application');

  const forUser = await loginFor(user, applicationId);
  await client.revokeRefreshTokensByUserId(user.id);
  t.equal(await refreshStatus(forUser.refreshToken), 400, 'revoked for user');

  const forApplication = await loginFor(user, applicationId);
  await client.revokeRefreshTokensByApplicationId(applicationId);
  t.equal(await refreshStatus(forApplication.refreshToken), 400, 'revoked for application');
  t.same((await client.retrieveRefreshTokens(user.id)).response.refreshTokens, []);
});

void t.test('POST /api/logout in both of the forms the client sends', async (t) => {
  const applicationId = await refreshingApplication(t);
  const user = await temporaryUser(t, target, { applicationId });

  const queryForm = await loginFor(user, applicationId);
  t.match(await settle(client.logout(false, queryForm.refreshToken)), {
    resolved: true,
    statusCode: 200,
    response: undefined,
  });
  t.equal(await refreshStatus(queryForm.refreshToken), 400, 'the query form revokes its refresh token');

  const kept = await loginFor(user, applicationId);
  const jsonForm = await loginFor(user, applicationId);
  t.match(await settle(client.logoutWithRequest({ global: false, refreshToken: jsonForm.refreshToken })), {
    resolved: true,
    statusCode: 200,
  });
  t.equal(await refreshStatus(jsonForm.refreshToken), 400, 'the JSON form revokes its refresh token');
  t.equal(await refreshStatus(kept.refreshToken), 200, 'and only that one');

  const other = await loginFor(user, applicationId);
  await client.logoutWithRequest({ global: true, refreshToken: other.refreshToken });
  t.equal(await refreshStatus(kept.refreshToken), 400, 'global logout revokes every refresh token of the user');

  // The client's typings want a string, but it documents the token as optional and sends "undefined".
  const noToken = await settle(client.logout(false, undefined as unknown as string));
  t.match(noToken, { resolved: true, statusCode: 200 }, 'with no token at all');
});
