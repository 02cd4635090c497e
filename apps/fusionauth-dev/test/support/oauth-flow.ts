import { createHash } from 'node:crypto';
import { FusionAuthClient, type AccessToken, type OAuthError } from '@fusionauth/typescript-client';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyResult } from 'jose';
import { calculatePKCECodeChallenge, randomNonce, randomPKCECodeVerifier, randomState } from 'openid-client';
import type { Test } from 'tap';
import type { OAuthBrowser, Page } from './oauth-browser.js';
import { settle, type Settled } from './settle.js';
import type { ContractTarget } from './target.js';

/** An OAuth client as FusionAuth knows it: the application id, its secret and a registered redirect. */
export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export function storeApp(target: ContractTarget): OAuthApp {
  return {
    clientId: target.storeApplicationId,
    clientSecret: target.storeClientSecret,
    redirectUri: `${target.storeOrigin}/api/oauth/callback`,
  };
}

export function forumApp(target: ContractTarget): OAuthApp {
  return {
    clientId: target.forumApplicationId,
    clientSecret: target.forumClientSecret,
    redirectUri: `${target.forumOrigin}/api/oauth/callback`,
  };
}

/** What the backends ask for; tests narrow it where a claim depends on a scope. */
export const fullScope = 'openid offline_access email profile';

export interface AuthorizeRequest {
  app: OAuthApp;
  url: URL;
  /** The parameters as sent (absent ones omitted). */
  params: URLSearchParams;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/**
 * A `GET /oauth2/authorize` URL as the backends build it: code flow, PKCE S256, fresh state and
 * nonce. `overrides` replaces a parameter, or removes it with `null`.
 */
export async function authorizeRequest(
  target: ContractTarget,
  app: OAuthApp,
  overrides: Record<string, string | null> = {},
): Promise<AuthorizeRequest> {
  const state = randomState();
  const nonce = randomNonce();
  const codeVerifier = randomPKCECodeVerifier();
  const defaults: Record<string, string> = {
    client_id: app.clientId,
    redirect_uri: app.redirectUri,
    response_type: 'code',
    scope: fullScope,
    state,
    nonce,
    code_challenge: await calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...defaults, ...overrides })) {
    if (value !== null) params.set(name, value);
  }
  const url = new URL(`/oauth2/authorize?${params.toString()}`, target.url);
  return { app, url, params, state: params.get('state') ?? '', nonce: params.get('nonce') ?? '', codeVerifier };
}

export interface Credentials {
  loginId: string;
  password: string;
}

/**
 * Opens the authorize URL, expects the login form, and submits it: answers the page the login led
 * to (a redirect to the app with a code, another hosted page, or the form again).
 */
export async function signIn(
  browser: OAuthBrowser,
  request: AuthorizeRequest,
  credentials: Credentials,
  { rememberDevice = false }: { rememberDevice?: boolean } = {},
): Promise<Page> {
  const form = await browser.visit(request.url);
  return browser.submit(form, 'loginId', { ...credentials, rememberDevice });
}

/** The forgot-password page of an authorize request, reached as a person does: the login form's link. */
export async function forgotPasswordPage(browser: OAuthBrowser, request: AuthorizeRequest): Promise<Page> {
  const login = await browser.visit(request.url);
  const link = login.link('Forgot your password?');
  if (!link) throw new Error(`no "Forgot your password?" on the login form: ${login.text.slice(0, 300)}`);
  return browser.visit(link);
}

/**
 * The parameters of a redirect to the request's `redirect_uri`, in the order sent; undefined when
 * the page is anything else (a form, an error page, a redirect elsewhere).
 */
export function redirectParams(page: Page, redirectUri: string): URLSearchParams | undefined {
  const location = page.location;
  if (!location) return undefined;
  return `${location.origin}${location.pathname}` === redirectUri ? location.searchParams : undefined;
}

/** Whether any answer on the way to `page` sent the browser to the app's `redirect_uri`. */
export function reachedApp(page: Page, redirectUri: string): boolean {
  return [...page.redirectedFrom, page].some((hop) => redirectParams(hop, redirectUri) !== undefined);
}

/**
 * The hosted pages may not be framed, and their URLs (`state`, `twoFactorId`, `changePasswordId`)
 * may reach no other site through a Referer or be kept by a cache.
 */
const hostedPageHeaders = {
  'content-security-policy': "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/** Asserts the hosted pages' headers on the page and on every redirect that led to it. */
export function checkHostedPageHeaders(t: Test, page: Page, label: string): void {
  for (const [index, hop] of [...page.redirectedFrom, page].entries()) {
    for (const [name, value] of Object.entries(hostedPageHeaders)) {
      t.equal(
        hop.headers.get(name),
        value,
        `${label}, answer ${index + 1} (${hop.status} ${hop.url.pathname}): ${name}`,
      );
    }
  }
}

/** The authorization code the page carries to the app, or '' (so that a test fails on it, not here). */
export function codeOf(page: Page, request: AuthorizeRequest): string {
  return redirectParams(page, request.app.redirectUri)?.get('code') ?? '';
}

/**
 * The typescript client for FusionAuth's OAuth endpoints: no API key and no tenant header, as the
 * endpoints need neither and the tenant follows from the client id.
 */
export function oauthClient(target: ContractTarget): FusionAuthClient {
  return new FusionAuthClient(null as unknown as string, target.url);
}

/** The code exchange the backends make: secret in the body and the PKCE verifier. */
export function exchangeCode(
  target: ContractTarget,
  request: AuthorizeRequest,
  code: string,
): Promise<Settled<AccessToken>> {
  const { app } = request;
  return settle(
    oauthClient(target).exchangeOAuthCodeForAccessTokenUsingPKCE(
      code,
      app.clientId,
      app.clientSecret,
      app.redirectUri,
      request.codeVerifier,
    ),
  );
}

/** Signs in and exchanges the code: the tokens, or a failure naming the page where it stopped. */
export async function signInForTokens(
  target: ContractTarget,
  browser: OAuthBrowser,
  request: AuthorizeRequest,
  credentials: Credentials,
  options: { rememberDevice?: boolean } = {},
): Promise<AccessToken> {
  const page = await signIn(browser, request, credentials, options);
  const code = codeOf(page, request);
  if (code === '')
    throw new Error(`no code: the login ended at ${page.url.href} (${page.status}): ${page.text.slice(0, 300)}`);
  const exchanged = await exchangeCode(target, request, code);
  if (!exchanged.resolved || !exchanged.response) {
    throw new Error(`the exchange failed: ${exchanged.statusCode} ${JSON.stringify(exchanged.exception)}`);
  }
  return exchanged.response;
}

/** FusionAuth's OAuth error body from a settled client call (the client sets it for JSON answers only). */
export function oauthError(outcome: Settled<unknown>): OAuthError | undefined {
  return outcome.exception as OAuthError | undefined;
}

/** Verifies a JWT against the target's JWKS, its issuer and the client id as audience. */
export async function verifyJwt(target: ContractTarget, token: string, audience: string): Promise<JWTVerifyResult> {
  const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', target.url));
  return jwtVerify(token, jwks, { issuer: target.issuer, audience, algorithms: ['RS256'] });
}

/** OpenID Connect's `at_hash` / `c_hash` for an RS256 token: the left half of the SHA-256, base64url. */
export function tokenHash(value: string): string {
  const digest = createHash('sha256').update(value, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/** A token request sent by hand: for Basic authentication and bodies the typescript client cannot send. */
export async function postToken(
  target: ContractTarget,
  body: URLSearchParams | string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(new URL('/oauth2/token', target.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: body.toString(),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: parseJson(text) };
}

function parseJson(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { unparsed: text };
  }
}

/** `Authorization: Basic` for a client (RFC 6749 §2.3.1: each part form-encoded first). */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (part: string) => encodeURIComponent(part);
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}

/** The JSON an error page prints (oauth2Error.ftl puts it in a `<pre>`), or undefined when there is none. */
export function errorPageJson(page: Page): Record<string, unknown> | undefined {
  const text = page.document.querySelector('pre')?.text;
  if (text === undefined) return undefined;
  const parsed = parseJson(text);
  return 'unparsed' in parsed ? undefined : parsed;
}
