import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ApiError, retryHint } from '../errors/api-error.js';
import type { ClientContext } from '../fusionauth/gateway.js';
import type { LoginOutcome, RefusalCode } from '../fusionauth/login-outcome.js';
import { revokeRefreshToken } from '../fusionauth/revocation.js';
import { keepSessionsWithinLimit } from '../session/ending-sessions.js';
import { errorResponses } from '../schemas/errors.js';
import { credentials, signedIn, twoFactorCode, twoFactorRequired } from '../schemas/login.js';
import { normalizeLoginId } from '../security/login-throttle.js';

/** How long FusionAuth leaves a `twoFactorId` valid by default, and so a pre-login session. */
const twoFactorWindowMs = 5 * 60_000;

/** Wrong second-factor codes one pre-login session may try before it ends: the code has only a million values. */
const maximumTwoFactorAttempts = 5;

const refusalMessages: Record<RefusalCode, (app: string) => string> = {
  not_registered: (app) => `Your account exists, but it is not registered for the ${app}.`,
  password_change_required: () => 'You need to change your password before you can sign in.',
  email_not_verified: () => 'Please verify your email address first: look for the message we sent you.',
  registration_not_verified: (app) => `Your ${app} registration has not been verified yet.`,
};

const invalidCredentials = () =>
  new ApiError(401, 'invalid_credentials', 'That email address and password do not match an account.');
const identityUnavailable = () =>
  new ApiError(503, 'identity_unavailable', `Signing in is unavailable right now. ${retryHint(5)}`, 5);
const startAgain = 'Please enter your email address and password again.';

function clientContext(request: FastifyRequest): ClientContext {
  return { ipAddress: request.ip, userAgent: request.headers['user-agent'] };
}

/**
 * The native login flow: the SPA's own form posts the credentials here (`POST /api/login`), the
 * backend calls FusionAuth's Login API, and a second factor, when asked for, follows at
 * `POST /api/login/two-factor`. Every FusionAuth outcome is mapped explicitly; only an
 * authenticated outcome starts a session, through the session layer.
 * https://fusionauth.io/docs/apis/login#authenticate-a-user
 */
async function nativeLogin(scope: FastifyInstance): Promise<void> {
  const { config, sessions, fusionAuth, loginThrottle } = scope;
  const routes = scope.withTypeProvider<ZodTypeProvider>();

  /** Turns an outcome that is not a session into its answer, logging the real reason. */
  const refuse = (
    request: FastifyRequest,
    outcome: Exclude<LoginOutcome, { kind: 'authenticated' | 'two_factor_required' }>,
  ) => {
    const log = { event: 'login_failed', ip: request.ip, outcome: outcome.kind };
    scope.metrics.signIns.inc({ flow: 'native', outcome: outcome.kind === 'refused' ? outcome.code : outcome.kind });
    switch (outcome.kind) {
      case 'refused':
        request.log.info({ ...log, userId: outcome.userId, reason: outcome.code }, 'login refused by FusionAuth');
        return new ApiError(403, outcome.code, refusalMessages[outcome.code](config.displayName));
      case 'invalid_credentials':
        // One status and body for unknown users, wrong passwords, locked, expired and actioned accounts.
        request.log.info({ ...log, userId: outcome.userId, reason: outcome.reason }, 'login failed');
        return invalidCredentials();
      case 'invalid_code':
        request.log.info(log, 'wrong two-factor code');
        return new ApiError(401, 'invalid_code', 'That code is not right. Check your authenticator app and try again.');
      case 'two_factor_expired':
        request.log.info(log, 'two-factor login expired');
        return new ApiError(401, 'two_factor_expired', `That sign-in took too long. ${startAgain}`);
      case 'invalid_request':
        request.log.warn(log, 'FusionAuth rejected the login request');
        return new ApiError(400, 'validation_failed', 'The sign-in request was not accepted.');
      case 'unavailable':
        if (outcome.reason === 'api_key_rejected') {
          request.log.error(
            { ...log, statusCode: outcome.statusCode },
            'FusionAuth rejected the API key: check FUSIONAUTH_API_KEY',
          );
        } else {
          request.log.error(
            { ...log, reason: outcome.reason, statusCode: outcome.statusCode },
            'FusionAuth unavailable',
          );
        }
        return identityUnavailable();
    }
  };

  const revoke = (request: FastifyRequest, refreshTokenId: string | undefined, why: string) =>
    revokeRefreshToken(fusionAuth, request.log, refreshTokenId, why);

  const signIn = async (request: FastifyRequest, outcome: Extract<LoginOutcome, { kind: 'authenticated' }>) => {
    let listed: number;
    try {
      listed = await sessions.start(request, {
        user: outcome.user,
        refreshTokenId: outcome.refreshTokenId,
        signedInWith: 'password',
      });
    } catch (error) {
      // No session came of this login: its refresh token must not outlive it.
      await revoke(request, outcome.refreshTokenId, 'session not created');
      throw error;
    }
    scope.metrics.signIns.inc({ flow: 'native', outcome: 'succeeded' });
    scope.metrics.sessionStarts.inc({ via: 'password' });
    await keepSessionsWithinLimit(scope, request, outcome.user.id, listed);
    request.log.info({ event: 'login_succeeded', userId: outcome.user.id, ip: request.ip }, 'signed in');
    return { user: outcome.user };
  };

  routes.post(
    '/api/login',
    {
      schema: {
        summary: 'Sign in with an email address and password',
        tags: ['Sign-in'],
        body: credentials,
        response: { 200: signedIn, 202: twoFactorRequired, ...errorResponses },
      },
    },
    async (request, reply) => {
      sessions.assertCookieCanBeSet(request);
      // A browser signed in to this app (as anyone) gives that session up, and its refresh token with it.
      const previousRefreshTokenId = sessions.signedIn(request)?.refreshTokenId;
      const { loginId, password } = request.body;
      const outcome = await loginThrottle.attempt(
        request,
        loginId,
        () => fusionAuth.login(loginId, password, clientContext(request)),
        (result) => result.kind === 'invalid_credentials',
      );
      if (outcome.kind === 'authenticated') {
        const signedInUser = await signIn(request, outcome);
        await revoke(request, previousRefreshTokenId, 'replaced by a new login');
        return signedInUser;
      }
      if (outcome.kind !== 'two_factor_required') throw refuse(request, outcome);
      await sessions.startPending(request, {
        twoFactorId: outcome.twoFactorId,
        expiresAt: Date.now() + twoFactorWindowMs,
        failedAttempts: 0,
        loginId: normalizeLoginId(loginId),
      });
      await revoke(request, previousRefreshTokenId, 'replaced by a new login');
      request.log.info({ event: 'two_factor_required', ip: request.ip }, 'second factor required');
      return reply.code(202).send({
        code: 'two_factor_required',
        message: 'Enter the code from your authenticator app.',
        methods: outcome.methods,
      });
    },
  );

  routes.post(
    '/api/login/two-factor',
    {
      schema: {
        summary: 'Finish a sign-in with the code from an authenticator app',
        tags: ['Sign-in'],
        body: twoFactorCode,
        response: { 200: signedIn, ...errorResponses },
      },
    },
    async (request, reply) => {
      sessions.assertCookieCanBeSet(request);
      const pending = sessions.pendingTwoFactor(request);
      if (!pending) throw refuse(request, { kind: 'two_factor_expired' });
      const outcome = await loginThrottle.attempt(
        request,
        pending.loginId,
        () => fusionAuth.completeTwoFactor(pending.twoFactorId, request.body.code, clientContext(request)),
        (result) => result.kind === 'invalid_code',
      );
      if (outcome.kind === 'authenticated') return signIn(request, outcome);
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
}

export default fp(nativeLogin, {
  name: 'native-login',
  fastify: '5.x',
  dependencies: ['sessions', 'login-throttle', 'fusionauth-gateway'],
});
