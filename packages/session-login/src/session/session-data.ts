import type { SessionUser, SignInMethod } from '../schemas/session.js';

/**
 * What a session holds: a small snapshot of the user (not FusionAuth's whole user object), the
 * application that created it, and its clocks. A pre-login session holds only the step its sign-in
 * waits for: a second factor, or a new password. Instants are Unix milliseconds. This is also what a store keeps (see session-codec); the
 * cookie settings are the server's, not the record's.
 */
export interface StoredSession {
  applicationId?: string;
  user?: SessionUser;
  createdAt?: number;
  idleExpiresAt?: number;
  absoluteExpiresAt?: number;
  refreshTokenId?: string;
  /** How the user signed in; sessions stored before it was recorded read as `password`. */
  signedInWith?: SignInMethod;
  twoFactor?: PendingTwoFactor;
  passwordChange?: PendingPasswordChange;
  /** Shown in the user's list of sessions: where and with what it was started. */
  device?: SessionDevice;
}

declare module 'fastify' {
  interface Session {
    /** What the session holds; a visitor's session holds nothing. */
    record?: SessionRecord;
  }
}

/** Serial numbers of records, one per record made in this process (see `SessionRecord.toJSON`). */
let serials = 0;

/**
 * A session's fields as @fastify/session holds them, under `request.session.record`: replaced
 * whole, never changed in place.
 *
 * @fastify/session tells whether a session changed, and must be saved, by stable-stringifying the
 * whole session and hashing the text with SHA-256, once as the session is loaded and again before
 * the answer: over every field, that was about a seventh of a guarded read's CPU time. A record
 * stringifies to its serial number instead, new for every record made: since a record is never
 * changed in place, a new serial is exactly a change, and what @fastify/session hashes is a few
 * bytes. It still decides when to save, so the session layer never has to remember to.
 */
export class SessionRecord {
  readonly #serial = (serials += 1);

  constructor(readonly fields: Readonly<StoredSession>) {}

  toJSON(): number {
    return this.#serial;
  }
}

export interface PendingTwoFactor {
  /** FusionAuth's `twoFactorId`: it never leaves the server, and the store holds it sealed. */
  twoFactorId: string;
  /** The login id the password was given for: wrong codes count against it. */
  loginId: string;
  expiresAt: number;
  /** Wrong codes so far; the attempt ends after a few. */
  failedAttempts: number;
}

/** A sign-in FusionAuth held back until the user chooses a new password (its 203). */
export interface PendingPasswordChange {
  /** FusionAuth's `changePasswordId`: it never leaves the server, and the store holds it sealed. */
  changePasswordId: string;
  /** The login id the password was given for. */
  loginId: string;
  expiresAt: number;
}

export interface SessionDevice {
  ip: string;
  /** The browser and system, as its User-Agent names them ("Chrome 142 on Linux"). */
  description: string;
}

/**
 * When a record stops being valid: the earlier of the idle and absolute deadlines for a signed-in
 * session, the pending step's deadline for a pre-login one. Stores use it both as the Redis TTL and
 * as a check on read, so an expired session is gone even between TTL sweeps. A pre-login one ends
 * with the step it waits for.
 */
export function recordExpiresAt(session: StoredSession): number | undefined {
  if (session.user) {
    return Math.min(session.idleExpiresAt ?? 0, session.absoluteExpiresAt ?? 0);
  }
  return (session.twoFactor ?? session.passwordChange)?.expiresAt;
}

/**
 * When the session was last used, to within the slack of sliding expiry: the idle deadline is
 * moved on activity, so it tells the last use without a field of its own.
 */
export function lastSeenAt(session: StoredSession, idleTimeoutMs: number): number {
  return Math.max(session.createdAt ?? 0, (session.idleExpiresAt ?? 0) - idleTimeoutMs);
}
