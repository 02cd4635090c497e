import { randomUUID } from 'node:crypto';
import { FusionAuthClient } from '@fusionauth/typescript-client';
import t from 'tap';
import { settle } from '../support/settle.js';
import { contractTarget } from '../support/target.js';

const target = await contractTarget(t);
/** Where the target was reached: the discovery document's URLs are built on it. */
const base = new URL(target.url).origin;

/**
 * FusionAuth's discovery document for a tenant with this issuer, field for field, lists in
 * FusionAuth's order (its `OpenIdConfiguration` domain class).
 */
function expectedConfiguration(issuer: string): Record<string, unknown> {
  return {
    authorization_endpoint: `${base}/oauth2/authorize`,
    backchannel_logout_supported: false,
    claims_supported: [
      'applicationId',
      'at_hash',
      'aud',
      'authenticationType',
      'birthdate',
      'c_hash',
      'email',
      'email_verified',
      'exp',
      'family_name',
      'given_name',
      'iat',
      'iss',
      'jti',
      'middle_name',
      'name',
      'nbf',
      'nonce',
      'phone_number',
      'phone_number_verified',
      'picture',
      'preferred_username',
      'roles',
      'sub',
    ],
    code_challenge_methods_supported: ['S256'],
    device_authorization_endpoint: `${base}/oauth2/device_authorize`,
    dpop_signing_alg_values_supported: [
      'Ed448',
      'Ed25519',
      'ES256',
      'ES384',
      'ES512',
      'PS256',
      'PS384',
      'PS512',
      'RS256',
      'RS384',
      'RS512',
    ],
    end_session_endpoint: `${base}/oauth2/logout`,
    frontchannel_logout_supported: true,
    grant_types_supported: [
      'authorization_code',
      'password',
      'implicit',
      'refresh_token',
      'urn:ietf:params:oauth:grant-type:device_code',
      'client_credentials',
    ],
    id_token_signing_alg_values_supported: [
      'ES256',
      'ES384',
      'ES512',
      'HS256',
      'HS384',
      'HS512',
      'RS256',
      'RS384',
      'RS512',
    ],
    issuer,
    jwks_uri: `${base}/.well-known/jwks.json`,
    response_modes_supported: ['form_post', 'fragment', 'query'],
    response_types_supported: ['code', 'id_token', 'token id_token'],
    scopes_supported: ['openid', 'offline_access', 'email', 'phone', 'profile'],
    subject_types_supported: ['public'],
    token_endpoint: `${base}/oauth2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    userinfo_endpoint: `${base}/oauth2/userinfo`,
    userinfo_signing_alg_values_supported: [
      'ES256',
      'ES384',
      'ES512',
      'RS256',
      'RS384',
      'RS512',
      'HS256',
      'HS384',
      'HS512',
    ],
  };
}

/** A discovery document fetched raw, as an OpenID Connect library fetches it: no key, no tenant header. */
async function discover(path: string): Promise<{ status: number; contentType: string | null; body: unknown }> {
  const response = await fetch(new URL(path, target.url));
  return { status: response.status, contentType: response.headers.get('content-type'), body: await response.json() };
}

// `void`: tap queues each subtest and runs it itself, and the promise t.test() answers only ever
// resolves (a failing subtest is reported, never thrown), so there is nothing to await here.
void t.test('GET /api/status and /api/health answer without an API key', async (t) => {
  const status = await fetch(new URL('/api/status', target.url));
  t.equal(status.status, 200);
  t.match(await status.json(), { status: 'ok' });
  const health = await fetch(new URL('/api/health', target.url));
  t.equal(health.status, 200);
});

void t.test('the JWKS lists the RSA keys the applications sign with, and no secret key', async (t) => {
  const jwks = await settle(target.client.retrieveJsonWebKeySet());
  t.match(jwks, { resolved: true, statusCode: 200 });
  const keys = jwks.response?.keys ?? [];
  t.ok(keys.length >= 2, 'one key for the Store and one for the Forum at least');
  for (const key of keys) {
    t.match(key, { kty: 'RSA', alg: /^RS/, kid: String, use: 'sig', n: String, e: String });
    t.notOk('d' in key || 'k' in key, `${key.kid} is public only`);
  }
});

void t.test('the OpenID configuration names the issuer and the JWKS', async (t) => {
  const configuration = await settle(target.client.retrieveOpenIdConfiguration());
  t.match(configuration, {
    resolved: true,
    statusCode: 200,
    response: {
      issuer: String,
      jwks_uri: /\/\.well-known\/jwks\.json$/,
      token_endpoint: String,
      authorization_endpoint: String,
    },
  });
});

void t.test("the OpenID configuration is FusionAuth's, field for field, with the tenant's issuer", async (t) => {
  const tenant = await target.client.retrieveTenant(target.tenantId);
  const issuer = tenant.response.tenant?.issuer ?? '';
  t.equal(issuer, 'http://localhost:9011', "the kickstart's issuer");

  const document = await discover('/.well-known/openid-configuration');
  t.equal(document.status, 200);
  t.match(document.contentType, /^application\/json/);
  t.strictSame(document.body, expectedConfiguration(issuer));
  t.notOk(
    Object.hasOwn(document.body as object, 'authorization_response_iss_parameter_supported'),
    'no iss-parameter flag, unlike the older sample in the docs',
  );

  for (const path of [
    `/.well-known/openid-configuration?tenantId=${target.tenantId}`,
    `/${target.tenantId}/.well-known/openid-configuration`,
  ]) {
    const named = await discover(path);
    t.equal(named.status, 200, path);
    t.strictSame(named.body, expectedConfiguration(issuer), path);
  }
});

void t.test('another tenant, named by ?tenantId= or in the path, gives its own issuer', async (t) => {
  const tenantId = randomUUID();
  const issuer = `https://contract-${tenantId}.example.com`;
  const store = await target.client.retrieveApplication(target.storeApplicationId);
  const keyId = store.response.application?.jwtConfiguration?.accessTokenKeyId ?? '';
  // A tenant is created outside any tenant: no X-FusionAuth-TenantId header.
  const untenanted = new FusionAuthClient(target.apiKey, target.url);
  t.teardown(async () => {
    await untenanted.deleteTenant(tenantId).catch(() => undefined);
  });
  await untenanted.createTenant(tenantId, {
    tenant: {
      name: `contract ${tenantId}`,
      issuer,
      jwtConfiguration: { accessTokenKeyId: keyId, idTokenKeyId: keyId },
    },
  });

  for (const path of [
    `/.well-known/openid-configuration?tenantId=${tenantId}`,
    `/${tenantId}/.well-known/openid-configuration`,
  ]) {
    const named = await discover(path);
    t.equal(named.status, 200, path);
    t.strictSame(named.body, expectedConfiguration(issuer), path);
  }
  const unnamed = await discover('/.well-known/openid-configuration');
  t.match(unnamed.body, { issuer: 'http://localhost:9011' }, 'without a tenant id, the default tenant');
});
