import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiError } from '../errors/api-error.js';
import { newPassword } from '../schemas/account.js';
import { errorResponses } from '../schemas/errors.js';
import { credentials, signedIn, signInContinues, twoFactorCode } from '../schemas/login.js';
import { passwordRejected, unavailable } from '../errors/fusionauth-errors.js';
import { clientContext, passwordSignIn, startAgain } from './password-sign-in.js';

/** Wrong second-factor codes one pre-login session may try before it ends: the code has only a million values. */
const maximumTwoFactorAttempts = 5;

/**
 * The native login flow: the SPA's own form posts the credentials here (`POST /api/login`), the
 * backend calls FusionAuth's Login API, and a step FusionAuth asks for follows: a second factor
 * at `POST /api/login/two-factor`, a new password at `POST /api/login/change-password`. Every
 * FusionAuth outcome is mapped explicitly; only an authenticated outcome starts a session, through
 * the session layer.
 * https://fusionauth.io/docs/apis/login#authenticate-a-user
 */
async function nativeLogin(scope: FastifyInstance): Promise<void> {
  const { sessions, fusionAuth, loginThrottle } = scope;
  const routes = scope.withTypeProvider<ZodTypeProvider>();
  const { refuse, signIn, answer, loginAfterChange } = passwordSignIn(scope);

  routes.post(
    '/api/login',
    {
      schema: {
        summary: 'Sign in with an email address and password',
        tags: ['Sign-in'],
        body: credentials,
        response: { 200: signedIn, 202: signInContinues, ...errorResponses },
      },
    },
    async (request, reply) => {
      sessions.assertCookieCanBeSet(request);
      const { loginId, password } = request.body;
      const outcome = await loginThrottle.attempt(
        request,
        loginId,
        () => fusionAuth.login(loginId, password, clientContext(request)),
        (result) => result.kind === 'invalid_credentials',
      );
      return answer(request, reply, outcome, loginId);
    },
  );

  routes.post(
    '/api/login/two-factor',
    {
      schema: {
        summary: 'Finish a sign-in with the code from an authenticator app',
        tags: ['Sign-in'],
        body: twoFactorCode,
        response: { 200: signedIn, 202: signInContinues, ...errorResponses },
      },
    },
    async (request, reply) => {
      sessions.assertCookieCanBeSet(request);
      const pending = sessions.pendingTwoFactor(request);
      if (!pending) throw refuse(request, { kind: 'two_factor_expired' });
      const outcome = await loginThrottle.attempt(
        request,
        pending.loginId || undefined,
        () => fusionAuth.completeTwoFactor(pending.twoFactorId, request.body.code, clientContext(request)),
        (result) => result.kind === 'invalid_code',
      );
      if (outcome.kind === 'authenticated') return signIn(request, outcome);
      // Both factors given, and FusionAuth requires a new password before the session starts.
      if (outcome.kind === 'password_change_required')
        return answer(request, reply, outcome, pending.loginId || undefined);
      if (outcome.kind === 'invalid_code') {
        const failedAttempts = pending.failedAttempts + 1;
        if (failedAttempts < maximumTwoFactorAttempts) {
          sessions.updatePendingTwoFactor(request, { ...pending, failedAttempts });
          throw refuse(request, outcome);
        }
        await sessions.end(request, reply);
        request.log.warn({ event: 'two_factor_attempts_exceeded', ip: request.ip }, 'too many wrong codes');
        throw new ApiError(401, 'too_many_codes', `Too many wrong codes. ${startAgain}`);
      }
      // An outage may be waited out; any other end closes the attempt.
      if (outcome.kind !== 'unavailable') await sessions.end(request, reply);
      throw refuse(request, outcome.kind === 'two_factor_required' ? { kind: 'two_factor_expired' } : outcome);
    },
  );

  routes.post(
    '/api/login/change-password',
    {
      schema: {
        summary: 'Finish a sign-in that FusionAuth held back until the password is changed',
        tags: ['Sign-in'],
        body: newPassword,
        response: { 200: signedIn, 202: signInContinues, ...errorResponses },
      },
    },
    async (request, reply) => {
      sessions.assertCookieCanBeSet(request);
      const pending = sessions.pendingPasswordChange(request);
      if (!pending) {
        request.log.info({ event: 'password_change_expired', ip: request.ip }, 'no password change pending');
        throw new ApiError(401, 'password_change_expired', `That took too long. ${startAgain}`);
      }
      const loginId = pending.loginId || undefined;
      const log = { event: 'password_change_failed', ip: request.ip };
      const change = await loginThrottle.attempt(
        request,
        loginId,
        () => fusionAuth.changePassword(pending.changePasswordId, request.body.password),
        () => false,
      );
      switch (change.kind) {
        case 'changed':
          break;
        case 'password_rejected':
          // The pending sign-in stays: the user chooses another password.
          request.log.info({ ...log, reason: change.kind }, 'new password refused by the password rules');
          throw passwordRejected(change.problems);
        case 'unavailable':
          throw unavailable(request, log, change);
        case 'trust_required':
          // FusionAuth wants the second factor again before this change, which this form cannot
          // ask for: said so, rather than a sign-in that would come back to the same step.
          request.log.warn({ ...log, reason: change.kind }, 'FusionAuth requires a trust token for the change');
          await sessions.end(request, reply);
          throw new ApiError(
            400,
            'password_change_not_possible',
            'Your password must be changed, and this account needs its second factor again to do it. Ask an administrator to reset it.',
          );
        default:
          // Spent, expired, or refused for a reason the user cannot mend here: the sign-in starts over.
          request.log.warn({ ...log, reason: change.kind }, 'FusionAuth did not change the password');
          await sessions.end(request, reply);
          throw new ApiError(401, 'password_change_expired', `That took too long. ${startAgain}`);
      }
      request.log.info({ event: 'password_changed', ip: request.ip }, 'required password change made');
      return answer(request, reply, await loginAfterChange(request, change.oneTimePassword), loginId);
    },
  );
}

export default fp(nativeLogin, {
  name: 'native-login',
  fastify: '5.x',
  dependencies: ['sessions', 'login-throttle', 'fusionauth-gateway'],
});
