import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { revokeRefreshToken } from '../fusionauth/revocation.js';
import { errorResponses } from '../schemas/errors.js';
import { logoutRedirect } from '../schemas/oauth.js';
import { logoutBody } from '../schemas/session.js';
import { sessionsInThisApp } from '../session/records/session-records.js';

/**
 * `POST /api/logout`: ends this browser's session (or, with `everywhere`, every session of the
 * user in this app) and revokes its FusionAuth refresh tokens. Anyone may call it: signing out
 * without a session is simply nothing to do here.
 *
 * When the app offers the `oauth` flow, FusionAuth's SSO session may outlive the app's: after a
 * session FusionAuth signed in (its page or SSO), or without any session, the answer is 200 with
 * FusionAuth's logout URL, which the SPA then navigates to, top-level. That ends the SSO session and
 * calls every application's front-channel logout; without it, the next sign-in would be silent.
 */
export async function logoutRoutes(app: FastifyInstance): Promise<void> {
  const { config, sessions, sessionRecords, fusionAuth } = app;
  const relyingParty = app.hasDecorator('relyingParty') ? app.relyingParty : undefined;
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/logout',
    {
      schema: {
        summary: 'Sign out',
        tags: ['Session'],
        body: logoutBody,
        response: {
          200: logoutRedirect,
          204: z.null().describe('Signed out; the session cookie is cleared.'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const session = sessions.signedIn(request);
      const user = session?.user;
      const refreshTokenId = session?.refreshTokenId;
      const signedInWith = session && (session.signedInWith ?? 'password');
      const everywhere = request.body?.everywhere === true;
      await sessions.end(request, reply);
      if (user && everywhere) {
        // Every session of this user in this app ends, and FusionAuth forgets all their refresh tokens for it.
        const others = await sessionsInThisApp(sessionRecords, config.applicationId, user.id);
        const ended = await Promise.all(others.map(({ handle }) => sessionRecords.endForUser(user.id, handle)));
        app.metrics.sessionEnds.inc({ reason: 'logout_everywhere' }, ended.filter(Boolean).length);
        if (!(await fusionAuth.revokeRefreshTokensOfUser(user.id))) {
          request.log.warn({ event: 'revocation_failed', why: 'logout everywhere' }, 'could not revoke refresh tokens');
        }
      } else {
        await revokeRefreshToken(fusionAuth, request.log, refreshTokenId, 'logout');
      }
      if (user) app.metrics.sessionEnds.inc({ reason: 'logout' });
      if (user) request.log.info({ event: 'logout', userId: user.id, ip: request.ip, everywhere }, 'signed out');
      if (relyingParty && signedInWith !== 'password') {
        try {
          return reply.code(200).send({ logoutUrl: await relyingParty.endSessionUrl() });
        } catch {
          // The session here has ended all the same; FusionAuth's would have to be ended there.
          request.log.warn({ event: 'fusionauth_logout_unavailable' }, "FusionAuth's logout URL is unavailable");
        }
      }
      return reply.code(204).send(null);
    },
  );
}
