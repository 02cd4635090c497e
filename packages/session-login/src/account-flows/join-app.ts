import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { unavailable } from '../errors/fusionauth-errors.js';
import { clientContext, passwordSignIn } from '../login-flows/password-sign-in.js';
import { errorResponses } from '../schemas/errors.js';
import { credentials, signedIn, signInContinues } from '../schemas/login.js';

/**
 * `POST /api/login/join`: an account of the tenant that is not registered for this app (the Login
 * API's 202: someone who signed up on the Forum, at the Store) joins it, as FusionAuth's own
 * self-service registration lets a signed-in user complete a registration. The password is asked
 * for again and passes through this one request: FusionAuth checks it, the Registration API
 * registers the user for this app, and a second login with it starts the session, with this
 * app's roles. Nothing waits between the steps, so nothing is kept.
 * https://fusionauth.io/docs/apis/registrations#create-a-user-registration-for-an-existing-user
 */
async function joinAppRoutes(scope: FastifyInstance): Promise<void> {
  const { sessions, fusionAuth, loginThrottle } = scope;
  const { answer } = passwordSignIn(scope);

  scope.withTypeProvider<ZodTypeProvider>().post(
    '/api/login/join',
    {
      schema: {
        summary: 'Join this app with an account of another app of the tenant, and sign in',
        tags: ['Sign-in'],
        body: credentials,
        response: { 200: signedIn, 202: signInContinues, ...errorResponses },
      },
    },
    async (request, reply) => {
      sessions.assertCookieCanBeSet(request);
      const { loginId, password } = request.body;
      const login = () => fusionAuth.login(loginId, password, clientContext(request));
      let outcome = await loginThrottle.attempt(
        request,
        loginId,
        login,
        (result) => result.kind === 'invalid_credentials',
      );
      // Only a right password of an account that is not this app's yet goes on to join it.
      if (outcome.kind === 'refused' && outcome.code === 'not_registered' && outcome.userId !== undefined) {
        const joined = await fusionAuth.join(outcome.userId);
        scope.metrics.accountFlows.inc({ flow: 'join', outcome: joined.kind });
        const log = { event: 'app_joined', ip: request.ip, userId: outcome.userId, outcome: joined.kind };
        if (joined.kind === 'unavailable') throw unavailable(request, log, joined);
        // A refused registration is this backend's request at fault, not the user's: the login
        // that follows answers not_registered again.
        if (joined.kind === 'invalid_request') request.log.warn(log, 'FusionAuth refused to register the account');
        else request.log.info(log, 'an account of the tenant joined this app');
        outcome = await login();
      }
      return answer(request, reply, outcome, loginId);
    },
  );
}

export default fp(joinAppRoutes, {
  name: 'join-app',
  fastify: '5.x',
  dependencies: ['csrf', 'sessions', 'login-throttle', 'fusionauth-gateway', 'metrics'],
});
