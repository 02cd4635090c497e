import type { Session } from 'fastify';
import type { SessionUser, SignInMethod } from '../schemas/session.js';

/**
 * What a session holds: a small snapshot of the user (not FusionAuth's whole user object), the
 * application that created it, and its clocks. A pre-login session holds only a pending second
 * factor. Instants are Unix milliseconds.
 */
declare module 'fastify' {
  interface Session {
    applicationId?: string;
    user?: SessionUser;
    createdAt?: number;
    idleExpiresAt?: number;
    absoluteExpiresAt?: number;
    refreshTokenId?: string;
    /** How the user signed in; sessions stored before it was recorded read as `password`. */
    signedInWith?: SignInMethod;
    twoFactor?: PendingTwoFactor;
    /** Shown in the user's list of sessions: where and with what it was started. */
    device?: SessionDevice;
  }
}

export interface PendingTwoFactor {
  /** FusionAuth's `twoFactorId`: it never leaves the server. */
  twoFactorId: string;
  /** The login id the password was given for: wrong codes count against it. */
  loginId: string;
  expiresAt: number;
  /** Wrong codes so far; the attempt ends after a few. */
  failedAttempts: number;
}

export interface SessionDevice {
  ip: string;
  /** The browser and system, as its User-Agent names them ("Chrome 142 on Linux"). */
  description: string;
}

/** The session fields a store keeps (see session-codec); the cookie settings are the server's, not the record's. */
export type StoredSession = Pick<
  Session,
  | 'applicationId'
  | 'user'
  | 'createdAt'
  | 'idleExpiresAt'
  | 'absoluteExpiresAt'
  | 'refreshTokenId'
  | 'signedInWith'
  | 'twoFactor'
  | 'device'
>;

/**
 * When a record stops being valid: the earlier of the idle and absolute deadlines for a signed-in
 * session, the second-factor deadline for a pre-login one. Stores use it both as the Redis TTL and
 * as a check on read, so an expired session is gone even between TTL sweeps.
 */
export function recordExpiresAt(session: StoredSession): number | undefined {
  if (session.user) {
    return Math.min(session.idleExpiresAt ?? 0, session.absoluteExpiresAt ?? 0);
  }
  return session.twoFactor?.expiresAt;
}

/**
 * When the session was last used, to within the slack of sliding expiry: the idle deadline is
 * moved on activity, so it tells the last use without a field of its own.
 */
export function lastSeenAt(session: StoredSession, idleTimeoutMs: number): number {
  return Math.max(session.createdAt ?? 0, (session.idleExpiresAt ?? 0) - idleTimeoutMs);
}
