import { backendFixture } from '@native-login/test-support';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Test } from 'tap';
import { z } from 'zod';
import { errorResponses, sessionLogin, type SessionLoginOptions } from '../../src/index.js';

const notes = z.object({ notes: z.array(z.string()) });

/**
 * The smallest app on the library, for the library's own tests: the shared sign-in and sessions,
 * a public route, and a signed-in user's notes behind the guard (read, and written, so that a
 * state-changing guarded route exists). It signs in as the Store does (its settings, application
 * and cookie), so the seeded demo users work, but has none of the Store's routes.
 */
export default async function notesApp(app: FastifyInstance, options: Omit<SessionLoginOptions, 'guardedRoutes'>) {
  const byUser = new Map<string, string[]>();
  await app.register(sessionLogin, {
    ...options,
    guardedRoutes: async (scope) => {
      const routes = scope.withTypeProvider<ZodTypeProvider>();
      routes.get('/api/notes', { schema: { response: { 200: notes, ...errorResponses } } }, async (request) => ({
        notes: byUser.get(request.user.id) ?? [],
      }));
      routes.post(
        '/api/notes',
        {
          schema: {
            body: z.object({ text: z.string().trim().min(1).max(200) }),
            response: { 200: notes, ...errorResponses },
          },
        },
        async (request) => {
          const written = [...(byUser.get(request.user.id) ?? []), request.body.text];
          byUser.set(request.user.id, written);
          return { notes: written };
        },
      );
    },
  });
  app
    .withTypeProvider<ZodTypeProvider>()
    .get(
      '/api/hello',
      { schema: { response: { 200: z.object({ hello: z.string() }), ...errorResponses } } },
      async () => ({
        hello: 'anyone',
      }),
    );
}

/** Real Redis, the stand-in, and notes apps built against them (with the Store's settings). */
export const notesFixture = (t: Test) => backendFixture(t, 'STORE', notesApp);
