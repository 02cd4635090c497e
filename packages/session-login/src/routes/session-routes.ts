import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppConfig } from '../config/environment.js';
import { ApiError } from '../errors/api-error.js';
import type { ClientContext, FusionAuthGateway } from '../fusionauth/gateway.js';
import type { LoginOutcome, RefusalCode } from '../fusionauth/login-outcome.js';
import { revokeRefreshToken } from '../fusionauth/revocation.js';
import type { CookieSettings } from '../session/cookie-settings.js';
import { normalizeLoginId, type LoginThrottle } from '../security/login-throttle.js';
import type { SessionRecords } from '../session/session-records.js';
import { maximumTwoFactorAttempts, recordExpiresAt, twoFactorWindowMs } from '../session/session-data.js';
import {
  endSession,
  requireHttpsForSecureCookie,
  requireUser,
  sessionsInThisApp,
  sessionUser,
  startPreLoginSession,
  startSession,
} from '../session/session-lifecycle.js';
import { errorBody, sessionUserSchema } from './schemas.js';

export interface SessionRoutesOptions {
  config: AppConfig;
  gateway: FusionAuthGateway;
  cookie: CookieSettings;
  throttle: LoginThrottle;
  records: SessionRecords;
}

const loginBody = z.object({
  loginId: z.string().trim().min(1, 'enter your email address').max(320),
  password: z.string().min(1, 'enter your password').max(1024),
});

const twoFactorBody = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'enter the six-digit code from your authenticator app'),
});

const signedIn = z.object({ user: sessionUserSchema });
const twoFactorRequired = z.object({
  code: z.literal('two_factor_required'),
  message: z.string(),
  methods: z.array(z.object({ id: z.string(), method: z.string() })),
});

const refusalMessages: Record<RefusalCode, (app: string) => string> = {
  not_registered: (app) => `Your account is not registered for the ${app}.`,
  password_change_required: () => 'You need to change your password before you can sign in.',
  email_not_verified: () => 'Please verify your email address before signing in.',
  registration_not_verified: (app) => `Your ${app} registration has not been verified yet.`,
};

const invalidCredentials = () =>
  new ApiError(401, 'invalid_credentials', 'The email address or password is not correct.');
const identityUnavailable = () =>
  new ApiError(503, 'identity_unavailable', 'Sign-in is unavailable right now. Please try again shortly.', 5);

function clientContext(request: FastifyRequest): ClientContext {
  return { ipAddress: request.ip, userAgent: request.headers['user-agent'] };
}

/**
 * POST /api/login, POST /api/login/two-factor, GET /api/user and POST /api/logout. Every FusionAuth
 * outcome is mapped explicitly; only an authenticated outcome ever creates a session.
 */
export async function sessionRoutes(app: FastifyInstance, options: SessionRoutesOptions): Promise<void> {
  const { config, gateway, cookie, throttle, records } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  /** Turns an outcome that is not a session into its answer, logging the real reason. */
  const refuse = (
    request: FastifyRequest,
    outcome: Exclude<LoginOutcome, { kind: 'authenticated' | 'two_factor_required' }>,
  ) => {
    const log = { event: 'login_failed', ip: request.ip, outcome: outcome.kind };
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
        return new ApiError(
          401,
          'invalid_code',
          'That code is not correct. Check your authenticator app and try again.',
        );
      case 'two_factor_expired':
        request.log.info(log, 'two-factor login expired');
        return new ApiError(401, 'two_factor_expired', 'The sign-in took too long. Please sign in again.');
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
    revokeRefreshToken(gateway, request.log, refreshTokenId, why);

  const signIn = async (request: FastifyRequest, outcome: Extract<LoginOutcome, { kind: 'authenticated' }>) => {
    try {
      await startSession(request, config, outcome.user, outcome.refreshTokenId);
    } catch (error) {
      // No session came of this login: its refresh token must not outlive it.
      await revoke(request, outcome.refreshTokenId, 'session not created');
      throw error;
    }
    request.log.info({ event: 'login_succeeded', userId: outcome.user.id, ip: request.ip }, 'signed in');
    return { user: outcome.user };
  };

  routes.post(
    '/api/login',
    {
      schema: {
        body: loginBody,
        response: { 200: signedIn, 202: twoFactorRequired, '4xx': errorBody, '5xx': errorBody },
      },
    },
    async (request, reply) => {
      requireHttpsForSecureCookie(request, cookie);
      // A browser signed in to this app (as anyone) gives that session up, and its refresh token with it.
      const previousRefreshTokenId = sessionUser(request, config) ? request.session.refreshTokenId : undefined;
      const { loginId, password } = request.body;
      const outcome = await throttle.attempt(
        request,
        loginId,
        () => gateway.login(loginId, password, clientContext(request)),
        (result) => result.kind === 'invalid_credentials',
      );
      if (outcome.kind === 'authenticated') {
        const signedInUser = await signIn(request, outcome);
        await revoke(request, previousRefreshTokenId, 'replaced by a new login');
        return signedInUser;
      }
      if (outcome.kind !== 'two_factor_required') throw refuse(request, outcome);
      await startPreLoginSession(request, config, {
        twoFactorId: outcome.twoFactorId,
        methods: outcome.methods,
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
    { schema: { body: twoFactorBody, response: { 200: signedIn, '4xx': errorBody, '5xx': errorBody } } },
    async (request, reply) => {
      requireHttpsForSecureCookie(request, cookie);
      const pending = request.session.twoFactor;
      // A pending attempt without its login id predates this release: it is simply over.
      if (
        !pending?.loginId ||
        request.session.applicationId !== config.applicationId ||
        pending.expiresAt <= Date.now()
      ) {
        throw refuse(request, { kind: 'two_factor_expired' });
      }
      const outcome = await throttle.attempt(
        request,
        pending.loginId,
        () => gateway.completeTwoFactor(pending.twoFactorId, request.body.code, clientContext(request)),
        (result) => result.kind === 'invalid_code',
      );
      if (outcome.kind === 'authenticated') return signIn(request, outcome);
      if (outcome.kind === 'invalid_code') {
        // A wrong code may be retried, a few times: the code has only a million values.
        const failedAttempts = pending.failedAttempts + 1;
        if (failedAttempts < maximumTwoFactorAttempts) {
          request.session.twoFactor = { ...pending, failedAttempts };
          throw refuse(request, outcome);
        }
        await endSession(request, reply, config, cookie);
        request.log.warn({ event: 'two_factor_attempts_exceeded', ip: request.ip }, 'too many wrong codes');
        throw new ApiError(401, 'too_many_codes', 'Too many wrong codes. Please sign in again.');
      }
      // An outage may be waited out; any other end closes the attempt.
      if (outcome.kind !== 'unavailable') await endSession(request, reply, config, cookie);
      throw refuse(request, outcome.kind === 'two_factor_required' ? { kind: 'two_factor_expired' } : outcome);
    },
  );

  routes.get(
    '/api/user',
    {
      schema: {
        response: {
          200: z.object({
            user: sessionUserSchema,
            session: z.object({ expiresAt: z.iso.datetime(), absoluteExpiresAt: z.iso.datetime() }),
          }),
          '4xx': errorBody,
          '5xx': errorBody,
        },
      },
    },
    async (request) => {
      const user = requireUser(request, config);
      const session = request.session;
      return {
        user,
        session: {
          expiresAt: new Date(recordExpiresAt(session) ?? 0).toISOString(),
          absoluteExpiresAt: new Date(session.absoluteExpiresAt ?? 0).toISOString(),
        },
      };
    },
  );

  routes.post(
    '/api/logout',
    {
      schema: {
        body: z.object({ everywhere: z.boolean().optional() }).nullish(),
        response: { 204: z.null(), '4xx': errorBody, '5xx': errorBody },
      },
    },
    async (request, reply) => {
      const user = sessionUser(request, config);
      const refreshTokenId = user ? request.session.refreshTokenId : undefined;
      await endSession(request, reply, config, cookie);
      if (user && request.body?.everywhere) {
        // Every session of this user in this app ends, and FusionAuth forgets all their refresh tokens for it.
        for (const { handle } of await sessionsInThisApp(records, config, user.id)) {
          await records.endForUser(user.id, handle);
        }
        if (!(await gateway.revokeRefreshTokensOfUser(user.id))) {
          request.log.warn({ event: 'revocation_failed', why: 'logout everywhere' }, 'could not revoke refresh tokens');
        }
      } else {
        await revoke(request, refreshTokenId, 'logout');
      }
      if (user) {
        const everywhere = request.body?.everywhere === true;
        request.log.info({ event: 'logout', userId: user.id, ip: request.ip, everywhere }, 'signed out');
      }
      return reply.code(204).send(null);
    },
  );
}
