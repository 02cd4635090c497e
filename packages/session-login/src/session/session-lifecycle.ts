import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/environment.js';
import { ApiError, unauthenticated } from '../errors/api-error.js';
import { type CookieSettings, cookieOptions } from './cookie-settings.js';
import { describeDevice } from './device-description.js';
import { type PendingTwoFactor, recordExpiresAt, type SessionUser, type StoredSession } from './session-data.js';
import type { SessionRecords } from './session-records.js';

/**
 * A Secure cookie can only be set over https; @fastify/session would otherwise skip saving the
 * session without a word, and the user would seem signed in for one response only. Refuse instead,
 * and say why: usually a TLS proxy that is missing from TRUSTED_PROXIES.
 */
export function requireHttpsForSecureCookie(request: FastifyRequest, cookie: CookieSettings): void {
  if (cookie.secure && request.protocol !== 'https') {
    request.log.warn('a sign-in arrived over http for an https origin: is the TLS proxy listed in TRUSTED_PROXIES?');
    throw new ApiError(403, 'https_required', 'Sign in over https.');
  }
}

/**
 * Gives the request a session id nobody has seen. A visitor's session already has one: when the
 * cookie names no stored session, @fastify/session draws a new id instead of adopting the cookie's.
 * A stored session (an earlier login, a pre-login one) is ended, so no id known before a login is
 * honoured after it. Ending only stored sessions keeps visitors from filling the store with
 * tombstones.
 */
async function freshSession(request: FastifyRequest): Promise<void> {
  if (request.session.applicationId !== undefined) await request.session.regenerate();
}

/** Starts a signed-in session under a fresh id, written before the response is sent. */
export async function startSession(
  request: FastifyRequest,
  config: AppConfig,
  user: SessionUser,
  refreshTokenId: string | undefined,
): Promise<void> {
  await freshSession(request);
  const now = Date.now();
  const session = request.session;
  session.applicationId = config.applicationId;
  session.user = user;
  session.createdAt = now;
  session.idleExpiresAt = now + config.session.idleTimeoutMs;
  session.absoluteExpiresAt = now + config.session.absoluteTimeoutMs;
  session.refreshTokenId = refreshTokenId;
  session.device = { ip: request.ip, description: describeDevice(request.headers['user-agent']) };
  // Saved here, not when the response is sent, so that a failure is the caller's to handle.
  await session.save();
}

/** Starts the short-lived pre-login session that ties a pending second factor to this browser. */
export async function startPreLoginSession(
  request: FastifyRequest,
  config: AppConfig,
  pending: PendingTwoFactor,
): Promise<void> {
  await freshSession(request);
  request.session.applicationId = config.applicationId;
  request.session.twoFactor = pending;
  await request.session.save();
}

/**
 * Ends this app's stored session (for good: see SessionRecords) and tells the browser to drop the
 * cookie. A visitor's session was never stored, and another application's is not ours to end.
 */
export async function endSession(
  request: FastifyRequest,
  reply: FastifyReply,
  config: AppConfig,
  cookie: CookieSettings,
): Promise<void> {
  if (request.session?.applicationId === config.applicationId) await request.session.destroy();
  reply.clearCookie(cookie.name, cookieOptions(cookie));
}

/** The signed-in user of this app's session, if there is one; a session of another app counts as none. */
export function sessionUser(request: FastifyRequest, config: AppConfig): SessionUser | undefined {
  const session = request.session;
  if (!session?.user || session.applicationId !== config.applicationId) return undefined;
  const expiresAt = recordExpiresAt(session);
  return expiresAt !== undefined && expiresAt > Date.now() ? session.user : undefined;
}

/** The signed-in user, or 401 `unauthenticated`. */
export function requireUser(request: FastifyRequest, config: AppConfig): SessionUser {
  const user = sessionUser(request, config);
  if (!user) throw unauthenticated();
  return user;
}

/**
 * Slides the idle deadline on activity, but writes at most once per `extendAfterFraction` of the
 * idle timeout: a session whose deadline was set moments ago is not rewritten on every request,
 * and the idle timeout stays exact to within that fraction. The absolute deadline never moves.
 */
export function extendIfDue(request: FastifyRequest, config: AppConfig): void {
  const session = request.session;
  if (!sessionUser(request, config) || session.idleExpiresAt === undefined) return;
  const { idleTimeoutMs, extendAfterFraction } = config.session;
  const now = Date.now();
  const elapsedSinceExtension = now + idleTimeoutMs - session.idleExpiresAt;
  if (elapsedSinceExtension >= idleTimeoutMs * extendAfterFraction) {
    session.idleExpiresAt = now + idleTimeoutMs;
  }
}

/**
 * The user's stored sessions that belong to this app. Apps may share a Redis namespace; whatever
 * one of them ends for a user (all their sessions, the others, those a webhook names) must not
 * reach another's.
 */
export async function sessionsInThisApp(
  records: SessionRecords,
  config: AppConfig,
  userId: string,
): Promise<Array<{ handle: string; record: StoredSession }>> {
  return (await records.listForUser(userId)).filter(({ record }) => record.applicationId === config.applicationId);
}
