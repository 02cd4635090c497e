import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiError } from '../errors/api-error.js';
import { revokeRefreshToken } from '../fusionauth/revocation.js';
import { passwordRejected, unavailable } from '../errors/fusionauth-errors.js';
import { checkEmail, signUp } from '../schemas/account.js';
import { errorResponses } from '../schemas/errors.js';
import { checkEmailAnswer } from './check-email.js';

/**
 * `POST /api/sign-up`: a new account, made by FusionAuth's Registration API and registered for
 * this app alone (the Forum's sign-up does not register for the Store). FusionAuth then emails the
 * address a verification link, which opens this app's verify page; the user signs in once it is
 * verified. An address that already has an account is answered exactly like a new one, and its
 * owner gets a password reset email instead: whoever signed up with it is either them, who now has
 * a way in, or someone else, who learns nothing.
 * https://fusionauth.io/docs/apis/registrations#create-a-user-and-registration-combined
 */
async function signUpRoutes(scope: FastifyInstance): Promise<void> {
  const { fusionAuth, loginThrottle } = scope;

  scope.withTypeProvider<ZodTypeProvider>().post(
    '/api/sign-up',
    {
      schema: {
        summary: 'Create an account for this app',
        tags: ['Account'],
        body: signUp,
        response: { 202: checkEmail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { email, password, firstName, lastName } = request.body;
      await loginThrottle.countEmail(request, email);
      const log = { event: 'sign_up', ip: request.ip };
      const outcome = await fusionAuth.signUp({ email, password, firstName, lastName });
      scope.metrics.accountFlows.inc({ flow: 'sign_up', outcome: outcome.kind });
      // Answered for taken addresses and new ones alike (see interpretSignUp).
      if (outcome.kind === 'password_rejected') {
        request.log.info({ ...log, outcome: outcome.kind }, 'sign-up refused by the password rules');
        throw passwordRejected(outcome.problems);
      }
      switch (outcome.kind) {
        case 'created':
          // The session comes from a sign-in, once the address is verified: a token FusionAuth
          // issued with the registration is of no use, and must not be left behind.
          await revokeRefreshToken(fusionAuth, request.log, outcome.refreshTokenId, 'issued at sign-up');
          request.log.info({ ...log, outcome: outcome.kind, userId: outcome.userId }, 'account created');
          break;
        case 'email_taken': {
          const reset = await fusionAuth.sendPasswordReset(email);
          request.log.info({ ...log, outcome: outcome.kind, reset: reset.kind }, 'sign-up for an existing account');
          break;
        }
        case 'invalid_request':
          request.log.warn({ ...log, outcome: outcome.kind, fields: outcome.fields }, 'FusionAuth refused the sign-up');
          throw new ApiError(400, 'validation_failed', 'The account could not be created with these details.');
        case 'unavailable':
          throw unavailable(request, log, outcome);
      }
      return reply
        .code(202)
        .send(checkEmailAnswer(`We have sent a link to ${email}. Open it to finish creating your account.`));
    },
  );
}

export default fp(signUpRoutes, {
  name: 'sign-up',
  fastify: '5.x',
  dependencies: ['csrf', 'login-throttle', 'fusionauth-gateway', 'metrics'],
});
