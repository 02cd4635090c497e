import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../schemas/errors.js';
import { currentSession } from '../schemas/session.js';
import { recordExpiresAt } from '../session/session-data.js';

/** `GET /api/user`: who is signed in, and until when. Registered behind the guard. */
export async function currentUserRoutes(app: FastifyInstance): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/user',
    {
      schema: {
        summary: 'The signed-in user, and when the session ends',
        description:
          'Answers 401 `unauthenticated` when nobody is signed in to this app (FusionAuth’s write-up uses 404; this API answers 401 wherever a valid session is missing).',
        tags: ['Session'],
        response: { 200: currentSession, ...errorResponses },
      },
    },
    async (request) => {
      // Behind the guard, the session is a live signed-in one of this app.
      const session = request.session.record?.fields ?? {};
      return {
        user: request.user,
        session: {
          expiresAt: new Date(recordExpiresAt(session) ?? 0).toISOString(),
          absoluteExpiresAt: new Date(session.absoluteExpiresAt ?? 0).toISOString(),
        },
      };
    },
  );
}
