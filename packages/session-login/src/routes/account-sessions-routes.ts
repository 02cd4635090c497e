import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiError } from '../errors/api-error.js';
import { revokeRefreshToken } from '../fusionauth/revocation.js';
import { endSessions } from '../session/ending-sessions.js';
import { errorResponses } from '../schemas/errors.js';
import { sessionList, sessionPage } from '../schemas/session.js';
import { hashSessionId, sessionsInThisApp } from '../session/records/session-records.js';
import { lastSeenAt } from '../session/session-data.js';

/**
 * The signed-in user's sessions in this app: list them (never their ids: each is named by the
 * hash it is stored under), end one, or end all the others. Each ended session's FusionAuth
 * refresh token is revoked with it. Registered behind the guard.
 */
export async function accountSessionsRoutes(app: FastifyInstance): Promise<void> {
  const { config, sessions, sessionRecords, fusionAuth } = app;
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const liveSessions = (userId: string) => sessionsInThisApp(sessionRecords, config.applicationId, userId);

  routes.get(
    '/api/sessions',
    {
      schema: {
        summary: 'Where the user is signed in to this app',
        tags: ['Your sessions'],
        querystring: sessionPage,
        response: { 200: sessionList, ...errorResponses },
      },
    },
    async (request) => {
      const { offset, limit } = request.query;
      const current = hashSessionId(request.session.sessionId);
      const listed = (await liveSessions(request.user.id)).map(({ handle, record }) => ({
        id: handle,
        createdAt: new Date(record.createdAt ?? 0).toISOString(),
        lastSeenAt: new Date(lastSeenAt(record, config.session.idleTimeoutMs)).toISOString(),
        ip: record.device?.ip ?? '',
        userAgent: record.device?.description ?? '',
        current: handle === current,
        signedInWith: record.signedInWith ?? 'password',
      }));
      listed.sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));
      const next = offset + limit;
      return {
        sessions: listed.slice(offset, next),
        total: listed.length,
        ...(next < listed.length ? { nextOffset: next } : {}),
      };
    },
  );

  routes.delete(
    '/api/sessions/:id',
    {
      schema: {
        summary: 'Sign one of the sessions out',
        tags: ['Your sessions'],
        params: z.object({ id: z.string().max(64) }),
        response: { 204: z.null().describe('The session has ended.'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user } = request;
      const target = (await liveSessions(user.id)).find(({ handle }) => handle === request.params.id);
      const current = target?.handle === hashSessionId(request.session.sessionId);
      // Ending the session this request came with is signing out here: it ends once, with its cookie.
      if (target && current) await sessions.end(request, reply);
      else if (!target || !(await sessionRecords.endForUser(user.id, target.handle))) {
        throw new ApiError(404, 'session_not_found', 'That session does not exist or has already ended.');
      }
      app.metrics.sessionEnds.inc({ reason: 'ended_by_user' });
      await revokeRefreshToken(fusionAuth, request.log, target.record.refreshTokenId, 'session ended by its user');
      request.log.info({ event: 'session_ended', userId: user.id, ip: request.ip }, 'the user ended a session');
      return reply.code(204).send(null);
    },
  );

  routes.delete(
    '/api/sessions',
    {
      schema: {
        summary: 'Sign every other session out',
        tags: ['Your sessions'],
        response: { 204: z.null().describe('Every other session has ended.'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { user } = request;
      const current = hashSessionId(request.session.sessionId);
      const others = (await liveSessions(user.id)).filter(({ handle }) => handle !== current);
      const ended = await endSessions(
        { records: sessionRecords, fusionAuth, log: request.log },
        user.id,
        others,
        'other sessions ended by their user',
      );
      app.metrics.sessionEnds.inc({ reason: 'ended_by_user' }, ended);
      request.log.info(
        { event: 'other_sessions_ended', userId: user.id, ip: request.ip, count: others.length },
        'the user ended their other sessions',
      );
      return reply.code(204).send(null);
    },
  );
}
