import cookie from '@fastify/cookie';
import formBody from '@fastify/formbody';
import type { FastifyError, FastifyInstance } from 'fastify';
import { sweepCodes } from '../oauth/authorization-codes.js';
import { OAuthEndpointError } from '../oauth/oauth-error.js';
import type { StandInStore } from '../state/store.js';
import { hostedPageRoutes } from './oauth-hosted-pages.js';
import { oauthLogoutRoutes } from './oauth-logout.js';
import { passwordPageRoutes } from './oauth-password-pages.js';
import { tokenRoutes } from './oauth-token.js';
import { userinfoRoutes } from './oauth-userinfo.js';

/**
 * FusionAuth's OAuth server, as the authorization-code workflow uses it: the hosted pages (the
 * password pages among them), the SSO session, and the token, userinfo, introspect and logout
 * endpoints. Its own scope, because these take form bodies and cookies where the APIs take JSON and
 * API keys, and answer OAuth's errors.
 */
export function oauthRoutes(app: FastifyInstance, store: StandInStore): void {
  void app.register(async function oauthServer(scope) {
    scope.removeAllContentTypeParsers();
    await scope.register(formBody);
    // Any other body is read and set aside: its fields do not count.
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => done(null, undefined));
    await scope.register(cookie);
    // The Authorization header here is a client's Basic or Bearer credential, never an API key.
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, apiKey: 'none' };
    });
    scope.addHook('onRequest', async () => sweepCodes(store));

    scope.setErrorHandler((error: FastifyError | OAuthEndpointError, request, reply) => {
      if (error instanceof OAuthEndpointError) {
        return reply.code(error.statusCode).header('cache-control', 'no-store').send(error.body);
      }
      const status = error.statusCode ?? 500;
      if (status >= 500) request.log.error({ err: error }, 'unexpected error');
      return reply
        .code(status >= 500 ? 500 : status)
        .send({ error: status >= 500 ? 'server_error' : 'invalid_request', error_description: error.message });
    });

    hostedPageRoutes(scope, store);
    passwordPageRoutes(scope, store);
    tokenRoutes(scope, store);
    userinfoRoutes(scope, store);
    oauthLogoutRoutes(scope, store);
  });
}
