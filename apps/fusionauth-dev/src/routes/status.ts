import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { publicJwks } from '../crypto/signing-keys.js';
import { resolveTenant } from '../http/tenant.js';
import type { StandInStore } from '../state/store.js';

const open = { config: { apiKey: 'none' as const } };
const tenantQuery = z.object({ tenantId: z.string().optional() });

/** Status, health and the discovery documents, all public as in FusionAuth. */
export function statusRoutes(app: FastifyInstance, store: StandInStore): void {
  app.get('/api/status', open, async () => ({ status: 'ok' }));
  app.get('/api/health', open, async (_request, reply) => reply.code(200).send());

  app.get('/.well-known/jwks.json', open, async () => publicJwks(store.keys.values()));

  app.get('/.well-known/openid-configuration', open, async (request) => {
    // The tenant asked for, else the default tenant.
    const tenant = resolveTenant(request, store, tenantQuery.parse(request.query).tenantId ?? store.defaultTenantId);
    const base = `${request.protocol}://${request.host}`;
    const signingAlgorithms = [...new Set([...store.keys.values()].map((key) => key.algorithm))];
    return {
      issuer: tenant.issuer,
      authorization_endpoint: `${base}/oauth2/authorize`,
      token_endpoint: `${base}/oauth2/token`,
      userinfo_endpoint: `${base}/oauth2/userinfo`,
      end_session_endpoint: `${base}/oauth2/logout`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      response_types_supported: ['code', 'token', 'id_token', 'id_token token', 'code id_token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      grant_types_supported: ['authorization_code', 'implicit', 'password', 'client_credentials', 'refresh_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: signingAlgorithms,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      scopes_supported: ['openid', 'email', 'profile', 'offline_access'],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'email', 'email_verified', 'roles', 'tid'],
      code_challenge_methods_supported: ['S256'],
    };
  });
}
