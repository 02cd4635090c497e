import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import pLimit from 'p-limit';
import type { FusionAuthGateway } from '../fusionauth/gateway.js';
import { revokeRefreshToken } from '../fusionauth/revocation.js';
import { hashSessionId, sessionsInThisApp, type SessionEntry, type SessionRecords } from './records/session-records.js';

/**
 * Refresh-token revocations in flight at once when many sessions end together: FusionAuth revokes
 * one token per call (its revocation by user and application would take the sessions that stay
 * too), so a user with hundreds of sessions is many calls, a few at a time rather than one after
 * another or all at once.
 */
const revocationsAtOnce = 8;

export interface EndingSessions {
  records: SessionRecords;
  fusionAuth: FusionAuthGateway;
  log: FastifyBaseLogger;
}

/**
 * Ends these sessions of the user: their records all at once (one round trip: the commands go out
 * together), then their refresh tokens revoked a few at a time. Answers how many were still there.
 */
export async function endSessions(
  { records, fusionAuth, log }: EndingSessions,
  userId: string,
  entries: readonly SessionEntry[],
  why: string,
): Promise<number> {
  const ended = await Promise.all(entries.map(({ handle }) => records.endForUser(userId, handle)));
  const limit = pLimit(revocationsAtOnce);
  await Promise.all(
    entries.map(({ record }) => limit(() => revokeRefreshToken(fusionAuth, log, record.refreshTokenId, why))),
  );
  return ended.filter(Boolean).length;
}

/**
 * Keeps a user's live sessions in this app within `limit` once a new one has started: the oldest
 * end (never `current`), with their refresh tokens, so that nobody can pile up sessions without
 * bound. Answers how many ended.
 */
export async function endSessionsOverLimit(
  ending: EndingSessions,
  { applicationId, userId, current, limit }: { applicationId: string; userId: string; current: string; limit: number },
): Promise<number> {
  const live = await sessionsInThisApp(ending.records, applicationId, userId);
  if (live.length <= limit) return 0;
  const oldestFirst = live
    .filter(({ handle }) => handle !== current)
    .sort((a, b) => (a.record.createdAt ?? 0) - (b.record.createdAt ?? 0));
  const over = oldestFirst.slice(0, live.length - limit);
  const ended = await endSessions(ending, userId, over, 'session limit reached');
  ending.log.info(
    { event: 'sessions_over_limit_ended', userId, count: ended, limit },
    "the user's oldest sessions ended: too many at once",
  );
  return ended;
}

/**
 * What every login flow does once a session has started: the user's sessions in this app are kept
 * within SESSIONS_PER_USER. `listed` is how many sessions the user's list held at the start (at
 * least the live ones): at or under the limit, nothing needs reading. A failure here is logged,
 * not the sign-in's: the new session stands.
 */
export async function keepSessionsWithinLimit(
  app: FastifyInstance,
  request: FastifyRequest,
  userId: string,
  listed: number,
): Promise<void> {
  if (listed <= app.config.session.perUser) return;
  try {
    const ended = await endSessionsOverLimit(
      { records: app.sessionRecords, fusionAuth: app.fusionAuth, log: request.log },
      {
        applicationId: app.config.applicationId,
        userId,
        current: hashSessionId(request.session.sessionId),
        limit: app.config.session.perUser,
      },
    );
    app.metrics.sessionEnds.inc({ reason: 'limit' }, ended);
  } catch (error) {
    request.log.warn({ err: error, userId }, "could not end the user's sessions over the limit");
  }
}
