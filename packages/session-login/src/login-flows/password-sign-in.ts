import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error.js';
import { unavailable } from '../errors/fusionauth-errors.js';
import type { ClientContext } from '../fusionauth/gateway.js';
import type { LoginOutcome, RefusalCode } from '../fusionauth/login-outcome.js';
import { revokeRefreshToken } from '../fusionauth/revocation.js';
import type { SignedIn, SignInContinues } from '../schemas/login.js';
import { keepSessionsWithinLimit } from '../session/ending-sessions.js';
import { normalizeLoginId } from '../security/login-throttle.js';

/** How long FusionAuth leaves a `twoFactorId` valid by default, and so a pre-login session. */
const twoFactorWindowMs = 5 * 60_000;

/**
 * How long a pre-login session waits for a new password: FusionAuth's default lifetime of a
 * `changePasswordId` (the tenant's `changePasswordIdTimeToLiveInSeconds`, 600).
 */
const passwordChangeWindowMs = 10 * 60_000;

const refusalMessages: Record<RefusalCode, (app: string) => string> = {
  not_registered: (app) => `Your account exists, but it is not registered for the ${app}.`,
  password_change_required: () => 'You need to change your password before you can sign in.',
  email_not_verified: () => 'Please verify your email address first: look for the message we sent you.',
  registration_not_verified: (app) => `Your ${app} registration has not been verified yet.`,
};

export const startAgain = 'Please enter your email address and password again.';

export function clientContext(request: FastifyRequest): ClientContext {
  return { ipAddress: request.ip, userAgent: request.headers['user-agent'] };
}

/** A login outcome that is neither a session nor a step that leads to one. */
export type RefusedLogin = Exclude<
  LoginOutcome,
  { kind: 'authenticated' | 'two_factor_required' | 'password_change_required' }
>;

/**
 * What every way of signing in with a password (the form, a reset, a required change) does with
 * FusionAuth's login outcome: a session for an authenticated user, a pre-login session for a step
 * still to come (a second factor, a new password), and otherwise the refusal in words the user
 * reads, its real reason logged.
 */
export function passwordSignIn(scope: FastifyInstance) {
  const { config, sessions, fusionAuth } = scope;

  /** Turns an outcome that is not a session into its answer, logging the real reason. */
  const refuse = (request: FastifyRequest, outcome: RefusedLogin): ApiError => {
    const log = { event: 'login_failed', ip: request.ip, outcome: outcome.kind };
    scope.metrics.signIns.inc({ flow: 'native', outcome: outcome.kind === 'refused' ? outcome.code : outcome.kind });
    switch (outcome.kind) {
      case 'refused':
        request.log.info({ ...log, userId: outcome.userId, reason: outcome.code }, 'login refused by FusionAuth');
        return new ApiError(403, outcome.code, refusalMessages[outcome.code](config.displayName));
      case 'invalid_credentials':
        // One status and body for unknown users, wrong passwords, locked, expired and actioned accounts.
        request.log.info({ ...log, userId: outcome.userId, reason: outcome.reason }, 'login failed');
        return new ApiError(401, 'invalid_credentials', 'That email address and password do not match an account.');
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
        return unavailable(request, log, outcome);
    }
  };

  const revoke = (request: FastifyRequest, refreshTokenId: string | undefined, why: string) =>
    revokeRefreshToken(fusionAuth, request.log, refreshTokenId, why);

  const signIn = async (
    request: FastifyRequest,
    outcome: Extract<LoginOutcome, { kind: 'authenticated' }>,
  ): Promise<SignedIn> => {
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

  /**
   * The login that follows a password change, with the one-time password FusionAuth answered it
   * with (it lasts a minute, and is never shown to anyone): the user does not type the new
   * password twice.
   */
  const loginAfterChange = (request: FastifyRequest, oneTimePassword: string | undefined): Promise<LoginOutcome> => {
    if (oneTimePassword === undefined) {
      return Promise.resolve({ kind: 'unavailable', reason: 'unexpected_status', statusCode: 200 });
    }
    return fusionAuth.loginWithOneTimePassword(oneTimePassword, clientContext(request));
  };

  /**
   * Answers a login outcome: 200 with a session, 202 with the step still to come (its FusionAuth
   * id kept in a pre-login session, never sent), or the refusal. `loginId` is who the password
   * was given for, when known: wrong second-factor codes count against it. A browser already
   * signed in to this app gives that session up, and its refresh token with it, once a new
   * session or step has replaced it.
   */
  const answer = async (
    request: FastifyRequest,
    reply: FastifyReply,
    outcome: LoginOutcome,
    loginId: string | undefined,
  ): Promise<SignedIn | SignInContinues> => {
    const previousRefreshTokenId = sessions.signedIn(request)?.refreshTokenId;
    let result: SignedIn | SignInContinues;
    if (outcome.kind === 'authenticated') {
      result = await signIn(request, outcome);
    } else if (outcome.kind === 'two_factor_required') {
      await sessions.startPending(request, {
        twoFactorId: outcome.twoFactorId,
        expiresAt: Date.now() + twoFactorWindowMs,
        failedAttempts: 0,
        loginId: loginId === undefined ? '' : normalizeLoginId(loginId),
      });
      request.log.info({ event: 'two_factor_required', ip: request.ip }, 'second factor required');
      void reply.code(202);
      result = {
        code: 'two_factor_required',
        message: 'Enter the code from your authenticator app.',
        methods: outcome.methods,
      };
    } else if (outcome.kind === 'password_change_required') {
      await sessions.startPendingPasswordChange(request, {
        changePasswordId: outcome.changePasswordId,
        expiresAt: Date.now() + passwordChangeWindowMs,
        loginId: loginId === undefined ? '' : normalizeLoginId(loginId),
      });
      scope.metrics.signIns.inc({ flow: 'native', outcome: 'password_change_required' });
      request.log.info(
        { event: 'password_change_required', userId: outcome.userId, ip: request.ip },
        'FusionAuth requires a new password',
      );
      void reply.code(202);
      result = {
        code: 'password_change_required',
        message: 'Your password must be changed before you can sign in. Choose a new one.',
      };
    } else {
      throw refuse(request, outcome);
    }
    await revoke(request, previousRefreshTokenId, 'replaced by a new login');
    return result;
  };

  return { refuse, signIn, loginAfterChange, answer };
}
