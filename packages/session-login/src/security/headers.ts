import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Security headers for every answer (@fastify/helmet), with a Content-Security-Policy the built
 * SPAs satisfy: their scripts and styles are files of their own origin, nothing inline, and they
 * talk only to their own backend. No page of another site may frame them.
 */
export async function secureHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
  });
}

/**
 * `Cache-Control: no-store` on every API answer and on any answer that sets a cookie: a shared
 * cache must never keep a user's data or a session cookie (helmet sets no Cache-Control).
 */
export function forbidCaching(scope: FastifyInstance): void {
  scope.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
  });
}
