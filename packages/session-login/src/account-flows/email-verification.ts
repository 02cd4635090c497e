import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { unavailable } from '../errors/fusionauth-errors.js';
import { checkEmail, emailRequest, emailVerification, emailVerified } from '../schemas/account.js';
import { errorResponses } from '../schemas/errors.js';
import { linkExpired, sendAccountEmail } from './check-email.js';

/**
 * Email verification: `POST /api/email/verify` verifies the address with the link's
 * `verificationId` (FusionAuth's Verify Email API), and `POST /api/email/resend-verification`
 * asks FusionAuth for a new link, answered the same whether or not an account uses the address.
 * A verified user signs in as usual: verifying starts no session, since whoever holds the link
 * has proved they read the email, not that they know the password.
 * https://fusionauth.io/docs/apis/users#verify-a-users-email
 */
async function emailVerificationRoutes(scope: FastifyInstance): Promise<void> {
  const { fusionAuth, loginThrottle } = scope;
  const routes = scope.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/api/email/verify',
    {
      schema: {
        summary: 'Verify an email address with the link from its verification email',
        tags: ['Account'],
        body: emailVerification,
        response: { 200: emailVerified, ...errorResponses },
      },
    },
    async (request) => {
      // Guessed ids count against the client IP, the one thing known about who is guessing.
      const outcome = await loginThrottle.attempt(
        request,
        undefined,
        () => fusionAuth.verifyEmail(request.body.verificationId),
        (result) => result.kind === 'expired',
      );
      scope.metrics.accountFlows.inc({ flow: 'email_verification', outcome: outcome.kind });
      const log = { event: 'email_verification', ip: request.ip, outcome: outcome.kind };
      if (outcome.kind === 'unavailable') throw unavailable(request, log, outcome);
      request.log.info(
        log,
        outcome.kind === 'verified' ? 'email address verified' : 'verification link expired or spent',
      );
      if (outcome.kind === 'expired') throw linkExpired();
      return { code: 'email_verified' as const, message: 'Your email address is verified. You can sign in now.' };
    },
  );

  routes.post(
    '/api/email/resend-verification',
    {
      schema: {
        summary: 'Email a new verification link',
        tags: ['Account'],
        body: emailRequest,
        response: { 202: checkEmail, ...errorResponses },
      },
    },
    async (request, reply) =>
      sendAccountEmail(scope, request, reply, request.body.email, {
        flow: 'verification_email',
        event: 'verification_email_requested',
        template: 'Email Verification',
        send: (email) => fusionAuth.resendVerification(email),
        message: (email) => `If ${email} is waiting to be verified, we have sent it a new link.`,
      }),
  );
}

export default fp(emailVerificationRoutes, {
  name: 'email-verification',
  fastify: '5.x',
  dependencies: ['csrf', 'login-throttle', 'fusionauth-gateway', 'metrics'],
});
