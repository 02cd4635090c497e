import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import t from 'tap';
import { applicationIdByName, readKickstartFile, summarizeKickstart } from '@native-login/kickstart';
import { buildStandIn } from '../../src/index.js';
import { testPasswordIterations } from '../support/target.js';

const app = await buildStandIn({
  kickstart: await readKickstartFile(),
  passwordHashIterations: testPasswordIterations,
});
t.teardown(() => app.close());
const apiKey = app.standIn.kickstart?.apiKeys[0]?.key ?? '';
const { store } = app.standIn;
const someId = randomUUID();
const summary = summarizeKickstart(app.standIn.kickstart ?? { variables: {}, apiKeys: [], requests: [] });
const storeId = applicationIdByName(summary, 'Store');
const existing: Record<string, string> = {
  '/api/tenant': store.defaultTenantId,
  '/api/application': storeId,
  '/api/user-action': [...store.userActions.keys()][0] ?? someId,
  '/api/email/template': [...store.emailTemplates.keys()][0] ?? someId,
};
const shopperId = store.findUserByLoginId(store.defaultTenantId, 'shopper@example.com')?.user.id ?? someId;

const routes: Array<[InjectOptions['method'], string]> = [
  ['GET', '/api/status'],
  ['GET', '/api/health'],
  ['GET', '/.well-known/jwks.json'],
  ['GET', '/.well-known/openid-configuration'],
  ['POST', '/api/key/generate'],
  ['POST', `/api/key/generate/${someId}`],
  ['GET', '/api/key'],
  ['GET', `/api/key/${someId}`],
  ['DELETE', `/api/key/${someId}`],
  ...['/api/tenant', '/api/application', '/api/user-action', '/api/email/template'].flatMap(
    (path): Array<[InjectOptions['method'], string]> => [
      ['POST', path],
      ['POST', `${path}/${someId}`],
      ['GET', path],
      ['GET', `${path}/${someId}`],
      ['PUT', `${path}/${existing[path]}`],
      ['PATCH', `${path}/${existing[path]}`],
      ['DELETE', `${path}/${someId}`],
    ],
  ),
  ['POST', '/api/user'],
  ['POST', `/api/user/${someId}`],
  ['GET', '/api/user?email=nobody@example.com'],
  ['GET', `/api/user/${someId}`],
  ['PUT', `/api/user/${shopperId}`],
  ['PATCH', `/api/user/${shopperId}`],
  ['DELETE', `/api/user/${someId}`],
  ['POST', '/api/user/registration'],
  ['POST', `/api/user/registration/${shopperId}`],
  ['GET', `/api/user/registration/${someId}/${someId}`],
  ['DELETE', `/api/user/registration/${someId}/${someId}`],
  ['POST', '/api/user/action'],
  ['GET', '/api/user/action?userId=a&userId=b'],
  ['GET', `/api/user/action/${someId}`],
  ['DELETE', `/api/user/action/${someId}`],
  ['POST', '/api/user/forgot-password'],
  ['POST', '/api/user/change-password'],
  ['POST', `/api/user/change-password/${someId}`],
  ['GET', `/api/user/change-password/${someId}`],
  ['POST', '/api/user/verify-email'],
  ['POST', `/api/user/verify-email/${someId}`],
  ['PUT', '/api/user/verify-email'],
  ['PUT', '/api/user/verify-email?email=nobody@example.com&applicationId=not-an-application'],
  ['POST', '/api/login'],
  ['POST', '/api/two-factor/login'],
  ['POST', '/api/logout?global=maybe&refreshToken=x&refreshToken=y'],
  ['POST', '/api/jwt/refresh'],
  ['GET', '/api/jwt/refresh?userId=not-a-uuid'],
  ['DELETE', '/api/jwt/refresh?userId=undefined&applicationId=undefined'],
  ['DELETE', `/api/jwt/refresh/${someId}`],
  ['GET', '/api/jwt/validate'],
  ['PUT', '/api/login'],
  ['GET', '/api/user/%E0%A4%A'],
];

const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const bodies: Array<string | Buffer> = [
  '',
  'null',
  '[]',
  '"text"',
  '42',
  'true',
  '{',
  '{"user": ',
  Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
  JSON.stringify({
    user: 'x',
    tenant: [],
    application: 7,
    userAction: true,
    emailTemplate: 'x',
    registration: 5,
    action: [],
  }),
  JSON.stringify({ user: { email: 5, password: {}, twoFactor: 'x', expiry: 'soon' }, skipVerification: 'yes' }),
  JSON.stringify({
    user: {
      email: 'not-an-email',
      password: 'short',
      twoFactor: { methods: [{ method: 'sms' }, { method: 'authenticator' }] },
    },
  }),
  JSON.stringify({ loginId: [], password: 1, applicationId: {}, noJWT: 'no' }),
  JSON.stringify({ loginId: 'a'.repeat(500_000), password: 'b'.repeat(400_000) }),
  JSON.stringify({ twoFactorId: 5, code: {} }),
  JSON.stringify({ refreshToken: 5, global: 'yes' }),
  JSON.stringify({ key: { algorithm: 'ES999', name: 5, length: 'long' } }),
  JSON.stringify({ key: { algorithm: 'RS256', name: 'tiny', length: 512 } }),
  JSON.stringify({ application: { name: 'x', roles: 'all', jwtConfiguration: { accessTokenKeyId: 'missing' } } }),
  JSON.stringify({ application: { name: 'x', roles: 'all', loginConfiguration: { generateRefreshTokens: 'yes' } } }),
  JSON.stringify({ tenant: { name: 'x', jwtConfiguration: 'none' } }),
  JSON.stringify({ tenant: { name: 'x', jwtConfiguration: { accessTokenKeyId: 'no-such-key' } } }),
  JSON.stringify({ tenant: { name: 'x', failedAuthenticationConfiguration: { actionDurationUnit: 'FORTNIGHTS' } } }),
  JSON.stringify({ tenant: { name: 'x', multiFactorConfiguration: { loginPolicy: 7 } } }),
  JSON.stringify({ userAction: { name: 'x', preventLogin: true, temporal: false } }),
  JSON.stringify({ action: { actioneeUserId: someId, actionerUserId: someId, userActionId: someId, expiry: 'soon' } }),
  JSON.stringify({
    registration: { applicationId: someId, roles: [5] },
    user: { email: 'r@example.com', password: 5 },
  }),
  deep(20_000),
  ...['user', 'tenant', 'application', 'userAction', 'emailTemplate', 'registration', 'action', 'key'].map(
    (wrapper) => `{"${wrapper}": {"name": "deep", "data": ${deep(5_000)}}}`,
  ),
  '{"user": {"email": "deep@example.com", "password": "a-long-password", "data": ' + deep(2_000) + '}}',
  'x'.repeat(1_100_000),
];

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('no input makes the stand-in answer 5xx, crash, or write anything', async (t) => {
  // Everything the API can change, as JSON (signing keys by id and kid: their key material is not JSON).
  const snapshot = (): unknown =>
    structuredClone({
      tenants: [...store.tenants.values()],
      applications: [...store.applications.values()],
      users: [...store.users.values()].map((record) => record.user),
      userActions: [...store.userActions.values()],
      userActionLogs: [...store.userActionLogs.values()],
      emailTemplates: [...store.emailTemplates.values()],
      keys: [...store.keys.values()].map((key) => [key.id, key.kid]),
      refreshTokens: store.refreshTokens.size,
      emails: store.mailbox.list().length,
      outstandingIds: [store.changePasswordIds.size, store.emailVerificationIds.size, store.oneTimePasswords.size],
    });
  const before = snapshot();
  let requests = 0;
  for (const [method, url] of routes) {
    for (const authorization of [apiKey, undefined]) {
      for (const body of bodies) {
        const response = await app.inject({
          method,
          url,
          headers: { 'content-type': 'application/json', ...(authorization !== undefined && { authorization }) },
          ...(method !== 'GET' && { payload: body }),
        });
        requests += 1;
        if (response.statusCode >= 500)
          t.fail(`${method} ${url} answered ${response.statusCode} to ${String(body).slice(0, 40)}`);
        if (response.body !== '' && response.headers['content-type']?.toString().startsWith('application/json')) {
          t.doesNotThrow((): unknown => JSON.parse(response.body), `${method} ${url} answers valid JSON`);
        }
      }
    }
  }
  t.ok(requests > 2_000, `${requests} requests sent`);
  t.same(snapshot(), before, 'nothing was created, changed or deleted');
});

void t.test('__proto__ and constructor keys are dropped, never merged', async (t) => {
  const response = await app.inject({
    method: 'POST',
    url: '/api/user',
    headers: { authorization: apiKey, 'content-type': 'application/json' },
    payload:
      '{"__proto__": {"polluted": true}, "user": {"constructor": {"prototype": {"polluted": true}}, "__proto__": {"active": false}, "email": "proto@example.com", "password": "a-long-password"}}',
  });
  t.equal(response.statusCode, 200);
  t.equal(response.json<{ user: { active: boolean } }>().user.active, true);
  t.equal(Reflect.get({}, 'polluted'), undefined);
});
