import type { AccessToken } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import t from 'tap';
import { idTokenSid, userinfoWithoutOpenIdStatus } from '../../src/oauth/assumptions.js';
import { OAuthBrowser } from '../support/oauth-browser.js';
import { oauthUser, temporaryOAuthApp, type OAuthUser } from '../support/oauth-fixtures.js';
import {
  authorizeRequest,
  basicAuthorization,
  codeOf,
  exchangeCode,
  forumApp,
  fullScope,
  oauthClient,
  signIn,
  storeApp,
  tokenHash,
  verifyJwt,
  type AuthorizeRequest,
  type OAuthApp,
} from '../support/oauth-flow.js';
import { settle } from '../support/settle.js';
import { contractTarget } from '../support/target.js';

const target = await contractTarget(t);
const store = storeApp(target);

/** Claims that only the id token may carry, by scope; the access token never does under Strict. */
const profileClaims = ['given_name', 'family_name', 'name', 'middle_name', 'picture', 'birthdate'];
const emailClaims = ['email', 'email_verified', 'preferred_username'];
const phoneClaims = ['phone_number', 'phone_number_verified'];

interface Login {
  user: OAuthUser;
  request: AuthorizeRequest;
  code: string;
  tokens: AccessToken;
}

/** A user of the test's own, signed in at `app` through the hosted form, code exchanged. */
async function login(
  t: Test,
  options: { app?: OAuthApp; overrides?: Record<string, string | null>; rememberDevice?: boolean } = {},
): Promise<Login> {
  const app = options.app ?? store;
  const user = await oauthUser(t, target.client, { applicationIds: [app.clientId] });
  const request = await authorizeRequest(target, app, options.overrides);
  const page = await signIn(
    new OAuthBrowser(target.url),
    request,
    { loginId: user.email, password: user.password },
    { rememberDevice: options.rememberDevice ?? false },
  );
  const code = codeOf(page, request);
  const exchanged = await exchangeCode(target, request, code);
  if (!exchanged.response) throw new Error(`no tokens: ${exchanged.statusCode} ${JSON.stringify(exchanged.exception)}`);
  return { user, request, code, tokens: exchanged.response };
}

function absent(t: Test, payload: object, names: string[], what: string): void {
  for (const name of names) t.notOk(Object.hasOwn(payload, name), `${what} has no ${name}`);
}

function scopesOf(value: unknown): string[] {
  return typeof value === 'string' ? value.split(' ').sort() : [];
}

async function userinfo(method: 'GET' | 'POST', authorization?: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL('/oauth2/userinfo', target.url), {
    method,
    headers: authorization === undefined ? {} : { authorization },
  });
  const text = await response.text();
  return {
    status: response.status,
    body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
  };
}

async function introspect(
  token: string,
  app: OAuthApp,
  { basic = false }: { basic?: boolean } = {},
): Promise<{ status: number; body: unknown }> {
  const body = new URLSearchParams({ token });
  if (!basic) {
    body.set('client_id', app.clientId);
    body.set('client_secret', app.clientSecret);
  }
  const response = await fetch(new URL('/oauth2/introspect', target.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(basic && { authorization: basicAuthorization(app.clientId, app.clientSecret) }),
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test(
  "the access token: FusionAuth's claims, applicationId and roles, and none of the Strict omissions",
  async (t) => {
    const { user, request, tokens } = await login(t, { rememberDevice: true });
    const { payload, protectedHeader } = await verifyJwt(target, tokens.access_token ?? '', store.clientId);
    t.match(protectedHeader, { alg: 'RS256', typ: 'JWT', kid: String });
    t.strictSame(protectedHeader['gty'], ['authorization_code'], 'gty');
    t.match(payload, {
      aud: store.clientId,
      iss: target.issuer,
      sub: user.id,
      jti: String,
      tid: target.tenantId,
      auth_time: Number,
      exp: Number,
      iat: Number,
      authenticationType: 'PASSWORD',
      applicationId: store.clientId,
      sid: tokens.refresh_token_id,
    });
    t.strictSame(payload['roles'], ['customer'], "the Store's default role");
    t.strictSame(scopesOf(payload['scope']), scopesOf(request.params.get('scope')), 'scope');
    t.equal((payload.exp ?? 0) - (payload.iat ?? 0), 300, "the Store's access-token lifetime");
    absent(t, payload, [...emailClaims, ...profileClaims, ...phoneClaims], 'the access token under Strict');
    absent(t, payload, ['nonce', 'at_hash', 'c_hash'], 'the access token');
  },
);

void t.test(
  'idTokenSid: the id token has nonce, at_hash, c_hash, sid and the scopes’ claims, never roles',
  async (t) => {
    const { user, request, code, tokens } = await login(t, { rememberDevice: true });
    const { payload, protectedHeader } = await verifyJwt(target, tokens.id_token ?? '', store.clientId);
    const access = (await verifyJwt(target, tokens.access_token ?? '', store.clientId)).payload;
    t.match(protectedHeader, { alg: 'RS256', typ: 'JWT', kid: String });
    t.strictSame(protectedHeader['gty'], ['authorization_code'], 'gty');
    t.match(payload, {
      aud: store.clientId,
      iss: target.issuer,
      sub: user.id,
      jti: String,
      tid: target.tenantId,
      exp: Number,
      iat: Number,
      authenticationType: 'PASSWORD',
      nonce: request.nonce,
      email: user.email,
      email_verified: true,
      given_name: 'Contract',
      family_name: 'Test',
      name: 'Contract Test',
    });
    t.equal(payload['auth_time'], access['auth_time'], 'one auth_time in both tokens');
    t.strictSame(scopesOf(payload['scope']), scopesOf(fullScope), 'scope');
    t.equal(payload['at_hash'], tokenHash(tokens.access_token ?? ''), 'at_hash');
    t.equal(payload['c_hash'], tokenHash(code), 'c_hash');
    absent(t, payload, ['applicationId', 'roles'], 'the id token');
    absent(t, payload, phoneClaims, 'without the phone scope, the id token');

    const refreshTokens = (await target.client.retrieveRefreshTokens(user.id)).response.refreshTokens ?? [];
    const ssoSession = refreshTokens.find((token) => !token.applicationId);
    t.ok(ssoSession, 'the SSO session is listed');
    if (idTokenSid === 'sso-session') t.equal(payload['sid'], ssoSession?.id, "sid: the SSO session's id");
    else t.equal(payload['sid'], tokens.refresh_token_id, "sid: the refresh token's id");
  },
);

void t.test('without email, profile, nonce, offline_access and an SSO session, their claims are absent', async (t) => {
  const { tokens } = await login(t, { overrides: { scope: 'openid', nonce: null } });
  const id = (await verifyJwt(target, tokens.id_token ?? '', store.clientId)).payload;
  absent(t, id, ['nonce', 'sid', ...emailClaims, ...profileClaims, ...phoneClaims], 'the id token');
  t.equal(id['scope'], 'openid');
  t.equal(id['at_hash'], tokenHash(tokens.access_token ?? ''), 'at_hash all the same');
  const access = (await verifyJwt(target, tokens.access_token ?? '', store.clientId)).payload;
  absent(t, access, ['sid'], 'without offline_access, the access token');
  t.equal(access['scope'], 'openid');
});

void t.test('a refresh keeps auth_time and the session, and adds refresh_token to gty', async (t) => {
  const { tokens } = await login(t);
  const before = await verifyJwt(target, tokens.access_token ?? '', store.clientId);
  const refreshed = await settle(
    oauthClient(target).exchangeRefreshTokenForAccessToken(
      tokens.refresh_token ?? '',
      store.clientId,
      store.clientSecret,
      '',
      '',
    ),
  );
  t.match(refreshed, { resolved: true, statusCode: 200, response: { access_token: String } });
  const after = await verifyJwt(target, refreshed.response?.access_token ?? '', store.clientId);
  t.strictSame(after.protectedHeader['gty'], ['authorization_code', 'refresh_token'], 'gty');
  t.equal(after.payload['auth_time'], before.payload['auth_time'], 'auth_time is kept');
  t.equal(after.payload['sid'], tokens.refresh_token_id, 'sid: the refresh token');
  t.equal(after.payload.sub, before.payload.sub);
  t.not(after.payload.jti, before.payload.jti, 'a new jti');
  t.strictSame(scopesOf(after.payload['scope']), scopesOf(fullScope), 'the scopes granted');
  const narrowed = await settle(
    oauthClient(target).exchangeRefreshTokenForAccessToken(
      tokens.refresh_token ?? '',
      store.clientId,
      store.clientSecret,
      'openid',
      '',
    ),
  );
  const narrow = await verifyJwt(target, narrowed.response?.access_token ?? '', store.clientId);
  t.equal(narrow.payload['scope'], 'openid', 'a refresh may ask for a subset of the scopes');
  // FusionAuth's documentation leaves open whether a refresh answers with a new id token; when it does, it carries the same claims.
  if (refreshed.response?.id_token) {
    const id = await verifyJwt(target, refreshed.response.id_token, store.clientId);
    t.strictSame(id.protectedHeader['gty'], ['authorization_code', 'refresh_token'], 'gty of the new id token');
    t.equal(id.payload['auth_time'], before.payload['auth_time']);
  }
});

void t.test('userinfo: GET and POST with the bearer token; claims by scope; no applicationId or roles', async (t) => {
  const { user, tokens } = await login(t);
  for (const method of ['GET', 'POST'] as const) {
    const answer = await userinfo(method, `Bearer ${tokens.access_token}`);
    t.equal(answer.status, 200, method);
    t.match(answer.body, {
      sub: user.id,
      email: user.email,
      email_verified: true,
      given_name: 'Contract',
      family_name: 'Test',
      name: 'Contract Test',
    });
    absent(t, answer.body as object, ['applicationId', 'roles'], `${method} userinfo`);
  }
  const viaClient = await settle(oauthClient(target).retrieveUserInfoFromAccessToken(tokens.access_token ?? ''));
  t.match(viaClient, { resolved: true, statusCode: 200, response: { sub: user.id, email: user.email } });

  const narrow = await login(t, { overrides: { scope: 'openid' } });
  const narrowAnswer = await userinfo('GET', `Bearer ${narrow.tokens.access_token}`);
  t.equal(narrowAnswer.status, 200);
  t.match(narrowAnswer.body, { sub: narrow.user.id });
  absent(t, narrowAnswer.body as object, [...emailClaims, ...profileClaims], 'openid-only userinfo');
});

void t.test('userinfo: 401 with no header, a malformed one, or a token that is not one', async (t) => {
  const { tokens } = await login(t);
  t.equal((await userinfo('GET')).status, 401, 'no Authorization');
  t.equal((await userinfo('GET', 'Bearer')).status, 401, 'no token');
  t.equal((await userinfo('GET', 'Bearer not-a-jwt')).status, 401, 'not a JWT');
  t.equal((await userinfo('GET', `Bearer ${tokens.access_token}x`)).status, 401, 'a broken signature');
  t.equal((await userinfo('GET', basicAuthorization(store.clientId, store.clientSecret))).status, 401, 'Basic');
});

void t.test('userinfoWithoutOpenIdStatus: a token whose scope lacks openid, under Strict', async (t) => {
  const { tokens } = await login(t, { overrides: { scope: 'offline_access email' } });
  t.equal((await userinfo('GET', `Bearer ${tokens.access_token}`)).status, userinfoWithoutOpenIdStatus);
});

void t.test('userinfo: 401 once the token’s application is no longer active', async (t) => {
  const app = await temporaryOAuthApp(t, target);
  const { tokens } = await login(t, { app });
  t.equal((await userinfo('GET', `Bearer ${tokens.access_token}`)).status, 200, 'while it is active');
  await target.client.deactivateApplication(app.clientId);
  t.equal((await userinfo('GET', `Bearer ${tokens.access_token}`)).status, 401, 'deactivated');
});

void t.test(
  'introspect: active with the claims for its own client, inactive otherwise, 401 for another client',
  async (t) => {
    const { user, tokens } = await login(t);
    const token = tokens.access_token ?? '';
    for (const basic of [false, true]) {
      const answer = await introspect(token, store, { basic });
      t.equal(answer.status, 200, basic ? 'Basic' : 'in the body');
      t.match(answer.body, {
        active: true,
        sub: user.id,
        aud: store.clientId,
        iss: target.issuer,
        applicationId: store.clientId,
        jti: String,
        exp: Number,
        tid: target.tenantId,
      });
    }
    const garbage = await introspect('not-a-token', store);
    t.equal(garbage.status, 200);
    t.strictSame(garbage.body, { active: false });
    t.strictSame((await introspect(`${token}x`, store)).body, { active: false }, 'a broken signature');
    t.equal((await introspect(token, forumApp(target))).status, 401, "the Forum asking about the Store's token");
  },
);
