import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/environment.js';
import { ApiError, unauthenticated } from '../errors/api-error.js';
import type { SessionUser, SignInMethod } from '../schemas/session.js';
import { type CookieSettings, cookieOptions } from './cookie-settings.js';
import { describeDevice } from './device-description.js';
import { openId, sealId } from './sealed-ids.js';
import { newSessionId } from './session-ids.js';
import type { ReplacedSession } from './records/session-records.js';
import {
  type PendingPasswordChange,
  type PendingTwoFactor,
  recordExpiresAt,
  SessionRecord,
  type StoredSession,
} from './session-data.js';
import type { SessionStoreAdapter } from './session-store-adapter.js';

/** What a login flow hands the session layer once FusionAuth has authenticated the user. */
export interface SignIn {
  user: SessionUser;
  /** The FusionAuth refresh token issued with the login, revoked when the session ends. */
  refreshTokenId: string | undefined;
  signedInWith: SignInMethod;
}

/** A live signed-in session of this app, as its record holds it: a user, and both deadlines ahead. */
export type SignedInSession = Readonly<StoredSession> & {
  readonly user: SessionUser;
  readonly idleExpiresAt: number;
  readonly absoluteExpiresAt: number;
};

/**
 * What every login flow asks of the session layer: start a session for a user it has
 * authenticated (or a pre-login one that waits for a second factor or a new password), end one,
 * and tell who is signed in. The flows never touch session fields, ids, records or cookies themselves.
 */
export function createSessionService(config: AppConfig, cookie: CookieSettings, store: SessionStoreAdapter) {
  const { applicationId } = config;
  const { idleTimeoutMs, absoluteTimeoutMs, extendAfterFraction } = config.session;

  /** The request's session if it is a live signed-in one of this app; a session of another app counts as none. */
  function signedIn(request: FastifyRequest): SignedInSession | undefined {
    const session = request.session?.record?.fields;
    if (!session?.user || session.applicationId !== applicationId) return undefined;
    // The earlier deadline, counting a missing one as passed: a record lacking either is no session.
    return (recordExpiresAt(session) ?? 0) > Date.now() ? (session as SignedInSession) : undefined;
  }

  /** The user whose session a request is starting, while regenerate() draws its id. */
  const startingFor = new WeakMap<FastifyRequest, string | undefined>();

  /** A pre-login session's record: this app's, waiting for `pending`, its FusionAuth id sealed (see sealed-ids). */
  const pendingRecord = (request: FastifyRequest, pending: PendingTwoFactor) =>
    new SessionRecord({
      applicationId,
      twoFactor: { ...pending, twoFactorId: sealId(request.session.sessionId, pending.twoFactorId) },
    });

  /** The pre-login session's fields, if it is this app's and its step has not expired. */
  function pendingStep<K extends 'twoFactor' | 'passwordChange'>(request: FastifyRequest, step: K) {
    const fields = request.session.record?.fields;
    const pending = fields?.applicationId === applicationId ? fields[step] : undefined;
    return pending && pending.expiresAt > Date.now() ? (pending as NonNullable<StoredSession[K]>) : undefined;
  }

  /** The signed-in user of this app's session, if there is one. */
  function userOf(request: FastifyRequest): SessionUser | undefined {
    return signedIn(request)?.user;
  }

  /**
   * Gives the request a session id nobody has seen, its first save to come: a signed-in user's
   * carries their slot tag (see newSessionId). A visitor's pre-login session can keep the id it
   * has: when the cookie names no stored session, @fastify/session draws a new id instead of
   * adopting the cookie's. A stored session (an earlier login, a pre-login one) is replaced, and
   * ends in the same Redis round trip as the new one is written, so no id known before a login is
   * honoured after it.
   */
  async function freshSession(request: FastifyRequest, userId?: string): Promise<void> {
    const previous = request.session;
    const stored = previous.record?.fields;
    const replaced: ReplacedSession | undefined =
      stored?.applicationId === undefined ? undefined : { sessionId: previous.sessionId, userId: stored.user?.id };
    // Stryker disable next-line ConditionalExpression: regenerating a visitor whose cookie names no stored session only draws its new id sooner.
    if (replaced || userId !== undefined) {
      startingFor.set(request, userId);
      try {
        await store.regenerate(previous);
      } finally {
        // Stryker disable next-line BlockStatement: the map is keyed by the request, and goes with it.
        startingFor.delete(request);
      }
    }
    store.startOnSave(request.session, replaced);
  }

  return {
    signedIn,
    userOf,

    /** @fastify/session's `idGenerator`: a new session's id, tagged for the user it is started for. */
    newId(request?: FastifyRequest): string {
      return newSessionId(request && startingFor.get(request));
    },

    /**
     * The guard of a scope of routes that need a signed-in user of this app: it sets `request.user`
     * once, or answers 401 `unauthenticated`. It runs as the request arrives, once the session is
     * loaded and before the body is read: a visitor's body is never parsed, and a visitor learns
     * nothing about a route's schema. An `onRequest` hook in callback style: it runs on every
     * guarded request, and an async hook costs a promise each time.
     */
    requireSignIn: (request: FastifyRequest, _reply: FastifyReply, done: (error?: ApiError) => void): void => {
      const user = userOf(request);
      if (!user) {
        done(unauthenticated());
        return;
      }
      request.user = user;
      done();
    },

    /**
     * A Secure cookie can only be set over https; @fastify/session would otherwise skip saving the
     * session without a word, and the user would seem signed in for one response only. Refuse
     * instead, before any credential is checked, and say why: usually a TLS proxy that is missing
     * from TRUSTED_PROXIES.
     */
    assertCookieCanBeSet(request: FastifyRequest): void {
      if (cookie.secure && request.protocol !== 'https') {
        request.log.warn(
          'a sign-in arrived over http for an https origin: is the TLS proxy listed in TRUSTED_PROXIES?',
        );
        throw new ApiError(403, 'https_required', 'Sign in over https.');
      }
    },

    /**
     * Starts a signed-in session under a fresh id, holding the user's snapshot, this app's id, the
     * clocks, the FusionAuth refresh token's id (so that ending the session can revoke it), how the
     * user signed in, and the device. Written before the response is sent, so that a failure is the
     * caller's to handle. Answers how many sessions the user's list holds now (see SessionRecords.start).
     */
    async start(request: FastifyRequest, signIn: SignIn): Promise<number> {
      const { user, refreshTokenId, signedInWith } = signIn;
      await freshSession(request, user.id);
      const now = Date.now();
      request.session.record = new SessionRecord({
        applicationId,
        user,
        createdAt: now,
        idleExpiresAt: now + idleTimeoutMs,
        absoluteExpiresAt: now + absoluteTimeoutMs,
        refreshTokenId,
        signedInWith,
        device: { ip: request.ip, description: describeDevice(request.headers['user-agent']) },
      });
      await request.session.save();
      return store.listedOnStart(request.session);
    },

    /** Starts the short-lived pre-login session that ties a pending second factor to this browser. */
    async startPending(request: FastifyRequest, pending: PendingTwoFactor): Promise<void> {
      await freshSession(request);
      request.session.record = pendingRecord(request, pending);
      await request.session.save();
    },

    /** Starts the short-lived pre-login session that ties a required password change to this browser. */
    async startPendingPasswordChange(request: FastifyRequest, pending: PendingPasswordChange): Promise<void> {
      await freshSession(request);
      const changePasswordId = sealId(request.session.sessionId, pending.changePasswordId);
      request.session.record = new SessionRecord({ applicationId, passwordChange: { ...pending, changePasswordId } });
      await request.session.save();
    },

    /** The password change this browser's pre-login session waits for, unless it is another app's or has expired. */
    pendingPasswordChange(request: FastifyRequest): PendingPasswordChange | undefined {
      const pending = pendingStep(request, 'passwordChange');
      if (!pending) return undefined;
      const changePasswordId = openId(request.session.sessionId, pending.changePasswordId);
      return changePasswordId === undefined ? undefined : { ...pending, changePasswordId };
    },

    /** The second factor this browser's pre-login session waits for, unless it is another app's or has expired. */
    pendingTwoFactor(request: FastifyRequest): PendingTwoFactor | undefined {
      const pending = pendingStep(request, 'twoFactor');
      if (!pending) return undefined;
      const twoFactorId = openId(request.session.sessionId, pending.twoFactorId);
      return twoFactorId === undefined ? undefined : { ...pending, twoFactorId };
    },

    /** Keeps the pending second factor's new state (its count of wrong codes), saved with the answer. */
    updatePendingTwoFactor(request: FastifyRequest, pending: PendingTwoFactor): void {
      request.session.record = pendingRecord(request, pending);
    },

    /**
     * Ends this app's stored session for good (see SessionRecords) and tells the browser to drop
     * the cookie. A visitor's session was never stored, and another application's is not ours to end.
     */
    async end(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (request.session.record?.fields.applicationId === applicationId) await request.session.destroy();
      reply.clearCookie(cookie.name, cookieOptions(cookie));
    },

    /**
     * Slides the idle deadline on activity, but writes at most once per `extendAfterFraction` of the
     * idle timeout: a session whose deadline was set moments ago is not rewritten on every request,
     * and the idle timeout stays exact to within that fraction. The absolute deadline never moves.
     */
    extendIfDue(request: FastifyRequest): void {
      const session = signedIn(request);
      if (!session) return;
      const now = Date.now();
      const elapsedSinceExtension = now + idleTimeoutMs - session.idleExpiresAt;
      if (elapsedSinceExtension >= idleTimeoutMs * extendAfterFraction) {
        request.session.record = new SessionRecord({ ...session, idleExpiresAt: now + idleTimeoutMs });
      }
    },

    /**
     * How long the signed-in session has left (ms), for the SPA: until it ends without activity
     * (the earlier of the idle and absolute deadlines), and until it ends however active its user
     * is; undefined without one.
     */
    timeLeft(request: FastifyRequest): { idle: number; absolute: number } | undefined {
      const session = signedIn(request);
      if (!session) return undefined;
      const now = Date.now();
      return {
        idle: Math.max(0, (recordExpiresAt(session) ?? now) - now),
        absolute: Math.max(0, session.absoluteExpiresAt - now),
      };
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
