import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomNonce, randomPKCECodeVerifier, randomState } from 'openid-client';
import { z } from 'zod';
import { ApiError } from '../errors/api-error.js';
import { revokeRefreshToken } from '../fusionauth/revocation.js';
import { keepSessionsWithinLimit } from '../session/ending-sessions.js';
import { MemoryPreLoginRecords } from '../oauth/pre-login/memory-pre-login-records.js';
import type { PreLogin, PreLoginRecords } from '../oauth/pre-login/pre-login-records.js';
import { RedisPreLoginRecords } from '../oauth/pre-login/redis-pre-login-records.js';
import { localReturnPath, withLoginError } from '../oauth/return-to.js';
import { refusalOf, type SignInRefusal } from '../oauth/sign-in-outcome.js';
import { errorResponses } from '../schemas/errors.js';
import { oauthCallbackQuery, oauthLoginQuery } from '../schemas/oauth.js';
import { cookieOptions, preLoginCookieSettings } from '../session/cookie-settings.js';
import type { SignIn } from '../session/session-service.js';

/**
 * How long a sign-in may take at FusionAuth: enough for its hosted two-factor (300 s) and
 * password-change (600 s) pages after the password.
 */
const preLoginLifetimeMs = 10 * 60_000;

const redirected = (description: string) => z.null().describe(description);

/**
 * The OAuth login flow (authorization code grant with PKCE), with this backend as the client and
 * FusionAuth's hosted pages as the login form, so that passwords only ever reach FusionAuth and
 * its SSO session signs the user in to the other app without a form:
 * - `GET /api/oauth/login?returnTo=` sends the browser to FusionAuth, leaving a single-use
 *   pre-login record (state, nonce, PKCE verifier, where to return) under a cookie of its own;
 * - `GET /api/oauth/callback` is where FusionAuth sends it back: the record is claimed, the code
 *   exchanged and every token checked, and a fresh session starts (tokens never reach the browser);
 * - `GET /api/oauth/frontchannel-logout` is the application's logout URL, which FusionAuth's logout
 *   page calls in a hidden iframe to end this browser's session here too.
 * Failures come back to the SPA as a redirect with `login_error=<code>`, never as an error page.
 * https://fusionauth.io/docs/lifecycle/authenticate-users/oauth/endpoints
 */
async function oauthLogin(scope: FastifyInstance): Promise<void> {
  const { config, sessions, fusionAuth, loginThrottle, relyingParty, storage } = scope;
  const routes = scope.withTypeProvider<ZodTypeProvider>();
  const cookie = preLoginCookieSettings(config.prefix, config.origin);
  const preLogins: PreLoginRecords = storage.redis
    ? new RedisPreLoginRecords(storage.redis, storage.keyPrefix)
    : new MemoryPreLoginRecords();

  /** The real reason of a failed sign-in, to the log; the browser gets the code alone. */
  const logRefusal = (request: FastifyRequest, refusal: SignInRefusal) => {
    const { kind: _kind, code, refreshTokenId: _refreshTokenId, ...details } = refusal;
    const log = { event: 'login_failed', flow: 'oauth', ip: request.ip, loginError: code, ...details };
    scope.metrics.signIns.inc({ flow: 'oauth', outcome: code });
    if (refusal.reason === 'client_rejected') {
      request.log.error(log, `FusionAuth rejected the client secret: check ${config.prefix}_CLIENT_SECRET`);
    } else if (refusal.reason === 'discovery_failed') {
      request.log.error(
        log,
        "FusionAuth's discovery failed: check FUSIONAUTH_URL, and that FUSIONAUTH_PUBLIC_URL is the tenant's issuer",
      );
    } else if (code === 'identity_unavailable') {
      request.log.error(log, 'FusionAuth unavailable');
    } else if (code === 'sign_in_failed') {
      request.log.warn(log, 'sign-in at FusionAuth failed');
    } else {
      request.log.info(log, 'sign-in at FusionAuth refused');
    }
  };

  /**
   * These routes are navigations, never API calls: a refusal of the session layer's (the sign-in
   * limit, Redis down, https required) goes back to the SPA as a `login_error` too, never as JSON.
   */
  const backWithRefusal = (request: FastifyRequest, reply: FastifyReply, returnTo: string, error: unknown) => {
    if (!(error instanceof ApiError)) throw error;
    const code =
      error.statusCode === 429
        ? 'too_many_attempts'
        : error.statusCode === 503
          ? 'identity_unavailable'
          : 'sign_in_failed';
    scope.metrics.signIns.inc({ flow: 'oauth', outcome: code });
    request.log.warn(
      { event: 'login_failed', flow: 'oauth', ip: request.ip, loginError: code, reason: error.code },
      'sign-in refused',
    );
    return reply.redirect(withLoginError(returnTo, code));
  };

  const revoke = (request: FastifyRequest, refreshTokenId: string | undefined, why: string) =>
    revokeRefreshToken(fusionAuth, request.log, refreshTokenId, why);

  const startSession = async (request: FastifyRequest, signIn: SignIn) => {
    // A browser signed in to this app (as anyone) gives that session up, and its refresh token with it.
    const previousRefreshTokenId = sessions.signedIn(request)?.refreshTokenId;
    let listed: number;
    try {
      listed = await sessions.start(request, signIn);
    } catch (error) {
      // No session came of this login: its refresh token must not outlive it.
      await revoke(request, signIn.refreshTokenId, 'session not created');
      throw error;
    }
    await revoke(request, previousRefreshTokenId, 'replaced by a new login');
    scope.metrics.signIns.inc({ flow: 'oauth', outcome: 'succeeded' });
    scope.metrics.sessionStarts.inc({ via: signIn.signedInWith });
    await keepSessionsWithinLimit(scope, request, signIn.user.id, listed);
    request.log.info(
      { event: 'login_succeeded', flow: 'oauth', userId: signIn.user.id, ip: request.ip, via: signIn.signedInWith },
      'signed in',
    );
  };

  routes.get(
    '/api/oauth/login',
    {
      schema: {
        summary: "Sign in on FusionAuth's page",
        description:
          'A top-level navigation (a plain link), answered with a redirect to FusionAuth’s login page and a short-lived pre-login cookie. When FusionAuth cannot be reached, the redirect goes back to `returnTo` with `login_error=identity_unavailable`.',
        tags: ['Sign-in'],
        querystring: oauthLoginQuery,
        response: { 302: redirected('To FusionAuth’s login page (or back, with `login_error`).'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const returnTo = localReturnPath(request.query.returnTo, config.origin);
      try {
        sessions.assertCookieCanBeSet(request);
        await loginThrottle.countStart(request);
      } catch (error) {
        return backWithRefusal(request, reply, returnTo, error);
      }
      const pending: PreLogin = {
        state: randomState(),
        nonce: randomNonce(),
        codeVerifier: randomPKCECodeVerifier(),
        returnTo,
        createdAt: Date.now(),
      };
      let authorizationUrl: string;
      try {
        authorizationUrl = await relyingParty.authorizationUrl(pending);
      } catch (error) {
        const refusal = refusalOf(error);
        logRefusal(request, refusal);
        return reply.redirect(withLoginError(pending.returnTo, refusal.code));
      }
      // A second start replaces the first: its record goes, and its callback then finds none.
      const id = randomBytes(32).toString('base64url');
      try {
        const previous = request.cookies[cookie.name];
        if (previous) await preLogins.claim(previous);
        await preLogins.save(id, pending, preLoginLifetimeMs);
      } catch (error) {
        return backWithRefusal(request, reply, returnTo, error);
      }
      reply.setCookie(cookie.name, id, { ...cookieOptions(cookie), maxAge: preLoginLifetimeMs / 1000 });
      request.log.info({ event: 'login_started', flow: 'oauth', ip: request.ip }, 'sign-in sent to FusionAuth');
      return reply.redirect(authorizationUrl);
    },
  );

  routes.get(
    '/api/oauth/callback',
    {
      schema: {
        summary: 'Where FusionAuth sends the browser back to with a code',
        description:
          'The registered `redirect_uri`. Success: a redirect to `returnTo` with the session cookie. Failure: a redirect to `returnTo` (or `/`) with `login_error=<code>` (see `OAuthLoginError`). Works once per sign-in: the pre-login record is claimed at the first call.',
        tags: ['Sign-in'],
        querystring: oauthCallbackQuery,
        response: { 302: redirected('To `returnTo`, signed in, or with `login_error`.'), ...errorResponses },
      },
    },
    async (request, reply) => {
      // The record is claimed (read and deleted at once) and its cookie cleared, whatever comes next.
      const preLoginId = request.cookies[cookie.name];
      reply.clearCookie(cookie.name, cookieOptions(cookie));
      let pending: PreLogin | undefined;
      try {
        sessions.assertCookieCanBeSet(request);
        pending = preLoginId ? await preLogins.claim(preLoginId) : undefined;
      } catch (error) {
        return backWithRefusal(request, reply, '/', error);
      }
      if (!pending) {
        // No exchange without the browser's own pre-login: a replay, a link from elsewhere, or too late.
        logRefusal(request, { kind: 'refused', code: 'sign_in_expired', reason: 'no_pre_login' });
        return reply.redirect(withLoginError('/', 'sign_in_expired'));
      }
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const outcome = await relyingParty.completeSignIn(query, pending);
      if (outcome.kind === 'refused') {
        logRefusal(request, outcome);
        await revoke(request, outcome.refreshTokenId, 'sign-in refused');
        return reply.redirect(withLoginError(pending.returnTo, outcome.code));
      }
      try {
        await startSession(request, outcome.signIn);
      } catch (error) {
        return backWithRefusal(request, reply, pending.returnTo, error);
      }
      return reply.redirect(pending.returnTo);
    },
  );

  routes.get(
    '/api/oauth/frontchannel-logout',
    {
      // GET alone: a HEAD would end the session too.
      exposeHeadRoute: false,
      schema: {
        summary: 'End this browser’s session: FusionAuth’s logout page calls it',
        description:
          'The application’s `logoutURL`, requested by FusionAuth’s logout page from a hidden iframe, with no session id of its own: it ends whatever session of this app the cookie names, and revokes its refresh token. The one GET that changes state, so it does nothing else, is safe to repeat, and refuses `Sec-Fetch-Site: cross-site` and any `Sec-Fetch-Dest` but a frame or a page (its SameSite=Lax cookie keeps other sites out already).',
        tags: ['Session'],
        response: { 200: z.literal('').describe('Signed out (or nothing to do): an empty body.'), ...errorResponses },
      },
    },
    async (request, reply) => {
      // A frame FusionAuth's logout page loads (or a page opened directly), never an image, a script or a fetch.
      const destination = request.headers['sec-fetch-dest'];
      if (
        request.headers['sec-fetch-site'] === 'cross-site' ||
        (destination !== undefined && destination !== 'iframe' && destination !== 'document')
      ) {
        throw new ApiError(403, 'csrf_rejected', 'The request was refused: it came from a cross-site page.');
      }
      const session = sessions.signedIn(request);
      const userId = session?.user.id;
      const refreshTokenId = session?.refreshTokenId;
      await sessions.end(request, reply);
      await revoke(request, refreshTokenId, 'front-channel logout');
      if (userId) {
        request.log.info({ event: 'logout', userId, ip: request.ip, via: 'frontchannel' }, 'signed out by FusionAuth');
      }
      return reply.code(200).send('');
    },
  );
}

export default fp(oauthLogin, {
  name: 'oauth-login',
  fastify: '5.x',
  dependencies: ['sessions', 'login-throttle', 'fusionauth-gateway', 'relying-party', 'storage', '@fastify/cookie'],
});
