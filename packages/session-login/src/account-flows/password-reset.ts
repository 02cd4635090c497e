import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiError } from '../errors/api-error.js';
import { passwordRejected, unavailable } from '../errors/fusionauth-errors.js';
import { passwordSignIn } from '../login-flows/password-sign-in.js';
import { checkEmail, emailRequest, passwordReset } from '../schemas/account.js';
import { errorResponses } from '../schemas/errors.js';
import { signedIn, signInContinues } from '../schemas/login.js';
import { linkExpired, resetLinkLifetime, sendAccountEmail } from './check-email.js';

/**
 * A forgotten password, in two steps: `POST /api/password/forgot` asks FusionAuth to email the
 * user a link (the Forgot Password API, with this app's id, so the email's link opens this app's
 * reset page), answered the same whether or not the account exists; `POST /api/password/reset`
 * sets the new password with the link's `changePasswordId` (the Change Password API) and signs
 * the user in with a fresh session, through the one-time password FusionAuth answers the change
 * with. Neither the id nor the password is kept, or logged.
 * https://fusionauth.io/docs/apis/users#start-forgot-password-workflow
 */
async function passwordResetRoutes(scope: FastifyInstance): Promise<void> {
  const { sessions, fusionAuth, loginThrottle } = scope;
  const routes = scope.withTypeProvider<ZodTypeProvider>();
  const { answer, loginAfterChange } = passwordSignIn(scope);

  routes.post(
    '/api/password/forgot',
    {
      schema: {
        summary: 'Email a link to choose a new password',
        tags: ['Account'],
        body: emailRequest,
        response: { 202: checkEmail, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendAccountEmail(scope, request, reply, request.body.email, {
        flow: 'reset_email',
        event: 'password_reset_requested',
        template: 'Forgot Password',
        send: (email) => fusionAuth.sendPasswordReset(email),
        message: (email) =>
          `If an account uses ${email}, we have sent it a link to choose a new password. The link works for ${resetLinkLifetime}.`,
      }),
  );

  routes.post(
    '/api/password/reset',
    {
      schema: {
        summary: 'Choose a new password with the link from the reset email, and sign in',
        tags: ['Account'],
        body: passwordReset,
        response: { 200: signedIn, 202: signInContinues, ...errorResponses },
      },
    },
    async (request, reply) => {
      sessions.assertCookieCanBeSet(request);
      const { changePasswordId, password } = request.body;
      // The link's id is all there is to go on, so the client IP alone is limited; guessed ids count.
      const change = await loginThrottle.attempt(
        request,
        undefined,
        () => fusionAuth.changePassword(changePasswordId, password),
        (result) => result.kind === 'expired',
      );
      scope.metrics.accountFlows.inc({ flow: 'password_reset', outcome: change.kind });
      const log = { event: 'password_reset', ip: request.ip, outcome: change.kind };
      switch (change.kind) {
        case 'changed':
          request.log.info(log, 'password reset');
          return answer(request, reply, await loginAfterChange(request, change.oneTimePassword), undefined);
        case 'password_rejected':
          request.log.info(log, 'new password refused by the password rules');
          throw passwordRejected(change.problems);
        case 'trust_required':
          // FusionAuth wants the second factor again (a trust token) before a reset; there is no
          // way to ask for it from an email link, so the user is told where to turn.
          request.log.info(log, 'FusionAuth requires a trust token for this reset');
          throw new ApiError(
            400,
            'reset_not_possible',
            'This account uses two-step sign-in, and its password cannot be reset from an email link. Ask an administrator to reset it.',
          );
        case 'unavailable':
          throw unavailable(request, log, change);
        case 'expired':
        case 'invalid_request':
          request.log.info(log, 'reset link expired or spent');
          throw linkExpired();
      }
    },
  );
}

export default fp(passwordResetRoutes, {
  name: 'password-reset',
  fastify: '5.x',
  dependencies: ['csrf', 'sessions', 'login-throttle', 'fusionauth-gateway', 'metrics'],
});
