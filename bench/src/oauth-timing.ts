import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { median, percentile } from './measure.js';

export interface OAuthCallbackTiming {
  callback: { p50Ms: number; p99Ms: number };
  tokenEndpoint: { p50Ms: number; p99Ms: number };
  /** The callback's own share: its time minus the token endpoint's, pair by pair. */
  ownShare: { p50Ms: number; p99Ms: number };
  signIns: number;
}

export interface OAuthBench {
  /** The Store backend. */
  storeUrl: string;
  /** The stand-in. */
  fusionAuthUrl: string;
  clientId: string;
  clientSecret: string;
  /** The Store's registered `redirect_uri`. */
  redirectUri: string;
  loginId: string;
}

const warmUp = 20;

/** Cookies a response sets, as `name=value` pairs for a Cookie header. */
function cookiesOf(response: Response): string[] {
  return response.headers.getSetCookie().map((line) => line.split(';')[0] ?? '');
}

/** FusionAuth's redirect back with a code: through its SSO session, so that no password is hashed. */
async function authorize(authorizeUrl: string, ssoCookie: string): Promise<URL> {
  const answer = await fetch(authorizeUrl, { redirect: 'manual', headers: { cookie: ssoCookie } });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location?.includes('code=')) {
    throw new Error(`authorize answered ${answer.status} ${location ?? ''}`);
  }
  return new URL(location);
}

async function timed(request: () => Promise<Response>, expected: number): Promise<number> {
  const start = performance.now();
  const response = await request();
  await response.arrayBuffer();
  const elapsed = performance.now() - start;
  if (response.status !== expected) throw new Error(`answered ${response.status}, not ${expected}`);
  return elapsed;
}

/**
 * The OAuth callback's own share of a sign-in, paired like the native login's: for each sign-in,
 * the Store's `GET /api/oauth/callback` (claim the pre-login record, exchange the code at the
 * stand-in's token endpoint, check the tokens, write the session) and then the same exchange
 * straight at the token endpoint, with a code of its own. The login start and FusionAuth's redirect
 * happen outside the clock; FusionAuth's SSO session issues the codes, so no password is hashed.
 */
export async function timeOAuthCallbacks(bench: OAuthBench, signIns: number): Promise<OAuthCallbackTiming> {
  // One sign-in on the form with "Keep me signed in": its SSO cookie answers every authorize after.
  const start = await fetch(`${bench.storeUrl}/api/oauth/login?returnTo=/`, { redirect: 'manual' });
  const form = new URL(start.headers.get('location') ?? '');
  const body = new URLSearchParams(form.searchParams);
  body.set('loginId', bench.loginId);
  body.set('password', 'password123');
  body.set('rememberDevice', 'true');
  const login = await fetch(`${bench.fusionAuthUrl}/oauth2/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  const ssoCookie = cookiesOf(login).find((cookie) => cookie.startsWith('fusionauth.sso=')) ?? '';
  if (!ssoCookie) throw new Error(`the hosted login answered ${login.status} without an SSO cookie`);

  const callbacks: number[] = [];
  const exchanges: number[] = [];
  const shares: number[] = [];
  for (let index = 0; index < warmUp + signIns; index += 1) {
    const begun = await fetch(`${bench.storeUrl}/api/oauth/login?returnTo=/`, { redirect: 'manual' });
    const preLogin = cookiesOf(begun).join('; ');
    const back = await authorize(begun.headers.get('location') ?? '', ssoCookie);
    const callback = await timed(
      () =>
        fetch(`${bench.storeUrl}/api/oauth/callback${back.search}`, {
          redirect: 'manual',
          headers: { cookie: preLogin },
        }),
      302,
    );

    const verifier = randomBytes(32).toString('base64url');
    const own = new URL(`${bench.fusionAuthUrl}/oauth2/authorize`);
    own.search = new URLSearchParams({
      client_id: bench.clientId,
      redirect_uri: bench.redirectUri,
      response_type: 'code',
      scope: 'openid email profile offline_access',
      state: randomBytes(16).toString('base64url'),
      nonce: randomBytes(16).toString('base64url'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const code = (await authorize(own.href, ssoCookie)).searchParams.get('code') ?? '';
    const exchange = await timed(
      () =>
        fetch(`${bench.fusionAuthUrl}/oauth2/token`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code,
            redirect_uri: bench.redirectUri,
            client_id: bench.clientId,
            client_secret: bench.clientSecret,
            code_verifier: verifier,
          }),
        }),
      200,
    );
    if (index < warmUp) continue;
    callbacks.push(callback);
    exchanges.push(exchange);
    shares.push(callback - exchange);
  }
  const latency = (times: number[]) => ({ p50Ms: median(times), p99Ms: percentile(times, 99) });
  return { callback: latency(callbacks), tokenEndpoint: latency(exchanges), ownShare: latency(shares), signIns };
}
