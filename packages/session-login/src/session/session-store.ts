import type { Session } from 'fastify';
import type { SessionStore } from '@fastify/session';
import { SessionStoreUnavailableError } from '../errors/api-error.js';
import { recordExpiresAt } from './session-data.js';
import type { SessionRecords } from './session-records.js';

/**
 * Adapts session records to @fastify/session's callback store. Here, once for both stores, live
 * the rules that make them behave alike: a record past its deadline is treated as absent, a
 * session with nothing worth keeping (a visitor's, or the blank one `regenerate` hands out) is
 * never written, and any store failure becomes the API's 503 instead of a 500 or a silent logout.
 */
export function sessionStoreFor(records: SessionRecords): SessionStore {
  const unavailable = (error: unknown) =>
    error instanceof SessionStoreUnavailableError ? error : new SessionStoreUnavailableError({ cause: error });

  return {
    get(sessionId, callback) {
      records.read(sessionId).then(
        (record) => {
          const expiresAt = record && recordExpiresAt(record);
          const live = record && expiresAt !== undefined && expiresAt > Date.now();
          callback(null, live ? (record as Session) : null);
        },
        (error: unknown) => callback(unavailable(error)),
      );
    },

    set(sessionId, session, callback) {
      const expiresAt = recordExpiresAt(session);
      if (expiresAt === undefined || expiresAt <= Date.now()) {
        callback();
        return;
      }
      records.write(sessionId, session, expiresAt).then(
        () => callback(),
        (error: unknown) => callback(unavailable(error)),
      );
    },

    destroy(sessionId, callback) {
      records.end(sessionId).then(
        () => callback(),
        (error: unknown) => callback(unavailable(error)),
      );
    },
  };
}
