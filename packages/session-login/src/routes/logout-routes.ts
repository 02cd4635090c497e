import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { revokeRefreshToken } from '../fusionauth/revocation.js';
import { errorResponses } from '../schemas/errors.js';
import { logoutBody } from '../schemas/session.js';
import { sessionsInThisApp } from '../session/records/session-records.js';

/**
 * `POST /api/logout`: ends this browser's session (or, with `everywhere`, every session of the
 * user in this app) and revokes its FusionAuth refresh tokens. Anyone may call it: signing out
 * without a session is simply nothing to do.
 */
export async function logoutRoutes(app: FastifyInstance): Promise<void> {
  const { config, sessions, sessionRecords, fusionAuth } = app;
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/logout',
    {
      schema: {
        summary: 'Sign out',
        tags: ['Session'],
        body: logoutBody,
        response: { 204: z.null().describe('Signed out; the session cookie is cleared.'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = sessions.userOf(request);
      const refreshTokenId = user ? request.session.refreshTokenId : undefined;
      const everywhere = request.body?.everywhere === true;
      await sessions.end(request, reply);
      if (user && everywhere) {
        // Every session of this user in this app ends, and FusionAuth forgets all their refresh tokens for it.
        for (const { handle } of await sessionsInThisApp(sessionRecords, config.applicationId, user.id)) {
          await sessionRecords.endForUser(user.id, handle);
        }
        if (!(await fusionAuth.revokeRefreshTokensOfUser(user.id))) {
          request.log.warn({ event: 'revocation_failed', why: 'logout everywhere' }, 'could not revoke refresh tokens');
        }
      } else {
        await revokeRefreshToken(fusionAuth, request.log, refreshTokenId, 'logout');
      }
      if (user) request.log.info({ event: 'logout', userId: user.id, ip: request.ip, everywhere }, 'signed out');
      return reply.code(204).send(null);
    },
  );
}
