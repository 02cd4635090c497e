import type { Application, Webhook } from '@fusionauth/typescript-client';
import { readKickstartFile, summarizeKickstart, type Kickstart } from '@native-login/kickstart';
import t from 'tap';
import { buildStandIn, KickstartRequestError } from '../../src/index.js';
import { demoUsers } from '../support/demo-users.js';
import { testPasswordIterations } from '../support/target.js';

const kickstart = await readKickstartFile();

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('start-up replays the kickstart: the six demo users in the states it describes', async (t) => {
  const app = await buildStandIn({ kickstart, passwordHashIterations: testPasswordIterations });
  t.teardown(() => app.close());
  const { store } = app.standIn;
  const summary = summarizeKickstart(app.standIn.kickstart ?? kickstart);
  const tenantId = summary.tenantId ?? '';
  const user = (email: string) => store.findUserByLoginId(tenantId, email);
  const applicationNames = (email: string) =>
    (user(email)?.user.registrations ?? []).map(
      (registration) => store.applications.get(registration.applicationId ?? '')?.name,
    );

  t.equal(store.defaultTenantId, tenantId, 'the default tenant has the kickstart id');
  t.same(applicationNames(demoUsers.shopper), ['Store', 'Forum']);
  t.same(applicationNames(demoUsers.storeOnly), ['Store']);
  t.equal(user(demoUsers.mfa)?.user.twoFactor?.methods?.[0]?.method, 'authenticator');
  t.equal(user(demoUsers.mfa)?.twoFactorSecrets.size, 1);
  t.equal(user(demoUsers.changeMe)?.user.passwordChangeRequired, true);
  t.equal(user(demoUsers.unverified)?.user.verified, false);
  t.equal(user(demoUsers.shopper)?.user.verified, true);
  t.equal(store.activeActionsOn(user(demoUsers.locked)?.user.id ?? '').length, 1);
  for (const email of Object.values(demoUsers)) t.equal(user(email)?.user.active, true, `${email} is active`);
});

void t.test(
  "the apps' origins and webhook targets come from the environment, as FusionAuth's kickstart reads them",
  async (t) => {
    const urlsOf = async (env: Record<string, string>) => {
      const app = await buildStandIn({ kickstart, env, passwordHashIterations: testPasswordIterations });
      t.teardown(() => app.close());
      const headers = { authorization: app.standIn.kickstart?.apiKeys[0]?.key ?? '' };
      const summary = summarizeKickstart(app.standIn.kickstart ?? kickstart);
      const oauth = async (name: string) => {
        const id = summary.applications.find((application) => application.name === name)?.id ?? '';
        const answer = await app.inject({ method: 'GET', url: `/api/application/${id}`, headers });
        const { authorizedRedirectURLs, logoutURL } =
          answer.json<{ application: Application }>().application.oauthConfiguration ?? {};
        return { authorizedRedirectURLs, logoutURL };
      };
      const webhooks = await app.inject({ method: 'GET', url: '/api/webhook', headers });
      return {
        store: await oauth('Store'),
        forum: await oauth('Forum'),
        webhooks: webhooks.json<{ webhooks: Webhook[] }>().webhooks.map((webhook) => webhook.url),
      };
    };

    t.same(
      await urlsOf({}),
      {
        store: {
          authorizedRedirectURLs: ['http://localhost:3000/api/oauth/callback', 'http://localhost:3000/'],
          logoutURL: 'http://localhost:3000/api/oauth/frontchannel-logout',
        },
        forum: {
          authorizedRedirectURLs: ['http://localhost:3001/api/oauth/callback', 'http://localhost:3001/'],
          logoutURL: 'http://localhost:3001/api/oauth/frontchannel-logout',
        },
        webhooks: ['http://localhost:3000/api/fusionauth/webhook', 'http://localhost:3001/api/fusionauth/webhook'],
      },
      'unset: the development origins',
    );
    const moved = await urlsOf({
      STORE_ORIGIN: 'https://store.example.com',
      FORUM_ORIGIN: 'https://forum.example.com',
      FORUM_WEBHOOK_URL: 'http://forum.internal:8081/api/fusionauth/webhook',
    });
    t.same(moved.store, {
      authorizedRedirectURLs: ['https://store.example.com/api/oauth/callback', 'https://store.example.com/'],
      logoutURL: 'https://store.example.com/api/oauth/frontchannel-logout',
    });
    t.same(moved.forum.authorizedRedirectURLs, [
      'https://forum.example.com/api/oauth/callback',
      'https://forum.example.com/',
    ]);
    t.same(
      moved.webhooks,
      ['https://store.example.com/api/fusionauth/webhook', 'http://forum.internal:8081/api/fusionauth/webhook'],
      "a webhook goes to the app's origin, or to the address FusionAuth is told to reach it at",
    );
  },
);

void t.test('reset() brings back the seeded state with the same ids', async (t) => {
  const app = await buildStandIn({ kickstart, passwordHashIterations: testPasswordIterations });
  t.teardown(() => app.close());
  const apiKey = app.standIn.kickstart?.apiKeys[0]?.key ?? '';
  const shopperId = app.standIn.store.findUserByLoginId(app.standIn.store.defaultTenantId, demoUsers.shopper)?.user.id;

  const created = await app.inject({
    method: 'POST',
    url: '/api/user',
    headers: { authorization: apiKey },
    payload: { user: { email: 'extra@example.com', password: 'a-long-password' } },
  });
  t.equal(created.statusCode, 200);
  await app.inject({
    method: 'DELETE',
    url: `/api/user/${shopperId}?hardDelete=true`,
    headers: { authorization: apiKey },
  });

  await app.standIn.reset();
  const { store } = app.standIn;
  t.notOk(store.findUserByLoginId(store.defaultTenantId, 'extra@example.com'));
  t.equal(store.findUserByLoginId(store.defaultTenantId, demoUsers.shopper)?.user.id, shopperId);
});

void t.test('started empty it is a fresh FusionAuth: a default tenant, no API key', async (t) => {
  const app = await buildStandIn();
  t.teardown(() => app.close());
  t.equal(app.standIn.store.tenants.size, 1);
  t.equal(app.standIn.store.users.size, 0);
  t.equal((await app.inject({ method: 'GET', url: '/api/status' })).statusCode, 200);
  t.equal(
    (await app.inject({ method: 'GET', url: '/api/tenant', headers: { authorization: 'anything' } })).statusCode,
    401,
  );
});

void t.test('a kickstart request that fails stops the start-up and names the request', async (t) => {
  const broken: Kickstart = {
    variables: {},
    apiKeys: [{ key: 'a-key-that-is-long-enough-for-the-stand-in' }],
    requests: [
      { method: 'POST', url: '/api/user', body: { user: { email: 'first@example.com', password: 'a-long-password' } } },
      { method: 'POST', url: '/api/user', body: { user: { email: 'first@example.com', password: 'a-long-password' } } },
    ],
  };
  await t.rejects(buildStandIn({ kickstart: broken }), KickstartRequestError);
  await t.rejects(buildStandIn({ kickstart: broken }), {
    message: /kickstart request 2 \(POST \/api\/user\) failed with 400.*\[duplicate\]user\.email/,
  });
  await t.rejects(buildStandIn({ kickstart: { ...broken, apiKeys: [] } }), { message: /needs at least one API key/ });
});

void t.test('settings real FusionAuth refuses are refused here too', async (t) => {
  const app = await buildStandIn();
  t.teardown(() => app.close());
  const apiKey = 'a-key-for-this-test-only';
  app.standIn.store.apiKeys.set(apiKey, { key: apiKey });
  const patchTenant = (tenant: Record<string, unknown>) =>
    app.inject({
      method: 'PATCH',
      url: `/api/tenant/${app.standIn.store.defaultTenantId}`,
      headers: { authorization: apiKey },
      payload: { tenant },
    });

  const noTemplate = await patchTenant({ emailConfiguration: { verifyEmail: true } });
  t.equal(noTemplate.statusCode, 400);
  t.match(noTemplate.json(), {
    fieldErrors: { 'tenant.emailConfiguration.verificationEmailTemplateId': [{ code: /^\[missing\]/ }] },
  });

  const noAction = await patchTenant({
    failedAuthenticationConfiguration: { userActionId: '1bd1a1c4-0d7e-4b6c-9a39-1f5b1f5d3c11' },
  });
  t.equal(noAction.statusCode, 400);
  t.match(noAction.json(), { fieldErrors: { 'tenant.failedAuthenticationConfiguration.userActionId': Array } });

  const noKey = await patchTenant({ jwtConfiguration: { accessTokenKeyId: '1bd1a1c4-0d7e-4b6c-9a39-1f5b1f5d3c11' } });
  t.match(noKey.json(), { fieldErrors: { 'tenant.jwtConfiguration.accessTokenKeyId': [{ code: /^\[invalid\]/ }] } });

  const defaultTenant = await app.inject({
    method: 'DELETE',
    url: `/api/tenant/${app.standIn.store.defaultTenantId}`,
    headers: { authorization: apiKey },
  });
  t.equal(defaultTenant.statusCode, 400, 'the default tenant stays');

  const application = await app.inject({
    method: 'POST',
    url: '/api/application',
    headers: { authorization: apiKey },
    payload: { application: { name: 'Verifying', verifyRegistration: true } },
  });
  t.equal(application.statusCode, 400);
  t.match(application.json(), { fieldErrors: { 'application.verificationEmailTemplateId': Array } });
});
