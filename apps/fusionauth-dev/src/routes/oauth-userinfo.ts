import { OAuthScopeHandlingPolicy } from '@fusionauth/typescript-client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyAccessToken } from '../login/tokens.js';
import { userinfoWithoutOpenIdStatus } from '../oauth/assumptions.js';
import { firstValue } from '../oauth/authorize-request.js';
import { identifyClient, requireClientSecret } from '../oauth/client-authentication.js';
import { OAuthEndpointError } from '../oauth/oauth-error.js';
import { scopedUserClaims } from '../oauth/oauth-tokens.js';
import type { StandInStore } from '../state/store.js';
import { formFields } from './oauth-token.js';

const invalidToken = (status = 401) =>
  new OAuthEndpointError(status, {
    error: 'invalid_token',
    error_description: 'The access token is invalid or expired.',
    error_reason: 'invalid_token',
  });

/** The audience of a token as one client id; FusionAuth issues a single audience. */
function audienceOf(claims: { aud?: string | string[] | undefined }): string | undefined {
  return Array.isArray(claims.aud) ? claims.aud[0] : claims.aud;
}

/** `/oauth2/userinfo` and `/oauth2/introspect` (fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints). */
export function userinfoRoutes(app: FastifyInstance, store: StandInStore): void {
  const userinfo = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const token = /^bearer /i.test(header) ? header.slice(7).trim() : '';
    const claims = token ? await verifyAccessToken(store, token) : undefined;
    const clientId = claims && audienceOf(claims);
    const application = clientId === undefined ? undefined : store.applications.get(clientId);
    const record = claims?.sub === undefined ? undefined : store.users.get(claims.sub);
    if (!claims || !application || application.active === false || !record) throw invalidToken();
    const scopes = typeof claims['scope'] === 'string' ? claims['scope'].split(' ') : [];
    const strict = application.oauthConfiguration?.scopeHandlingPolicy !== OAuthScopeHandlingPolicy.Compatibility;
    if (strict && !scopes.includes('openid')) throw invalidToken(userinfoWithoutOpenIdStatus);
    const body = strict
      ? { sub: record.user.id, ...scopedUserClaims(record, scopes) }
      : {
          ...scopedUserClaims(record, ['email', 'profile', 'phone']),
          ...(claims['applicationId'] !== undefined && { applicationId: claims['applicationId'] }),
          ...(claims['roles'] !== undefined && { roles: claims['roles'] }),
          sub: record.user.id,
        };
    return reply.header('cache-control', 'no-store').send(body);
  };
  app.get('/oauth2/userinfo', userinfo);
  app.post('/oauth2/userinfo', userinfo);

  app.post('/oauth2/introspect', async (request, reply) => {
    const fields = formFields(request);
    const client = identifyClient(store, request, fields);
    requireClientSecret(client, false);
    const token = firstValue(fields['token']);
    const claims = token ? await verifyAccessToken(store, token) : undefined;
    if (!claims) return reply.header('cache-control', 'no-store').send({ active: false });
    if (audienceOf(claims) !== client.application.id) throw invalidToken();
    return reply.header('cache-control', 'no-store').send({ active: true, ...claims });
  });
}
