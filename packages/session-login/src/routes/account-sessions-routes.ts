import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppConfig } from '../config/environment.js';
import { ApiError } from '../errors/api-error.js';
import type { FusionAuthGateway } from '../fusionauth/gateway.js';
import { revokeRefreshToken } from '../fusionauth/revocation.js';
import type { CookieSettings } from '../session/cookie-settings.js';
import { guardRoutes } from '../session/guard.js';
import { lastSeenAt, recordExpiresAt } from '../session/session-data.js';
import { endSession, requireUser, sessionsInThisApp } from '../session/session-lifecycle.js';
import { hashSessionId, type SessionRecords } from '../session/session-records.js';
import { errorBody } from './schemas.js';

export interface AccountSessionsOptions {
  config: AppConfig;
  gateway: FusionAuthGateway;
  cookie: CookieSettings;
  records: SessionRecords;
}

const sessionSummary = z.object({
  id: z.string(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  ip: z.string(),
  userAgent: z.string(),
  current: z.boolean(),
});
const errors = { '4xx': errorBody, '5xx': errorBody };

/**
 * The signed-in user's sessions in this app: list them (never their ids: each is named by the
 * hash it is stored under), end one, or end all the others. Each ended session's FusionAuth
 * refresh token is revoked with it.
 */
export async function accountSessionsRoutes(app: FastifyInstance, options: AccountSessionsOptions): Promise<void> {
  const { config, gateway, cookie, records } = options;
  guardRoutes(app, config);
  const routes = app.withTypeProvider<ZodTypeProvider>();

  const liveSessions = async (userId: string) =>
    (await sessionsInThisApp(records, config, userId)).filter(({ record }) => {
      const expiresAt = recordExpiresAt(record);
      return expiresAt !== undefined && expiresAt > Date.now();
    });

  routes.get(
    '/api/sessions',
    { schema: { response: { 200: z.object({ sessions: z.array(sessionSummary) }), ...errors } } },
    async (request) => {
      const user = requireUser(request, config);
      const current = hashSessionId(request.session.sessionId);
      const sessions = (await liveSessions(user.id)).map(({ handle, record }) => ({
        id: handle,
        createdAt: new Date(record.createdAt ?? 0).toISOString(),
        lastSeenAt: new Date(lastSeenAt(record, config.session.idleTimeoutMs)).toISOString(),
        ip: record.device?.ip ?? '',
        userAgent: record.device?.description ?? '',
        current: handle === current,
      }));
      sessions.sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));
      return { sessions };
    },
  );

  routes.delete(
    '/api/sessions/:id',
    { schema: { params: z.object({ id: z.string().max(64) }), response: { 204: z.null(), ...errors } } },
    async (request, reply) => {
      const user = requireUser(request, config);
      const target = (await liveSessions(user.id)).find(({ handle }) => handle === request.params.id);
      if (!target || !(await records.endForUser(user.id, target.handle))) {
        throw new ApiError(404, 'session_not_found', 'That session does not exist or has already ended.');
      }
      await revokeRefreshToken(gateway, request.log, target.record.refreshTokenId, 'session ended by its user');
      // Ending the session this request came with is signing out here too.
      if (target.handle === hashSessionId(request.session.sessionId)) await endSession(request, reply, config, cookie);
      request.log.info({ event: 'session_ended', userId: user.id, ip: request.ip }, 'the user ended a session');
      return reply.code(204).send(null);
    },
  );

  routes.delete('/api/sessions', { schema: { response: { 204: z.null(), ...errors } } }, async (request, reply) => {
    const user = requireUser(request, config);
    const current = hashSessionId(request.session.sessionId);
    const others = (await liveSessions(user.id)).filter(({ handle }) => handle !== current);
    for (const { handle, record } of others) {
      await records.endForUser(user.id, handle);
      await revokeRefreshToken(gateway, request.log, record.refreshTokenId, 'other sessions ended by their user');
    }
    request.log.info(
      { event: 'other_sessions_ended', userId: user.id, ip: request.ip, count: others.length },
      'the user ended their other sessions',
    );
    return reply.code(204).send(null);
  });
}
