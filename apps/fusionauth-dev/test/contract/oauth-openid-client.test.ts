import {
  allowInsecureRequests,
  authorizationCodeGrant,
  AuthorizationResponseError,
  buildAuthorizationUrl,
  buildEndSessionUrl,
  calculatePKCECodeChallenge,
  ClientSecretBasic,
  Configuration,
  discovery,
  enableNonRepudiationChecks,
  fetchUserInfo,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
  refreshTokenGrant,
  ResponseBodyError,
  tokenIntrospection,
} from 'openid-client';
import type { Test } from 'tap';
import t from 'tap';
import { invalidCodeError, silentAuthenticationType } from '../../src/oauth/assumptions.js';
import { OAuthBrowser } from '../support/oauth-browser.js';
import { oauthUser, type OAuthUser } from '../support/oauth-fixtures.js';
import { forumApp, fullScope, reachedApp, storeApp, type OAuthApp } from '../support/oauth-flow.js';
import { contractTarget } from '../support/target.js';

/**
 * The whole flow through openid-client, a certified OpenID Connect relying party that shares no
 * code with the stand-in: if it accepts every answer (issuer, `iss`, state, nonce, signatures,
 * token and userinfo shapes), the stand-in is one that the backends' library accepts too.
 */
const target = await contractTarget(t, { issuerAtUrl: true });
const store = storeApp(target);
const forum = forumApp(target);

async function relyingParty(app: OAuthApp, options: { basic?: boolean } = {}): Promise<Configuration> {
  const config = await discovery(
    new URL(target.issuer),
    app.clientId,
    app.clientSecret,
    options.basic ? ClientSecretBasic(app.clientSecret) : undefined,
    { execute: [allowInsecureRequests] },
  );
  enableNonRepudiationChecks(config);
  return config;
}

interface Started {
  url: URL;
  state: string;
  nonce: string;
  verifier: string;
}

/** A login start as the backends make it. */
async function start(config: Configuration, app: OAuthApp, extra: Record<string, string> = {}): Promise<Started> {
  const state = randomState();
  const nonce = randomNonce();
  const verifier = randomPKCECodeVerifier();
  const url = buildAuthorizationUrl(config, {
    redirect_uri: app.redirectUri,
    scope: fullScope,
    state,
    nonce,
    code_challenge: await calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, state, nonce, verifier };
}

/** Where FusionAuth sends the browser back to the app: the callback URL the backend would be given. */
async function callbackUrl(t: Test, browser: OAuthBrowser, started: Started, user?: OAuthUser): Promise<URL> {
  let page = await browser.visit(started.url);
  if (user && page.hasField('loginId')) {
    page = await browser.submit(page, 'loginId', {
      loginId: user.email,
      password: user.password,
      rememberDevice: true,
    });
  }
  t.equal(page.status, 302, 'FusionAuth sends the browser back');
  return page.location ?? new URL('about:blank');
}

function grant(config: Configuration, callback: URL, started: Started) {
  return authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: started.verifier,
    expectedState: started.state,
    expectedNonce: started.nonce,
    idTokenExpected: true,
  });
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('discovery: openid-client accepts the document for the issuer it discovered from', async (t) => {
  const config = await relyingParty(store);
  const server = config.serverMetadata();
  t.equal(server.issuer, target.issuer);
  t.equal(server.authorization_endpoint, new URL('/oauth2/authorize', target.url).href);
  t.equal(server.end_session_endpoint, new URL('/oauth2/logout', target.url).href);
  t.strictSame(server.code_challenge_methods_supported, ['S256']);
  t.notOk(server.supportsPKCE('plain'), 'S256 only');
});

void t.test('sign-in, userinfo, refresh, introspection and logout, each answer checked by openid-client', async (t) => {
  const user = await oauthUser(t, target.client, {
    applicationIds: [target.storeApplicationId, target.forumApplicationId],
  });
  const config = await relyingParty(store);
  const browser = new OAuthBrowser(target.url);
  const started = await start(config, store);
  t.equal(started.url.origin, new URL(target.url).origin);
  t.equal(started.url.searchParams.get('client_id'), store.clientId);

  const tokens = await grant(config, await callbackUrl(t, browser, started, user), started);
  t.equal(tokens.token_type.toLowerCase(), 'bearer');
  t.type(tokens.expires_in, 'number');
  t.type(tokens.refresh_token, 'string');
  const claims = tokens.claims();
  t.match(claims, { iss: target.issuer, aud: store.clientId, sub: user.id, nonce: started.nonce, email: user.email });

  const info = await fetchUserInfo(config, tokens.access_token, user.id);
  t.match(info, { sub: user.id, email: user.email, email_verified: true });

  const refreshed = await refreshTokenGrant(config, tokens.refresh_token ?? '');
  t.type(refreshed.access_token, 'string');
  t.not(refreshed.access_token, tokens.access_token, 'a new access token');

  // FusionAuth's discovery document does not list its introspection endpoint, so the
  // relying party is told where it is.
  const { issuer, token_endpoint } = config.serverMetadata();
  const introspecting = new Configuration(
    { issuer, token_endpoint, introspection_endpoint: new URL('/oauth2/introspect', target.url).href },
    store.clientId,
    store.clientSecret,
  );
  allowInsecureRequests(introspecting);
  const active = await tokenIntrospection(introspecting, refreshed.access_token);
  t.match(active, { active: true, sub: user.id, aud: store.clientId });
  t.match(await tokenIntrospection(introspecting, 'not-a-token'), { active: false });

  const logout = buildEndSessionUrl(config, { post_logout_redirect_uri: `${target.storeOrigin}/`, state: 'bye' });
  t.equal(logout.searchParams.get('client_id'), store.clientId, 'the end-session URL names the client');
  const page = await browser.request('GET', logout);
  t.equal(page.status, 200, 'the AllApplications logout page');
  const next = await browser.visit((await start(config, store)).url);
  t.ok(next.hasField('loginId'), 'signed out: the next login shows the form');
  t.notOk(reachedApp(next, store.redirectUri));
});

void t.test('a second relying party signs in through the SSO session, client_secret_basic', async (t) => {
  const user = await oauthUser(t, target.client, {
    applicationIds: [target.storeApplicationId, target.forumApplicationId],
  });
  const browser = new OAuthBrowser(target.url);
  const storeConfig = await relyingParty(store);
  const first = await start(storeConfig, store);
  const storeTokens = await grant(storeConfig, await callbackUrl(t, browser, first, user), first);

  const forumConfig = await relyingParty(forum, { basic: true });
  const second = await start(forumConfig, forum);
  const forumTokens = await grant(forumConfig, await callbackUrl(t, browser, second), second);
  const claims = forumTokens.claims();
  t.match(claims, { aud: forum.clientId, sub: user.id, nonce: second.nonce });
  t.equal(claims?.['authenticationType'], silentAuthenticationType, 'silentAuthenticationType');
  t.equal(claims?.auth_time, storeTokens.claims()?.auth_time, 'the one authentication');
});

void t.test('openid-client turns FusionAuth errors into its own: login_required, a reused code', async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const config = await relyingParty(store);

  const silent = await start(config, store, { prompt: 'none' });
  const refused = await callbackUrl(t, new OAuthBrowser(target.url), silent);
  await t.rejects(grant(config, refused, silent), AuthorizationResponseError, 'prompt=none without SSO');
  const error = await grant(config, refused, silent).catch((caught: unknown) => caught);
  t.match(error, { error: 'login_required' });

  const browser = new OAuthBrowser(target.url);
  const started = await start(config, store);
  const callback = await callbackUrl(t, browser, started, user);
  await grant(config, callback, started);
  const replayed = await grant(config, callback, started).catch((caught: unknown) => caught);
  t.ok(replayed instanceof ResponseBodyError, 'a replayed callback fails at the token endpoint');
  t.match(replayed, { error: invalidCodeError, status: 400, cause: { error_reason: 'auth_code_not_found' } });
});

void t.test("openid-client refuses a callback with another state, nonce or iss than FusionAuth's", async (t) => {
  const user = await oauthUser(t, target.client, { applicationIds: [target.storeApplicationId] });
  const config = await relyingParty(store);
  const started = await start(config, store);
  const callback = await callbackUrl(t, new OAuthBrowser(target.url), started, user);

  await t.rejects(grant(config, callback, { ...started, state: randomState() }), 'another state');
  const forgedIss = new URL(callback);
  forgedIss.searchParams.set('iss', 'https://evil.example');
  await t.rejects(grant(config, forgedIss, started), "another iss: the callback's is the issuer's");
  await t.rejects(grant(config, callback, { ...started, nonce: randomNonce() }), 'another nonce in the id token');
});
