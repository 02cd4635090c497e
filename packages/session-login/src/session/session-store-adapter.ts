import type { FastifyRequest, Session } from 'fastify';
import type { SessionStore } from '@fastify/session';
import { SessionStoreUnavailableError } from '../errors/api-error.js';
import type { ReplacedSession, SessionRecords } from './records/session-records.js';
import { recordExpiresAt, SessionRecord } from './session-data.js';

/** Marks a session whose next save is its first: set by `startOnSave`, read and removed by `set`. */
const firstSave = Symbol('first save');
/** Marks a session whose save was refused because it had ended meanwhile (see `hasEnded`). */
const endedMeanwhile = Symbol('ended meanwhile');
/** How many sessions its user's list held once the session started (see `listedOnStart`). */
const listedAtStart = Symbol('listed at start');
type Marked = Session & {
  [firstSave]?: { replaced: ReplacedSession | undefined };
  [endedMeanwhile]?: true;
  [listedAtStart]?: number;
};

/**
 * Adapts session records to @fastify/session's callback store. Here, once for both stores, live
 * the rules that make them behave alike: a record past its deadline is treated as absent, a
 * session is created only by the session layer's start (every other save only updates a record
 * still there), and any store failure becomes the API's 503 instead of a 500 or a silent logout.
 */
export class SessionStoreAdapter implements SessionStore {
  /** Sessions being replaced: their end is part of the replacing session's first save. */
  private readonly replacedOnStart = new Set<string>();

  constructor(private readonly records: SessionRecords) {}

  /**
   * Gives the request's session a fresh id with @fastify/session's `regenerate()`, which ends the
   * old session straight away, one Redis round trip before the new one is written. Here
   * the old session ends with the new one's first save instead (see `startOnSave`), in the same
   * transaction: a login over an existing session costs one round trip, as a first login does, and
   * the old session has still ended before the answer. Should that save fail, the old session
   * lives on; the request is answered 503 and sends no cookie.
   */
  async regenerate(session: FastifyRequest['session']): Promise<void> {
    this.replacedOnStart.add(session.sessionId);
    try {
      await session.regenerate();
    } finally {
      // regenerate() asks to end the old session at once; should it not have, nothing is left
      // behind that would skip a later end of that session.
      this.replacedOnStart.delete(session.sessionId);
    }
  }

  /**
   * Whether the session's save was refused because the session had ended while the request ran.
   * @fastify/session still sends its cookie then; the session layer takes it back, so the answer
   * does not overwrite a newer session's cookie with the ended one.
   */
  hasEnded(session: Marked | null | undefined): boolean {
    return session?.[endedMeanwhile] === true;
  }

  /** How many sessions the user's list held once this session started (see SessionRecords.start); 0 before. */
  listedOnStart(session: Session): number {
    return (session as Marked)[listedAtStart] ?? 0;
  }

  /** Makes the session's next save its start: its first record, which also ends `replaced`. */
  startOnSave(session: Session, replaced?: ReplacedSession): void {
    (session as Marked)[firstSave] = { replaced };
  }

  get(sessionId: string, callback: (error: Error | null, session?: Session | null) => void): void {
    this.records.read(sessionId).then(
      (record) => {
        const expiresAt = record && recordExpiresAt(record);
        const live = record && expiresAt !== undefined && expiresAt > Date.now();
        // @fastify/session copies what this answers into its own Session: here, the one field.
        callback(null, live ? ({ record: new SessionRecord(record) } as Session) : null);
      },
      (error: unknown) => callback(unavailable(error)),
    );
  }

  set(sessionId: string, session: Session, callback: (error?: Error) => void): void {
    const starting = (session as Marked)[firstSave];
    const fields = session.record?.fields ?? {};
    const write = starting
      ? this.records.start(sessionId, fields, starting.replaced)
      : this.records.update(sessionId, fields);
    write.then(
      (written) => {
        if (starting) {
          delete (session as Marked)[firstSave];
          (session as Marked)[listedAtStart] = Number(written);
        }
        // A record that was there when the request began, and is gone now: the session ended while
        // the request ran (a logout, a new login in another tab). A visitor's blank session, which
        // regenerate() saves, has nothing to write and is not one.
        else if (written === false && fields.applicationId !== undefined) (session as Marked)[endedMeanwhile] = true;
        callback();
      },
      (error: unknown) => callback(unavailable(error)),
    );
  }

  destroy(sessionId: string, callback: (error?: Error) => void): void {
    if (this.replacedOnStart.delete(sessionId)) {
      callback();
      return;
    }
    this.records.end(sessionId).then(
      () => callback(),
      (error: unknown) => callback(unavailable(error)),
    );
  }
}

function unavailable(error: unknown): SessionStoreUnavailableError {
  return error instanceof SessionStoreUnavailableError ? error : new SessionStoreUnavailableError({ cause: error });
}
