import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorResponses } from '../schemas/errors.js';
import { loginFlowList } from '../schemas/login.js';

/**
 * `GET /api/login-flows`: how people sign in to this app, for the SPA to offer (the first is the
 * default). Public, and outside the session scope: it reads configuration, never a session.
 */
export async function loginFlowRoutes(app: FastifyInstance): Promise<void> {
  const flows = app.config.loginFlows;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/login-flows',
    {
      schema: {
        summary: 'The ways of signing in this app offers',
        tags: ['Sign-in'],
        response: { 200: loginFlowList, ...errorResponses },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'no-store').send({ flows }),
  );
}
