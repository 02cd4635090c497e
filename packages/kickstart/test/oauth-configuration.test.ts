import { writeFile } from 'node:fs/promises';
import t from 'tap';
import {
  applicationIdByName,
  clientSecretByName,
  kickstartEnvironment,
  readKickstartFile,
  substituteKickstart,
  summarizeKickstart,
  type Kickstart,
} from '../src/index.js';

const oauthConfiguration = {
  clientSecret: '#{secret}',
  authorizedURLValidationPolicy: 'ExactMatch',
  authorizedRedirectURLs: ['http://localhost:3000/api/oauth/callback', 'http://localhost:3000/'],
  logoutURL: 'http://localhost:3000/api/oauth/frontchannel-logout',
  logoutBehavior: 'AllApplications',
  enabledGrants: ['authorization_code', 'refresh_token'],
  generateRefreshTokens: true,
  clientAuthenticationPolicy: 'Required',
  proofKeyForCodeExchangePolicy: 'Required',
  requireRegistration: true,
  scopeHandlingPolicy: 'Strict',
  unknownScopePolicy: 'Reject',
};

/** A kickstart with one application request carrying these OAuth settings. */
function withOAuth(settings: Record<string, unknown>, method: 'POST' | 'PUT' | 'PATCH' = 'POST'): unknown {
  return {
    variables: { secret: 'a-secret-of-the-test-only-32-characters' },
    apiKeys: [{ key: 'a-key-of-the-test-only' }],
    requests: [
      {
        method,
        url: '/api/application/1bd1a1c4-0d7e-4b6c-9a39-1f5b1f5d3c11',
        body: { application: { name: 'Shop', oauthConfiguration: settings } },
      },
    ],
  };
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test("the project's kickstart gives each application its own OAuth client secret", async (t) => {
  const kickstart = substituteKickstart(await readKickstartFile(), {
    env: kickstartEnvironment({}),
    fusionAuthTenantId: 'unused',
  });
  const summary = summarizeKickstart(kickstart);
  const secrets = ['Store', 'Forum'].map((name) => clientSecretByName(summary, name));
  t.same(secrets, [kickstart.variables['storeClientSecret'], kickstart.variables['forumClientSecret']]);
  for (const secret of secrets) t.ok(secret.length >= 32, 'a secret of 32 characters at least');
  t.not(secrets[0], secrets[1]);
  t.notOk(secrets.includes(summary.apiKey ?? ''), 'neither is the API key');
  t.same(
    summary.applications.map(({ id, name }) => ({ id, name })),
    [
      { id: applicationIdByName(summary, 'Store'), name: 'Store' },
      { id: applicationIdByName(summary, 'Forum'), name: 'Forum' },
    ],
  );
});

void t.test('an application without OAuth settings has no client secret in the summary', async (t) => {
  const summary = summarizeKickstart({
    variables: {},
    apiKeys: [],
    requests: [{ method: 'POST', url: '/api/application/blog-id', body: { application: { name: 'Blog' } } }],
  });
  t.same(summary.applications, [{ id: 'blog-id', name: 'Blog', clientSecret: undefined }]);
  t.throws(() => clientSecretByName(summary, 'Blog'), /sets no client secret for the application Blog/);
  t.throws(() => clientSecretByName(summary, 'Shop'), /no application named Shop/);
});

void t.test("section 5's OAuth block is accepted, placeholders and all", async (t) => {
  const folder = t.testdir({ 'kickstart.json': JSON.stringify(withOAuth(oauthConfiguration)) });
  const kickstart: Kickstart = await readKickstartFile(`${folder}/kickstart.json`);
  const summary = summarizeKickstart(
    substituteKickstart(kickstart, { env: kickstartEnvironment({}), fusionAuthTenantId: 'unused' }),
  );
  t.equal(clientSecretByName(summary, 'Shop'), 'a-secret-of-the-test-only-32-characters');

  const fromEnvironment = { ...oauthConfiguration, authorizedRedirectURLs: ['#{ENV.SHOP_URL}/api/oauth/callback'] };
  await writeFile(`${folder}/kickstart.json`, JSON.stringify(withOAuth(fromEnvironment)));
  await t.resolves(readKickstartFile(`${folder}/kickstart.json`), 'a URL made of a placeholder waits for FusionAuth');
});

void t.test('a mistaken OAuth setting is reported with where it is', async (t) => {
  const cases: Array<[string, Record<string, unknown>, RegExp, ('PUT' | 'PATCH')?]> = [
    ['a grant FusionAuth does not know', { enabledGrants: ['code'] }, /\.enabledGrants\.0:/],
    ['an unknown policy', { proofKeyForCodeExchangePolicy: 'Always' }, /\.proofKeyForCodeExchangePolicy:/],
    ['a misspelt property', { authorizedRedirectUrls: [] }, /Unrecognized key: "authorizedRedirectUrls"/],
    ['a redirect URL with a query', { authorizedRedirectURLs: ['http://localhost:3000/cb?x=1'] }, /URLs\.0:/],
    ['a redirect URL with a fragment', { authorizedRedirectURLs: ['http://localhost:3000/#/'] }, /URLs\.0:/],
    ['a relative redirect URL', { authorizedRedirectURLs: ['/api/oauth/callback'] }, /URLs\.0:/],
    ['a logout URL that is not http', { logoutURL: 'javascript:alert(1)' }, /\.logoutURL: an absolute http/],
    ['a blank client secret', { clientSecret: '' }, /\.clientSecret:/],
    ['a flag given as text, in a PUT', { requireRegistration: 'yes' }, /\.requireRegistration:/, 'PUT'],
    ['a bad value in a PATCH', { unknownScopePolicy: 'Ignore' }, /\.unknownScopePolicy:/, 'PATCH'],
  ];
  const path = `${t.testdir()}/kickstart.json`;
  for (const [label, settings, detail, method] of cases) {
    await writeFile(path, JSON.stringify(withOAuth({ ...oauthConfiguration, ...settings }, method)));
    const error = await readKickstartFile(path).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    t.match(
      error,
      { name: 'KickstartFileError', message: /malformed at requests\.0\.body\.application\.oauthConfiguration/ },
      label,
    );
    t.match((error as Error | undefined)?.message, detail, label);
  }
});

void t.test('other requests and other application settings are left for FusionAuth to check', async (t) => {
  const path = `${t.testdir()}/kickstart.json`;
  await writeFile(
    path,
    JSON.stringify({
      requests: [
        { method: 'POST', url: '/api/application/some-id', body: { application: { name: 'Shop', roles: 'all' } } },
        { method: 'POST', url: '/api/webhook', body: { webhook: { oauthConfiguration: 'not checked' } } },
      ],
    }),
  );
  await t.resolves(readKickstartFile(path));
});
