import { setTimeout as sleep } from 'node:timers/promises';
import { ClientAuthenticationPolicy, GrantType, ProofKeyForCodeExchangePolicy } from '@fusionauth/typescript-client';
import type { Test } from 'tap';
import t from 'tap';
import {
  grantDisabledError,
  invalidCodeError,
  pkceError,
  redirectUriMismatchError,
  wrongContentTypeReason,
} from '../../src/oauth/assumptions.js';
import { OAuthBrowser } from '../support/oauth-browser.js';
import { oauthUser, temporaryOAuthApp, temporaryTenant, type OAuthUser } from '../support/oauth-fixtures.js';
import {
  authorizeRequest,
  basicAuthorization,
  codeOf,
  exchangeCode,
  forumApp,
  oauthClient,
  oauthError,
  postToken,
  signIn,
  storeApp,
  type AuthorizeRequest,
  type OAuthApp,
} from '../support/oauth-flow.js';
import { settle } from '../support/settle.js';
import { contractTarget } from '../support/target.js';

const target = await contractTarget(t);
const store = storeApp(target);
const client = oauthClient(target);

/** A user of the test's own, registered for the Store and the Forum. */
function storeUser(t: Test): Promise<OAuthUser> {
  return oauthUser(t, target.client, { applicationIds: [target.storeApplicationId, target.forumApplicationId] });
}

/** A fresh authorization code for the user: the request it answers and the code. */
async function freshCode(
  user: OAuthUser,
  app: OAuthApp = store,
  overrides: Record<string, string | null> = {},
): Promise<{ request: AuthorizeRequest; code: string }> {
  const request = await authorizeRequest(target, app, overrides);
  const page = await signIn(new OAuthBrowser(target.url), request, { loginId: user.email, password: user.password });
  const code = codeOf(page, request);
  if (code === '') throw new Error(`no code for ${app.clientId}: ${page.status} ${page.text.slice(0, 200)}`);
  return { request, code };
}

/** A code-grant body as the backends would post it (the secret in the body). */
function codeGrantBody(
  request: AuthorizeRequest,
  code: string,
  overrides: Record<string, string | null> = {},
): URLSearchParams {
  const fields: Record<string, string | null> = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: request.app.redirectUri,
    client_id: request.app.clientId,
    client_secret: request.app.clientSecret,
    code_verifier: request.codeVerifier,
    ...overrides,
  };
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== null) body.set(name, value);
  return body;
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('the code exchange answers 200 with the tokens the scopes ask for', async (t) => {
  const user = await storeUser(t);
  const { request, code } = await freshCode(user);
  const exchanged = await exchangeCode(target, request, code);
  t.match(exchanged, {
    resolved: true,
    statusCode: 200,
    response: {
      access_token: String,
      id_token: String,
      refresh_token: String,
      refresh_token_id: /^[0-9a-f-]{36}$/,
      token_type: 'Bearer',
      userId: user.id,
      expires_in: Number,
    },
  });
  const body = exchanged.response;
  t.ok((body?.expires_in ?? 0) > 290 && (body?.expires_in ?? 0) <= 300, "expires_in: the Store's 300 s access token");
  t.strictSame(body?.scope?.split(' ').sort(), request.params.get('scope')?.split(' ').sort(), 'scope as granted');

  const openIdOnly = await freshCode(user, store, { scope: 'openid' });
  const narrow = await exchangeCode(target, openIdOnly.request, openIdOnly.code);
  t.match(narrow, { resolved: true, statusCode: 200, response: { access_token: String, id_token: String } });
  t.notOk(narrow.response?.refresh_token, 'no refresh token without offline_access');
  t.notOk(narrow.response?.refresh_token_id);

  const noOpenId = await freshCode(user, store, { scope: 'offline_access' });
  const plain = await exchangeCode(target, noOpenId.request, noOpenId.code);
  t.match(plain, { resolved: true, statusCode: 200, response: { access_token: String, refresh_token: String } });
  t.notOk(plain.response?.id_token, 'no id token without openid');
});

void t.test(
  'the token answer is JSON with Cache-Control: no-store; Basic and body authentication both work',
  async (t) => {
    const user = await storeUser(t);
    const body = await freshCode(user);
    const inBody = await postToken(target, codeGrantBody(body.request, body.code));
    t.equal(inBody.status, 200, 'the secret in the body');
    t.match(inBody.headers.get('content-type'), /^application\/json/);
    t.match(inBody.headers.get('cache-control'), /no-store/);
    t.match(inBody.body, { access_token: String, token_type: 'Bearer' });

    const basic = await freshCode(user);
    const withBasic = await postToken(
      target,
      codeGrantBody(basic.request, basic.code, { client_id: null, client_secret: null }),
      {
        authorization: basicAuthorization(store.clientId, store.clientSecret),
      },
    );
    t.equal(withBasic.status, 200, 'Authorization: Basic, no client_id in the body');
    t.match(withBasic.body, { access_token: String, userId: user.id });
  },
);

void t.test('invalidCodeError: a reused or unknown code gives 400 auth_code_not_found', async (t) => {
  const user = await storeUser(t);
  const { request, code } = await freshCode(user);
  t.match(await exchangeCode(target, request, code), { resolved: true, statusCode: 200 });
  const reused = await exchangeCode(target, request, code);
  t.match(reused, { resolved: false, statusCode: 400 }, 'the code is single use');
  t.match(oauthError(reused), {
    error: invalidCodeError,
    error_reason: 'auth_code_not_found',
    error_description: String,
  });

  const unknown = await exchangeCode(target, request, 'no-such-code');
  t.match(unknown, { resolved: false, statusCode: 400 });
  t.match(oauthError(unknown), { error: invalidCodeError, error_reason: 'auth_code_not_found' });
});

void t.test('invalidCodeError: a code exchanged after a tenant TTL of 1 s has expired', async (t) => {
  const tenant = await temporaryTenant(t, target, {
    externalIdentifierConfiguration: { authorizationGrantIdTimeToLiveInSeconds: 1 },
  });
  const app = await temporaryOAuthApp(t, target, { client: tenant.client });
  const user = await oauthUser(t, tenant.client, { applicationIds: [app.clientId] });
  const { request, code } = await freshCode(user, app);
  await sleep(2_000);
  const expired = await exchangeCode(target, request, code);
  t.match(expired, { resolved: false, statusCode: 400 });
  t.match(oauthError(expired), { error: invalidCodeError, error_reason: 'auth_code_not_found' });

  const fresh = await freshCode(user, app);
  t.match(await exchangeCode(target, fresh.request, fresh.code), { resolved: true, statusCode: 200 }, 'in time: 200');
});

void t.test(
  'redirectUriMismatchError: a redirect_uri other than the authorize request’s, even a registered one',
  async (t) => {
    const user = await storeUser(t);
    const { request, code } = await freshCode(user);
    const mismatch = await settle(
      client.exchangeOAuthCodeForAccessTokenUsingPKCE(
        code,
        store.clientId,
        store.clientSecret,
        `${target.storeOrigin}/`,
        request.codeVerifier,
      ),
    );
    t.match(mismatch, { resolved: false, statusCode: 400 });
    t.match(oauthError(mismatch), { error: redirectUriMismatchError, error_reason: 'invalid_redirect_uri' });
  },
);

void t.test('a missing code, redirect_uri or grant_type: 400 invalid_request', async (t) => {
  const user = await storeUser(t);
  const { request, code } = await freshCode(user);
  for (const [field, reason] of [
    ['code', 'missing_code'],
    ['redirect_uri', 'missing_redirect_uri'],
    ['grant_type', 'missing_grant_type'],
  ] as const) {
    const fields = {
      grant_type: 'authorization_code',
      code,
      redirect_uri: store.redirectUri,
      client_id: store.clientId,
      client_secret: store.clientSecret,
      code_verifier: request.codeVerifier,
    };
    const { [field]: _omitted, ...rest } = fields;
    const outcome = await settle(client.exchangeOAuthCodeForAccessTokenUsingPKCEWithRequest(rest));
    t.match(outcome, { resolved: false, statusCode: 400 }, `without ${field}`);
    t.match(oauthError(outcome), { error: 'invalid_request', error_reason: reason }, `without ${field}`);
  }
});

void t.test('wrongContentTypeReason: a JSON body, or fields in the query, are not a token request', async (t) => {
  const user = await storeUser(t);
  const { request, code } = await freshCode(user);
  const fields = Object.fromEntries(codeGrantBody(request, code));
  const json = await fetch(new URL('/oauth2/token', target.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fields),
  });
  t.equal(json.status, 400, 'a JSON body');
  t.match(await json.json(), { error: 'invalid_request', error_reason: wrongContentTypeReason });

  const query = await fetch(new URL(`/oauth2/token?${codeGrantBody(request, code).toString()}`, target.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
  });
  t.equal(query.status, 400, 'query parameters do not count');
  t.match(await query.json(), { error: 'invalid_request', error_reason: 'missing_grant_type' });
});

void t.test(
  'PKCE: pkceError for a wrong verifier (invalid_pkce_code_verifier) or none (missing_code_verifier)',
  async (t) => {
    const user = await storeUser(t);
    const wrong = await freshCode(user);
    const wrongVerifier = await settle(
      client.exchangeOAuthCodeForAccessTokenUsingPKCE(
        wrong.code,
        store.clientId,
        store.clientSecret,
        store.redirectUri,
        `${wrong.request.codeVerifier.slice(1)}x`,
      ),
    );
    t.match(wrongVerifier, { resolved: false, statusCode: 400 });
    t.match(oauthError(wrongVerifier), { error: pkceError, error_reason: 'invalid_pkce_code_verifier' });

    const none = await freshCode(user);
    const noVerifier = await settle(
      client.exchangeOAuthCodeForAccessToken(none.code, store.clientId, store.clientSecret, store.redirectUri),
    );
    t.match(noVerifier, { resolved: false, statusCode: 400 });
    t.match(oauthError(noVerifier), { error: pkceError, error_reason: 'missing_code_verifier' });
  },
);

void t.test('PKCE NotRequired: optional, except after an authorize request that carried a challenge', async (t) => {
  const app = await temporaryOAuthApp(t, target, {
    oauthConfiguration: { proofKeyForCodeExchangePolicy: ProofKeyForCodeExchangePolicy.NotRequired },
  });
  const user = await oauthUser(t, target.client, { applicationIds: [app.clientId] });
  const plain = await freshCode(user, app, { code_challenge: null, code_challenge_method: null });
  const withoutPkce = await settle(
    client.exchangeOAuthCodeForAccessToken(plain.code, app.clientId, app.clientSecret, app.redirectUri),
  );
  t.match(withoutPkce, { resolved: true, statusCode: 200 }, 'no challenge, no verifier');

  const challenged = await freshCode(user, app);
  const missing = await settle(
    client.exchangeOAuthCodeForAccessToken(challenged.code, app.clientId, app.clientSecret, app.redirectUri),
  );
  t.match(missing, { resolved: false, statusCode: 400 }, 'a challenge was sent: the verifier is due');
  t.match(oauthError(missing), { error: pkceError, error_reason: 'missing_code_verifier' });
});

void t.test(
  'PKCE NotRequiredWhenUsingClientAuthentication: client credentials stand in for the verifier',
  async (t) => {
    const app = await temporaryOAuthApp(t, target, {
      oauthConfiguration: {
        proofKeyForCodeExchangePolicy: ProofKeyForCodeExchangePolicy.NotRequiredWhenUsingClientAuthentication,
      },
    });
    const user = await oauthUser(t, target.client, { applicationIds: [app.clientId] });
    const { code } = await freshCode(user, app, { code_challenge: null, code_challenge_method: null });
    const outcome = await settle(
      client.exchangeOAuthCodeForAccessToken(code, app.clientId, app.clientSecret, app.redirectUri),
    );
    t.match(outcome, { resolved: true, statusCode: 200 });
  },
);

void t.test('client auth: a wrong secret or none gives 401 invalid_client', async (t) => {
  const user = await storeUser(t);
  const wrong = await freshCode(user);
  const wrongSecret = await settle(
    client.exchangeOAuthCodeForAccessTokenUsingPKCE(
      wrong.code,
      store.clientId,
      'not-the-secret',
      store.redirectUri,
      wrong.request.codeVerifier,
    ),
  );
  t.match(wrongSecret, { resolved: false, statusCode: 401 });
  t.match(oauthError(wrongSecret), { error: 'invalid_client', error_reason: 'invalid_client_authentication' });

  const wrongBasic = await postToken(
    target,
    codeGrantBody(wrong.request, wrong.code, { client_id: null, client_secret: null }),
    {
      authorization: basicAuthorization(store.clientId, 'not-the-secret'),
    },
  );
  t.equal(wrongBasic.status, 401, 'a wrong secret in Basic');
  t.match(wrongBasic.body, { error: 'invalid_client', error_reason: 'invalid_client_authentication' });

  const none = await settle(
    client.exchangeOAuthCodeForAccessTokenUsingPKCEWithRequest({
      grant_type: 'authorization_code',
      code: wrong.code,
      client_id: store.clientId,
      redirect_uri: store.redirectUri,
      code_verifier: wrong.request.codeVerifier,
    }),
  );
  t.match(none, { resolved: false, statusCode: 401 }, 'no secret under Required');
  t.match(oauthError(none), { error: 'invalid_client', error_reason: 'client_authentication_missing' });
});

void t.test('client auth: Basic and a body client_id that name different clients are refused', async (t) => {
  const user = await storeUser(t);
  const { request, code } = await freshCode(user);
  const mismatch = await postToken(
    target,
    codeGrantBody(request, code, { client_id: target.forumApplicationId, client_secret: null }),
    {
      authorization: basicAuthorization(store.clientId, store.clientSecret),
    },
  );
  t.equal(mismatch.status, 401);
  t.match(mismatch.body, { error: 'invalid_client', error_reason: 'client_id_mismatch' });
});

void t.test("a code is bound to its client: the Forum cannot exchange the Store's", async (t) => {
  const user = await storeUser(t);
  const { request, code } = await freshCode(user);
  const forum = forumApp(target);
  const stolen = await settle(
    client.exchangeOAuthCodeForAccessTokenUsingPKCE(
      code,
      forum.clientId,
      forum.clientSecret,
      store.redirectUri,
      request.codeVerifier,
    ),
  );
  t.equal(stolen.resolved, false, 'refused');
  t.ok((stolen.statusCode ?? 0) >= 400 && (stolen.statusCode ?? 0) < 500, `a 4xx, not ${stolen.statusCode}`);
  t.notOk(stolen.response?.access_token, 'no token');
});

void t.test('clientAuthenticationPolicy NotRequired: no secret needed, but a wrong one is still refused', async (t) => {
  const app = await temporaryOAuthApp(t, target, {
    oauthConfiguration: { clientAuthenticationPolicy: ClientAuthenticationPolicy.NotRequired },
  });
  const user = await oauthUser(t, target.client, { applicationIds: [app.clientId] });
  const first = await freshCode(user, app);
  const noSecret = await settle(
    client.exchangeOAuthCodeForAccessTokenUsingPKCEWithRequest({
      grant_type: 'authorization_code',
      code: first.code,
      client_id: app.clientId,
      redirect_uri: app.redirectUri,
      code_verifier: first.request.codeVerifier,
    }),
  );
  t.match(noSecret, { resolved: true, statusCode: 200 }, 'no secret');

  const second = await freshCode(user, app);
  const wrongSecret = await settle(
    client.exchangeOAuthCodeForAccessTokenUsingPKCE(
      second.code,
      app.clientId,
      'not-the-secret',
      app.redirectUri,
      second.request.codeVerifier,
    ),
  );
  t.match(wrongSecret, { resolved: false, statusCode: 401 }, 'a secret that is sent is checked');
  t.match(oauthError(wrongSecret), { error: 'invalid_client', error_reason: 'invalid_client_authentication' });
});

void t.test(
  'clientAuthenticationPolicy NotRequiredWhenUsingPKCE: a valid verifier stands in for the secret',
  async (t) => {
    const app = await temporaryOAuthApp(t, target, {
      oauthConfiguration: {
        clientAuthenticationPolicy: ClientAuthenticationPolicy.NotRequiredWhenUsingPKCE,
        proofKeyForCodeExchangePolicy: ProofKeyForCodeExchangePolicy.NotRequired,
      },
    });
    const user = await oauthUser(t, target.client, { applicationIds: [app.clientId] });
    const pkce = await freshCode(user, app);
    const withVerifier = await settle(
      client.exchangeOAuthCodeForAccessTokenUsingPKCEWithRequest({
        grant_type: 'authorization_code',
        code: pkce.code,
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
        code_verifier: pkce.request.codeVerifier,
      }),
    );
    t.match(withVerifier, { resolved: true, statusCode: 200 }, 'a verifier, no secret');

    const plain = await freshCode(user, app, { code_challenge: null, code_challenge_method: null });
    const neither = await settle(
      client.exchangeOAuthCodeForAccessTokenWithRequest({
        grant_type: 'authorization_code',
        code: plain.code,
        client_id: app.clientId,
        redirect_uri: app.redirectUri,
      }),
    );
    t.match(neither, { resolved: false, statusCode: 401 }, 'neither verifier nor secret');
    t.match(oauthError(neither), { error: 'invalid_client', error_reason: 'client_authentication_missing' });
  },
);

void t.test('the refresh grant: a new access token, no new refresh token; a bad token gives 400', async (t) => {
  const user = await storeUser(t);
  const { request, code } = await freshCode(user);
  const tokens = (await exchangeCode(target, request, code)).response;
  const refreshed = await settle(
    client.exchangeRefreshTokenForAccessTokenWithRequest({
      grant_type: 'refresh_token',
      refresh_token: tokens?.refresh_token ?? '',
      client_id: store.clientId,
      client_secret: store.clientSecret,
    }),
  );
  t.match(refreshed, { resolved: true, statusCode: 200, response: { access_token: String, token_type: 'Bearer' } });
  t.not(refreshed.response?.access_token, tokens?.access_token, 'a new access token');
  t.notOk(refreshed.response?.refresh_token, 'no new refresh token (#276)');

  const noSecret = await settle(
    client.exchangeRefreshTokenForAccessTokenWithRequest({
      grant_type: 'refresh_token',
      refresh_token: tokens?.refresh_token ?? '',
      client_id: store.clientId,
    }),
  );
  t.match(noSecret, { resolved: false, statusCode: 401 }, 'the refresh grant needs the secret under Required');

  const bad = await settle(
    client.exchangeRefreshTokenForAccessTokenWithRequest({
      grant_type: 'refresh_token',
      refresh_token: 'no-such-refresh-token',
      client_id: store.clientId,
      client_secret: store.clientSecret,
    }),
  );
  t.match(bad, { resolved: false, statusCode: 400 });
  t.match(oauthError(bad), { error: String });
});

void t.test('grantDisabledError for a grant the application has not enabled; an unknown grant type', async (t) => {
  const app = await temporaryOAuthApp(t, target, {
    oauthConfiguration: { enabledGrants: [GrantType.authorization_code] },
  });
  const disabled = await postToken(
    target,
    new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: 'any-refresh-token',
      client_id: app.clientId,
      client_secret: app.clientSecret,
    }),
  );
  t.equal(disabled.status, 400);
  t.match(disabled.body, { error: grantDisabledError, error_reason: 'grant_type_disabled' });

  const unknown = await postToken(
    target,
    new URLSearchParams({ grant_type: 'bogus', client_id: store.clientId, client_secret: store.clientSecret }),
  );
  t.equal(unknown.status, 400);
  t.match(unknown.body, { error: 'unsupported_grant_type' });
});
