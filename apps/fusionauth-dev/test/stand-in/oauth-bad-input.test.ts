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
const { store } = app.standIn;
const summary = summarizeKickstart(app.standIn.kickstart ?? { variables: {}, apiKeys: [], requests: [] });
const storeId = applicationIdByName(summary, 'Store');
const redirect = encodeURIComponent('http://localhost:3000/api/oauth/callback');
const valid = `client_id=${storeId}&redirect_uri=${redirect}&response_type=code&code_challenge=abc&code_challenge_method=S256`;

const routes: Array<[InjectOptions['method'], string]> = [
  ['GET', '/oauth2/authorize'],
  ['GET', `/oauth2/authorize?client_id=${storeId}&client_id=other&redirect_uri=${redirect}&redirect_uri=x`],
  ['GET', `/oauth2/authorize?${valid}&scope=openid%20%20%20&prompt=%20&max_age=-1`],
  ['GET', `/oauth2/authorize?${valid}&prompt=none%20login&login_hint=${'a'.repeat(5000)}`],
  ['GET', `/oauth2/authorize?${valid}&response_mode=form_post&state=%E0%A4%A`],
  ['GET', '/oauth2/authorize?client_id=%E0%A4%A'],
  ['POST', '/oauth2/authorize'],
  ['POST', `/oauth2/authorize?${valid}`],
  ['GET', '/oauth2/two-factor'],
  ['GET', `/oauth2/two-factor?${valid}&twoFactorId=nope`],
  ['POST', '/oauth2/two-factor'],
  ['GET', '/password/change'],
  ['GET', `/password/change?${valid}&changePasswordId=nope`],
  ['POST', '/password/change'],
  ['GET', '/password/change/nope'],
  ['GET', `/password/change/nope?${valid}`],
  ['GET', `/password/change/${'%E0%A4%A'}?client_id=${storeId}`],
  ['GET', '/password/forgot'],
  ['GET', `/password/forgot?${valid}&client_id=other`],
  ['POST', '/password/forgot'],
  ['POST', `/password/forgot?${valid}`],
  ['GET', '/password/sent'],
  ['GET', `/password/sent?loginId=%E0%A4%A&loginId=x&${valid}`],
  ['GET', '/password/complete'],
  ['GET', '/oauth2/authorized-not-registered'],
  ['POST', '/oauth2/token'],
  ['POST', '/oauth2/introspect'],
  ['GET', '/oauth2/userinfo'],
  ['POST', '/oauth2/userinfo'],
  ['GET', '/oauth2/logout'],
  ['GET', `/oauth2/logout?client_id=nope&post_logout_redirect_uri=javascript:alert(1)&id_token_hint=x.y.z`],
  ['GET', `/oauth2/logout?id_token_hint=${'e'.repeat(3000)}`],
  ['POST', '/oauth2/logout'],
];

const formBodies: string[] = [
  '',
  '=',
  '&&&',
  'a=%E0%A4%A',
  `${valid}&loginId=&password=`,
  `${valid}&loginId=shopper@example.com&loginId=x&password=a&password=b&rememberDevice=maybe`,
  `${valid}&twoFactorId=x&code=${'9'.repeat(10_000)}`,
  `${valid}&changePasswordId=x&password=a&passwordConfirm=b`,
  `grant_type=authorization_code&code=x&redirect_uri=y&client_id=${storeId}&client_secret=wrong`,
  `grant_type=authorization_code&grant_type=refresh_token&client_id=${storeId}&client_id=x`,
  'grant_type=client_credentials&client_id=',
  `grant_type=refresh_token&refresh_token=&client_id=${storeId}`,
  `token=not.a.jwt&client_id=${storeId}`,
  `x=${'y'.repeat(900_000)}`,
];
const otherBodies: Array<[string, string]> = [
  ['application/json', '{"grant_type":"authorization_code"}'],
  [
    'multipart/form-data; boundary=x',
    '--x\r\nContent-Disposition: form-data; name="grant_type"\r\n\r\nauthorization_code\r\n--x--',
  ],
  ['text/plain', 'grant_type=authorization_code'],
];
const authorizations = [
  undefined,
  'Basic',
  'Basic !!!',
  `Basic ${Buffer.from('no-colon').toString('base64')}`,
  'Bearer',
  'Bearer x.y.z',
];

void t.test('no request to the OAuth endpoints makes the stand-in answer 5xx or change anything', async (t) => {
  const snapshot = () =>
    structuredClone({
      users: [...store.users.values()].map((record) => record.user),
      refreshTokens: store.refreshTokens.size,
      codes: store.authorizationCodes.size,
      applications: [...store.applications.values()],
    });
  const before = snapshot();
  let requests = 0;
  for (const [method, url] of routes) {
    for (const authorization of authorizations) {
      const payloads: Array<[string, string] | undefined> =
        method === 'GET'
          ? [undefined]
          : [
              ...formBodies.map((body): [string, string] => ['application/x-www-form-urlencoded', body]),
              ...otherBodies,
            ];
      for (const payload of payloads) {
        const response = await app.inject({
          method,
          url,
          headers: {
            ...(payload && { 'content-type': payload[0] }),
            ...(authorization !== undefined && { authorization }),
          },
          ...(payload && { payload: payload[1] }),
        });
        requests += 1;
        if (response.statusCode >= 500) {
          t.fail(`${method} ${url} answered ${response.statusCode} to ${(payload?.[1] ?? '').slice(0, 60)}`);
        }
        if (response.headers['content-type']?.toString().startsWith('application/json')) {
          t.doesNotThrow((): unknown => JSON.parse(response.body), `${method} ${url} answers valid JSON`);
        }
      }
    }
  }
  t.ok(requests > 800, `${requests} requests sent`);
  t.same(snapshot(), before, 'nothing was created, changed or deleted');
});

void t.test('what a visitor sends comes back escaped on the hosted pages', async (t) => {
  const hostile = '"><script>alert(1)</script>';
  const page = await app.inject({
    url: `/oauth2/authorize?${valid}&state=${encodeURIComponent(hostile)}&login_hint=${encodeURIComponent(hostile)}`,
  });
  t.equal(page.statusCode, 200);
  t.notMatch(page.body, '<script>alert(1)', 'no markup of the visitor’s reaches the page');
  t.match(page.body, '&lt;script&gt;alert(1)&lt;/script&gt;', 'it is shown as text');
  const error = await app.inject({ url: `/oauth2/authorize?client_id=${encodeURIComponent(hostile)}` });
  t.equal(error.statusCode, 400);
  t.notMatch(error.body, '<script>alert(1)');
});
