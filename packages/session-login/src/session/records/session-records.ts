import { hash } from 'node:crypto';
import { recordExpiresAt, type StoredSession } from '../session-data.js';

/**
 * Where session records live. Records are keyed by a SHA-256 of the session id, never the id
 * itself, so a dump of the store holds nothing a browser could present as a cookie. The id carries
 * 192 random bits, so the hash needs no secret. The hash is also the handle a user sees for a
 * session in their list: it names the session without being able to act as it.
 *
 * A record is created once, by `start`, under an id nobody has used; every later write (sliding
 * expiry, a second-factor attempt) is an `update`, which writes only over a record that is still
 * there. So a slow request that loaded the session before a logout, or before a new login replaced
 * it, cannot write it back when it finishes: the ended session stays ended, with nothing kept for it.
 *
 * A signed-in session is also listed under its user, so that the user (or a FusionAuth event about
 * them) can find and end all of it. A handle whose record has gone is dropped from that list the
 * next time the list is read.
 */
export interface SessionRecords {
  read(sessionId: string): Promise<StoredSession | undefined>;
  /**
   * Stores the first record of a session that has just been given its id, listed under its user,
   * and ends the session it replaces (a browser's earlier session) in the same step. Answers how
   * many handles the user's list holds now (0 for a session without a user, or nothing kept): at
   * least the user's live sessions, so the limit on them needs reading only past it.
   */
  start(sessionId: string, record: StoredSession, replaced?: ReplacedSession): Promise<number>;
  /** Rewrites a live session's record; answers false, writing nothing, once the session has ended or expired. */
  update(sessionId: string, record: StoredSession): Promise<boolean>;
  /** Ends the session: its record goes, and it can no longer be written. */
  end(sessionId: string): Promise<void>;
  /** The user's live sessions (of every app sharing this store), by handle. */
  listForUser(userId: string): Promise<SessionEntry[]>;
  /** Ends one of the user's sessions by its handle; answers whether it was theirs. */
  endForUser(userId: string, handle: string): Promise<boolean>;
}

/** A session a new one replaces: the browser's earlier session, and whose it was. */
export interface ReplacedSession {
  sessionId: string;
  userId: string | undefined;
}

export interface SessionEntry {
  handle: string;
  record: StoredSession;
}

export function hashSessionId(sessionId: string): string {
  return hash('sha256', sessionId, 'base64url');
}

/** How long a record may live from now (ms), or undefined when its deadline has passed. */
export function timeToLive(record: StoredSession, now = Date.now()): number | undefined {
  const left = (recordExpiresAt(record) ?? now) - now;
  return left > 0 ? left : undefined;
}

/**
 * The user's live sessions that belong to this app. Apps may share a store; whatever one of them
 * ends for a user (all their sessions, the others, those a webhook names) must not reach another's.
 */
export async function sessionsInThisApp(
  records: SessionRecords,
  applicationId: string,
  userId: string,
): Promise<SessionEntry[]> {
  const now = Date.now();
  return (await records.listForUser(userId)).filter(
    ({ record }) => record.applicationId === applicationId && timeToLive(record, now) !== undefined,
  );
}
