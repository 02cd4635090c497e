import { randomUUID } from 'node:crypto';
import {
  ClientAuthenticationPolicy,
  FusionAuthClient,
  GrantType,
  LogoutBehavior,
  Oauth2AuthorizedURLValidationPolicy,
  OAuthScopeHandlingPolicy,
  ProofKeyForCodeExchangePolicy,
  UnknownScopePolicy,
  type Errors,
  type OAuth2Configuration,
} from '@fusionauth/typescript-client';
import t from 'tap';
import { defaultEnabledGrants } from '../../src/oauth/assumptions.js';
import { demoUsers } from '../support/demo-users.js';
import { temporaryUser } from '../support/fixtures.js';
import { settle } from '../support/settle.js';
import { clientWithApiKey, contractTarget } from '../support/target.js';

const target = await contractTarget(t);
const { client } = target;

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('users: create, retrieve by id, email and login id, patch, deactivate, delete', async (t) => {
  const id = randomUUID();
  const email = `contract-${id}@example.com`;
  const created = await settle(
    client.createUser(id, { user: { email, password: 'a-long-password', firstName: 'Ann' }, skipVerification: true }),
  );
  t.match(created, {
    resolved: true,
    statusCode: 200,
    response: { user: { id, email, firstName: 'Ann', active: true, verified: true, tenantId: target.tenantId } },
  });
  t.teardown(async () => {
    await client.deleteUser(id).catch(() => undefined);
  });
  t.notOk(JSON.stringify(created.response).includes('a-long-password'), 'the password never comes back');

  t.match(await settle(client.retrieveUser(id)), { statusCode: 200, response: { user: { id, email } } });
  t.match(
    await settle(client.retrieveUserByEmail(email.toUpperCase())),
    { statusCode: 200, response: { user: { id } } },
    'emails match case-insensitively',
  );
  t.match(await settle(client.retrieveUserByLoginId(email)), { statusCode: 200, response: { user: { id } } });

  const patched = await settle(client.patchUser(id, { user: { lastName: 'Patched', data: { favourite: 'blue' } } }));
  t.match(patched, {
    statusCode: 200,
    response: { user: { firstName: 'Ann', lastName: 'Patched', data: { favourite: 'blue' } } },
  });

  const replaced = await settle(client.updateUser(id, { user: { email, lastName: 'Replaced' } }));
  t.match(replaced, { statusCode: 200, response: { user: { id, email, lastName: 'Replaced', active: true } } });
  t.notOk(replaced.response?.user?.firstName, 'PUT replaces the profile');
  t.match(
    await settle(client.login({ loginId: email, password: 'a-long-password' })),
    { statusCode: 200 },
    'and keeps the password',
  );

  t.match(await settle(client.deactivateUser(id)), { resolved: true, statusCode: 200 });
  t.match(
    await settle(client.retrieveUser(id)),
    { response: { user: { active: false } } },
    'a soft delete deactivates',
  );
  t.match(await settle(client.reactivateUser(id)), { statusCode: 200, response: { user: { active: true } } });

  t.match(await settle(client.deleteUser(id)), { resolved: true, statusCode: 200 });
  t.match(await settle(client.retrieveUser(id)), { resolved: false, statusCode: 404, exception: undefined });
  t.match(await settle(client.retrieveUserByEmail(email)), { resolved: false, statusCode: 404 });
});

void t.test('users: emails are stored in lower case', async (t) => {
  const id = randomUUID();
  t.teardown(async () => {
    await client.deleteUser(id).catch(() => undefined);
  });
  const created = await client.createUser(id, {
    user: { email: `Contract-${id}@Example.COM`, password: 'a-long-password' },
    skipVerification: true,
  });
  t.equal(created.response.user?.email, `contract-${id}@example.com`);
});

void t.test('users: validation errors name the field', async (t) => {
  const duplicate = await settle(
    client.createUser(randomUUID(), { user: { email: demoUsers.shopper, password: 'a-long-password' } }),
  );
  t.match(duplicate, { resolved: false, statusCode: 400 });
  t.equal((duplicate.exception as Errors).fieldErrors?.['user.email']?.[0]?.code, '[duplicate]user.email');

  const blank = await settle(
    client.createUser(randomUUID(), { user: { email: `contract-${randomUUID()}@example.com` } }),
  );
  t.match(blank, { resolved: false, statusCode: 400 });
  t.equal((blank.exception as Errors).fieldErrors?.['user.password']?.[0]?.code, '[blank]user.password');

  const unauthorized = await settle(clientWithApiKey(target, null).retrieveUserByEmail(demoUsers.shopper));
  t.match(unauthorized, { resolved: false, statusCode: 401, exception: undefined });
});

void t.test('registrations: register, retrieve and delete', async (t) => {
  const user = await temporaryUser(t, target, { applicationId: null });
  const registered = await settle(
    client.register(user.id, {
      registration: { applicationId: target.forumApplicationId },
      skipRegistrationVerification: true,
    }),
  );
  t.match(registered, {
    resolved: true,
    statusCode: 200,
    response: { registration: { applicationId: target.forumApplicationId, roles: ['member'], verified: true } },
  });

  const retrieved = await settle(client.retrieveRegistration(user.id, target.forumApplicationId));
  t.match(retrieved, { statusCode: 200, response: { registration: { applicationId: target.forumApplicationId } } });

  const again = await settle(client.register(user.id, { registration: { applicationId: target.forumApplicationId } }));
  t.match(again, { resolved: false, statusCode: 400 });

  t.match(await settle(client.deleteRegistration(user.id, target.forumApplicationId)), {
    resolved: true,
    statusCode: 200,
  });
  t.match(await settle(client.retrieveRegistration(user.id, target.forumApplicationId)), {
    resolved: false,
    statusCode: 404,
  });
});

void t.test('user actions: define one, take it on a user, cancel it', async (t) => {
  const userActionId = randomUUID();
  const defined = await settle(
    client.createUserAction(userActionId, {
      userAction: { name: `contract ${userActionId}`, temporal: true, preventLogin: true },
    }),
  );
  t.match(defined, {
    resolved: true,
    statusCode: 200,
    response: { userAction: { id: userActionId, preventLogin: true, temporal: true } },
  });
  t.teardown(async () => {
    await client.deleteUserAction(userActionId).catch(() => undefined);
  });

  const actionee = await temporaryUser(t, target);
  const actioner = await temporaryUser(t, target);
  const expiry = Date.now() + 60_000;
  const taken = await settle(
    client.actionUser({
      action: { actioneeUserId: actionee.id, actionerUserId: actioner.id, userActionId, expiry, comment: 'contract' },
    }),
  );
  t.match(taken, {
    resolved: true,
    statusCode: 200,
    response: { action: { id: String, actioneeUserId: actionee.id, userActionId, expiry } },
  });

  const blocked = await settle(
    client.login({ loginId: actionee.email, password: actionee.password, applicationId: target.storeApplicationId }),
  );
  t.match(blocked, { statusCode: 409 });

  const actionId = taken.response?.action?.id ?? '';
  t.match(await settle(client.cancelAction(actionId, { action: { actionerUserId: actioner.id, comment: 'done' } })), {
    resolved: true,
    statusCode: 200,
  });
  const allowed = await settle(
    client.login({ loginId: actionee.email, password: actionee.password, applicationId: target.storeApplicationId }),
  );
  t.match(allowed, { statusCode: 200 }, 'a cancelled action no longer prevents login');
});

void t.test('tenants, applications and keys as the kickstart left them', async (t) => {
  const tenant = await settle(client.retrieveTenant(target.tenantId));
  t.match(tenant, {
    statusCode: 200,
    response: {
      tenant: {
        id: target.tenantId,
        issuer: 'http://localhost:9011',
        httpSessionMaxInactiveInterval: 3600,
        externalIdentifierConfiguration: { authorizationGrantIdTimeToLiveInSeconds: 30 },
        emailConfiguration: { verifyEmail: true },
        failedAuthenticationConfiguration: { tooManyAttempts: 5, userActionId: String },
      },
    },
  });

  for (const [applicationId, name, defaultRole, clientSecret, origin] of [
    [target.storeApplicationId, 'Store', 'customer', target.storeClientSecret, target.storeOrigin],
    [target.forumApplicationId, 'Forum', 'member', target.forumClientSecret, target.forumOrigin],
  ] as const) {
    const application = await settle(client.retrieveApplication(applicationId));
    t.match(application, {
      statusCode: 200,
      response: {
        application: {
          id: applicationId,
          name,
          tenantId: target.tenantId,
          loginConfiguration: { generateRefreshTokens: true, requireAuthentication: true },
          jwtConfiguration: { enabled: true, accessTokenKeyId: String },
          oauthConfiguration: {
            clientId: applicationId,
            clientSecret,
            authorizedURLValidationPolicy: 'ExactMatch',
            logoutURL: `${origin}/api/oauth/frontchannel-logout`,
            logoutBehavior: 'AllApplications',
            generateRefreshTokens: true,
            clientAuthenticationPolicy: 'Required',
            proofKeyForCodeExchangePolicy: 'Required',
            requireRegistration: true,
            scopeHandlingPolicy: 'Strict',
            unknownScopePolicy: 'Reject',
          },
        },
      },
    });
    const oauth = application.response?.application?.oauthConfiguration;
    t.same(oauth?.authorizedRedirectURLs, [`${origin}/api/oauth/callback`, `${origin}/`]);
    t.same([...(oauth?.enabledGrants ?? [])].sort(), ['authorization_code', 'refresh_token']);
    t.ok(
      application.response?.application?.roles?.some((role) => role.name === defaultRole && role.isDefault),
      `${name} gives ${defaultRole} by default`,
    );

    const key = await settle(
      client.retrieveKey(application.response?.application?.jwtConfiguration?.accessTokenKeyId ?? ''),
    );
    t.match(key, {
      statusCode: 200,
      response: { key: { algorithm: 'RS256', type: 'RSA', kid: String, publicKey: /BEGIN PUBLIC KEY/ } },
    });
    t.notOk(JSON.stringify(key.response).includes('PRIVATE'), 'never the private key');
  }
});

void t.test("applications: one created without OAuth settings gets FusionAuth's, and keeps its secret", async (t) => {
  const id = randomUUID();
  t.teardown(async () => {
    await client.deleteApplication(id).catch(() => undefined);
  });
  const created = await settle(client.createApplication(id, { application: { name: `contract ${id}` } }));
  t.match(created, { resolved: true, statusCode: 200, response: { application: { id } } });

  const retrieved = await settle(client.retrieveApplication(id));
  t.match(retrieved, { resolved: true, statusCode: 200 });
  const oauth = retrieved.response?.application?.oauthConfiguration;
  t.match(oauth, {
    clientId: id,
    clientSecret: /^\S{32,}$/,
    authorizedURLValidationPolicy: 'ExactMatch',
    clientAuthenticationPolicy: 'Required',
    proofKeyForCodeExchangePolicy: 'NotRequired',
    generateRefreshTokens: false,
    logoutBehavior: 'AllApplications',
    requireRegistration: false,
    scopeHandlingPolicy: 'Strict',
    unknownScopePolicy: 'Reject',
    relationship: 'FirstParty',
    consentMode: 'AlwaysPrompt',
  });
  t.notOk(oauth?.logoutURL, 'no logout URL');
  // t.match would take any array for [], so the lists are compared whole.
  t.same(oauth?.authorizedRedirectURLs, []);
  t.same(oauth?.authorizedOriginURLs, []);
  t.same(oauth?.enabledGrants, defaultEnabledGrants, '[?] the grants of an application that names none');

  const redirect = 'https://app.example.com/callback';
  const updated = await settle(
    client.updateApplication(id, {
      application: { name: `contract ${id}`, oauthConfiguration: { authorizedRedirectURLs: [redirect] } },
    }),
  );
  t.match(updated, {
    resolved: true,
    statusCode: 200,
    response: { application: { oauthConfiguration: { clientId: id, clientSecret: oauth?.clientSecret ?? '' } } },
  });
  t.same(updated.response?.application?.oauthConfiguration?.authorizedRedirectURLs, [redirect]);

  const other = randomUUID();
  t.teardown(async () => {
    await client.deleteApplication(other).catch(() => undefined);
  });
  const second = await client.createApplication(other, { application: { name: `contract ${other}` } });
  t.not(second.response.application?.oauthConfiguration?.clientSecret, oauth?.clientSecret, 'each gets its own');
});

void t.test('applications: OAuth settings are stored as given; the client id is the application id', async (t) => {
  const id = randomUUID();
  t.teardown(async () => {
    await client.deleteApplication(id).catch(() => undefined);
  });
  const settings: OAuth2Configuration = {
    clientSecret: `contract-secret-${randomUUID()}`,
    authorizedURLValidationPolicy: Oauth2AuthorizedURLValidationPolicy.AllowWildcards,
    authorizedRedirectURLs: ['https://app.example.com/callback', 'https://app.example.com/'],
    logoutURL: 'https://app.example.com/logout',
    logoutBehavior: LogoutBehavior.RedirectOnly,
    enabledGrants: [GrantType.authorization_code],
    generateRefreshTokens: true,
    clientAuthenticationPolicy: ClientAuthenticationPolicy.NotRequiredWhenUsingPKCE,
    proofKeyForCodeExchangePolicy: ProofKeyForCodeExchangePolicy.Required,
    requireRegistration: true,
    scopeHandlingPolicy: OAuthScopeHandlingPolicy.Compatibility,
    unknownScopePolicy: UnknownScopePolicy.Remove,
  };
  const created = await settle(
    client.createApplication(id, { application: { name: `contract ${id}`, oauthConfiguration: settings } }),
  );
  t.match(created, { resolved: true, statusCode: 200 });
  const { enabledGrants, authorizedRedirectURLs, ...rest } = settings;
  const retrieved = await client.retrieveApplication(id);
  const oauth = retrieved.response.application?.oauthConfiguration;
  t.match(oauth, { ...rest, clientId: id });
  t.same(oauth?.enabledGrants, enabledGrants);
  t.same(oauth?.authorizedRedirectURLs, authorizedRedirectURLs);

  const unknownGrant = await settle(
    client.createApplication(randomUUID(), {
      application: { name: `contract ${id} bad`, oauthConfiguration: { enabledGrants: ['code' as GrantType] } },
    }),
  );
  t.match(unknownGrant, { resolved: false, statusCode: 400 }, 'a grant FusionAuth does not know is refused');
});

void t.test("tenants: one created without them gets FusionAuth's SSO and identifier lifetimes", async (t) => {
  const id = randomUUID();
  const store = await client.retrieveApplication(target.storeApplicationId);
  const keyId = store.response.application?.jwtConfiguration?.accessTokenKeyId ?? '';
  // A tenant is created outside any tenant: no X-FusionAuth-TenantId header.
  const untenanted = new FusionAuthClient(target.apiKey, target.url);
  t.teardown(async () => {
    await untenanted.deleteTenant(id).catch(() => undefined);
  });
  const created = await settle(
    untenanted.createTenant(id, {
      tenant: { name: `contract ${id}`, jwtConfiguration: { accessTokenKeyId: keyId, idTokenKeyId: keyId } },
    }),
  );
  t.match(created, { resolved: true, statusCode: 200 });
  t.match(await settle(untenanted.retrieveTenant(id)), {
    statusCode: 200,
    response: {
      tenant: {
        id,
        issuer: 'acme.com',
        httpSessionMaxInactiveInterval: 3600,
        externalIdentifierConfiguration: {
          authorizationGrantIdTimeToLiveInSeconds: 30,
          changePasswordIdTimeToLiveInSeconds: 600,
          twoFactorIdTimeToLiveInSeconds: 300,
        },
        ssoConfiguration: { allowAccessTokenBootstrap: false, deviceTrustTimeToLiveInSeconds: 31_536_000 },
      },
    },
  });
  t.notOk(created.response?.tenant?.logoutURL, 'no logout URL');
});
