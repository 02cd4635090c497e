import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { publicJwks } from '../crypto/signing-keys.js';
import { resolveTenant } from '../http/tenant.js';
import type { StandInStore } from '../state/store.js';

const open = { config: { apiKey: 'none' as const } };
const tenantQuery = z.object({ tenantId: z.string().optional() });
const tenantParams = z.object({ tenantId: z.string() });

/**
 * FusionAuth's discovery document, field for field: the fixed lists of its `OpenIdConfiguration`
 * (fusionauth-java-client `io.fusionauth.domain.OpenIdConfiguration`), whatever the stand-in itself
 * implements, with the URLs on `base` and the tenant's issuer. There is no
 * `authorization_response_iss_parameter_supported`: only FusionAuth's older sample has it.
 */
function openIdConfiguration(base: string, issuer: string | undefined) {
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
    // Symmetric algorithms cannot sign a DPoP proof (RFC 9449 §5.1).
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
    // Fixed, not derived from the keys the tenant holds.
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

/** Status, health and the discovery documents, all public as in FusionAuth. */
export function statusRoutes(app: FastifyInstance, store: StandInStore): void {
  app.get('/api/status', open, async () => ({ status: 'ok' }));
  app.get('/api/health', open, async (_request, reply) => reply.code(200).send());

  app.get('/.well-known/jwks.json', open, async () => publicJwks(store.keys.values()));

  // The tenant asked for, else the default tenant. The URLs are built from the host the request
  // reached, so the document is right for whichever name the caller used.
  const discovery = (request: FastifyRequest, tenantId: string | undefined) => {
    const tenant = resolveTenant(request, store, tenantId ?? store.defaultTenantId);
    return openIdConfiguration(`${request.protocol}://${request.host}`, tenant.issuer);
  };
  app.get('/.well-known/openid-configuration', open, async (request) =>
    discovery(request, tenantQuery.parse(request.query).tenantId),
  );
  // The tenant in the path, since FusionAuth 1.46.
  app.get('/:tenantId/.well-known/openid-configuration', open, async (request) =>
    discovery(request, tenantParams.parse(request.params).tenantId),
  );
}
